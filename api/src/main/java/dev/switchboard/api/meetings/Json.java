package dev.switchboard.api.meetings;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the fields of this package's JSON. A value of the wrong type fails with {@code 400 badRequest}
 * naming the field and saying what it must be.
 */
final class Json {

  private Json() {
  }

  static SwitchboardException bad(String message) {
    return new SwitchboardException(ErrorCode.BAD_REQUEST, message);
  }

  static String string(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (v != null && !(v instanceof String)) {
      throw bad("'" + field + "' must be a string; got " + v + ".");
    }
    return (String) v;
  }

  static String required(JsonObject json, String field) {
    String v = string(json, field);
    if (v == null || v.isBlank()) {
      throw bad("'" + field + "' is required.");
    }
    return v;
  }

  /** An ISO-8601 date-time with an offset ({@code 2030-01-01T10:00:00Z}), or {@code null}. */
  static Instant instant(JsonObject json, String field) {
    String v = string(json, field);
    if (v == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      throw bad("'" + field + "' must be an ISO-8601 date-time with an offset, such as 2030-01-01T10:00:00Z; got '"
          + v + "'.");
    }
  }

  /** An ISO-8601 duration ({@code PT30S}), or {@code null}. */
  static Duration duration(JsonObject json, String field) {
    String v = string(json, field);
    if (v == null) {
      return null;
    }
    try {
      return Duration.parse(v);
    } catch (DateTimeParseException e) {
      throw bad("'" + field + "' must be an ISO-8601 duration, such as PT30S; got '" + v + "'.");
    }
  }

  static boolean bool(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (v != null && !(v instanceof Boolean)) {
      throw bad("'" + field + "' must be true or false; got " + v + ".");
    }
    return Boolean.TRUE.equals(v);
  }

  static JsonObject object(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (v != null && !(v instanceof JsonObject)) {
      throw bad("'" + field + "' must be an object; got " + v + ".");
    }
    return (JsonObject) v;
  }

  /** A list of strings, or {@code null} when absent. */
  static List<String> strings(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray array) || array.stream().anyMatch(e -> !(e instanceof String))) {
      throw bad("'" + field + "' must be an array of strings; got " + v + ".");
    }
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add((String) e));
    return List.copyOf(out);
  }

  static JsonObject putIf(JsonObject json, String field, Object value) {
    if (value instanceof Instant || value instanceof Duration) {
      return json.put(field, value.toString());
    }
    if (value instanceof List<?> list) {
      return json.put(field, new JsonArray(new ArrayList<>(list)));
    }
    return value == null ? json : json.put(field, value);
  }

  static <T> T requireNonNull(T value, String field) {
    if (value == null) {
      throw bad("'" + field + "' is required.");
    }
    return value;
  }
}
