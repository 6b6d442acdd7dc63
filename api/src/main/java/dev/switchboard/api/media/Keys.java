package dev.switchboard.api.media;

import java.util.Locale;
import java.util.Map;

/** The keys of a phone's keypad as the media contract writes them ({@code 0}-{@code 9}, {@code *}, {@code #},
 * {@code A}-{@code D}), and Graph's names for them ({@code tone1}, {@code pound}, ...). */
final class Keys {

  private static final Map<String, String> BY_TONE = Map.ofEntries(Map.entry("tone0", "0"), Map.entry("tone1", "1"),
      Map.entry("tone2", "2"), Map.entry("tone3", "3"), Map.entry("tone4", "4"), Map.entry("tone5", "5"),
      Map.entry("tone6", "6"), Map.entry("tone7", "7"), Map.entry("tone8", "8"), Map.entry("tone9", "9"),
      Map.entry("star", "*"), Map.entry("pound", "#"), Map.entry("a", "A"), Map.entry("b", "B"), Map.entry("c", "C"),
      Map.entry("d", "D"));

  private Keys() {
  }

  /**
   * The key {@code value} names, as a key ({@code "#"}, {@code "a"} → {@code "A"}) or as Graph's tone name
   * ({@code "pound"}), or {@code null} when it names none.
   */
  static String key(String value) {
    if (value == null) {
      return null;
    }
    if (value.length() == 1) {
      String k = value.toUpperCase(Locale.ROOT);
      return BY_TONE.containsValue(k) ? k : null;
    }
    return BY_TONE.get(value);
  }

  /** {@link #key(String)}, failing with a sentence naming {@code field} when {@code value} is not a key. */
  static String check(String field, String value) {
    String k = key(value);
    if (k == null) {
      throw Fields.bad("'" + field + "' must be one of 0-9 * # A-D; got " + Fields.describe(value) + ".");
    }
    return k;
  }
}
