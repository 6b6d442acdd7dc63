package dev.switchboard.platform.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations written as {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, ISO-8601, or plain milliseconds. */
final class DurationDeserializer extends StdScalarDeserializer<Duration> {

  private static final long serialVersionUID = 1L;
  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

  DurationDeserializer() {
    super(Duration.class);
  }

  @Override
  public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
      return Duration.ofMillis(p.getLongValue());
    }
    String text = p.getValueAsString();
    Duration parsed = text == null ? null : parse(text.trim());
    if (parsed == null) {
      return (Duration) ctxt.handleWeirdStringValue(Duration.class, String.valueOf(text),
          "expected a duration like 500ms, 10s, 2m or 1h");
    }
    return parsed;
  }

  static Duration parse(String text) {
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
        default:
          return Duration.ofHours(n);
      }
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
