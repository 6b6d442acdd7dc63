package dev.switchboard.emulator.world;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** DTMF tone names as Graph spells them ({@code tone0}..{@code tone9}, {@code star}, {@code pound}, ...). */
public final class Tones {

  /** Every tone value Graph's {@code toneInfo.tone} can carry. */
  public static final Set<String> NAMES = Set.of(
      "tone0", "tone1", "tone2", "tone3", "tone4", "tone5", "tone6", "tone7", "tone8", "tone9",
      "star", "pound", "a", "b", "c", "d", "flash");

  private Tones() {
  }

  /**
   * Normalises one key or tone name to Graph's tone name: {@code "1"} and {@code "tone1"} give
   * {@code "tone1"}, {@code "*"} gives {@code "star"}, {@code "#"} gives {@code "pound"},
   * {@code "A"} gives {@code "a"}.
   *
   * @throws IllegalArgumentException naming the value when it is not a DTMF key
   */
  public static String normalize(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("empty tone; expected 0-9, *, #, A-D or a tone name such as tone1");
    }
    String k = key.trim();
    if (k.length() == 1) {
      char c = k.charAt(0);
      if (c >= '0' && c <= '9') {
        return "tone" + c;
      }
      switch (Character.toLowerCase(c)) {
        case '*': return "star";
        case '#': return "pound";
        case 'a': return "a";
        case 'b': return "b";
        case 'c': return "c";
        case 'd': return "d";
        default: break;
      }
    }
    String lower = k.toLowerCase(Locale.ROOT);
    if (NAMES.contains(lower)) {
      return lower;
    }
    throw new IllegalArgumentException("'" + key
        + "' is not a DTMF tone; expected 0-9, *, #, A-D or one of " + NAMES);
  }

  /**
   * Parses tones given either as a string of keys ({@code "12#"}) or as a JSON array of keys or
   * tone names ({@code ["1","tone2","pound"]}).
   *
   * @throws IllegalArgumentException when the value is neither, is empty, or holds a non-tone
   */
  public static List<String> parse(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof String s) {
      for (int i = 0; i < s.length(); i++) {
        if (!Character.isWhitespace(s.charAt(i))) {
          out.add(normalize(String.valueOf(s.charAt(i))));
        }
      }
    } else if (value instanceof JsonArray a) {
      for (Object o : a) {
        if (!(o instanceof String s)) {
          throw new IllegalArgumentException("tones must be strings, got " + o);
        }
        out.add(normalize(s));
      }
    } else {
      throw new IllegalArgumentException("tones must be a string such as \"12#\" or an array such as [\"1\",\"pound\"]");
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("tones must not be empty");
    }
    return out;
  }

  /** Whether {@code tone} matches one of Graph's {@code stopTones} entries (keys or names). */
  public static boolean matches(String tone, List<String> stopTones) {
    for (String stop : stopTones) {
      try {
        if (normalize(stop).equals(tone)) {
          return true;
        }
      } catch (IllegalArgumentException ignored) {
        // an unknown stop tone never matches; it was reported when the request was validated
      }
    }
    return false;
  }
}
