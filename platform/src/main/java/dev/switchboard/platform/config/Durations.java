package dev.switchboard.platform.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in the configuration and the admin API. */
public final class Durations {

  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {
  }

  /**
   * Reads {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, {@code 90d}, ISO-8601 ({@code PT1H}) or plain
   * milliseconds; {@code null} when {@code text} is none of these.
   */
  public static Duration parse(String text) {
    if (text.matches("\\d+")) {
      return Duration.ofMillis(Long.parseLong(text));
    }
    Matcher m = SIMPLE.matcher(text);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms":
          return Duration.ofMillis(n);
        case "s":
          return Duration.ofSeconds(n);
        case "m":
          return Duration.ofMinutes(n);
        case "h":
          return Duration.ofHours(n);
        default:
          return Duration.ofDays(n);
      }
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
