package dev.switchboard.platform.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.Duration;

/** Reads durations written as {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, ISO-8601, or plain milliseconds. */
final class DurationDeserializer extends StdScalarDeserializer<Duration> {

  private static final long serialVersionUID = 1L;

  DurationDeserializer() {
    super(Duration.class);
  }

  @Override
  public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
      return Duration.ofMillis(p.getLongValue());
    }
    String text = p.getValueAsString();
    Duration parsed = text == null ? null : Durations.parse(text.trim());
    if (parsed == null) {
      return (Duration) ctxt.handleWeirdStringValue(Duration.class, String.valueOf(text),
          "expected a duration like 500ms, 10s, 2m or 1h");
    }
    return parsed;
  }
}
