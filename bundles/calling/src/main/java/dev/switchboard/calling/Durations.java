package dev.switchboard.calling;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations from the plugin's configuration, written as the server's: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, ISO-8601 or milliseconds. */
final class Durations {

  private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

  private Durations() {
  }

  /**
   * @throws SwitchboardException naming the key when the value is not a positive duration
   */
  static Duration get(JsonObject config, String key, Duration fallback) {
    Object value = config.getValue(key);
    if (value == null) {
      return fallback;
    }
    Duration d = parse(value);
    if (d == null || d.isNegative() || d.isZero()) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "badConfiguration", "plugins.calling." + key
          + ": expected a positive duration such as 500ms, 10s, 2m or 1h; got '" + value + "'");
    }
    return d;
  }

  static Duration parse(Object value) {
    if (value instanceof Number n) {
      return Duration.ofMillis(n.longValue());
    }
    String text = value.toString().trim();
    Matcher m = SHORT.matcher(text);
    if (m.matches()) {
      double amount = Double.parseDouble(m.group(1));
      long unitMs = switch (m.group(2)) {
        case "ms" -> 1;
        case "s" -> 1000;
        case "m" -> 60_000;
        default -> 3_600_000;
      };
      return Duration.ofMillis(Math.round(amount * unitMs));
    }
    if (text.matches("\\d+")) {
      return Duration.ofMillis(Long.parseLong(text));
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
