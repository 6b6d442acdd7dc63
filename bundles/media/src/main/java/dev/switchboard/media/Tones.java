package dev.switchboard.media;

import java.util.Map;

/** Graph's tone names ({@code tone0}..{@code tone9}, {@code star}, {@code pound}, {@code a}..{@code d}) and keys. */
final class Tones {

  private static final Map<String, Character> DIGITS = Map.ofEntries(Map.entry("tone0", '0'), Map.entry("tone1", '1'),
      Map.entry("tone2", '2'), Map.entry("tone3", '3'), Map.entry("tone4", '4'), Map.entry("tone5", '5'),
      Map.entry("tone6", '6'), Map.entry("tone7", '7'), Map.entry("tone8", '8'), Map.entry("tone9", '9'),
      Map.entry("star", '*'), Map.entry("pound", '#'), Map.entry("a", 'A'), Map.entry("b", 'B'),
      Map.entry("c", 'C'), Map.entry("d", 'D'));

  private Tones() {
  }

  /** The key of a Graph tone name, or 0 for {@code flash} and unknown names. */
  static char digit(String tone) {
    Character c = DIGITS.get(tone);
    return c == null ? 0 : c;
  }

  /** The Graph tone name of a key ({@code "#"} is {@code pound}), or {@code null}. */
  static String fromDigit(String key) {
    if (key == null || key.length() != 1) {
      return null;
    }
    char k = Character.toUpperCase(key.charAt(0));
    return DIGITS.entrySet().stream().filter(e -> e.getValue() == k).map(Map.Entry::getKey).findFirst().orElse(null);
  }
}
