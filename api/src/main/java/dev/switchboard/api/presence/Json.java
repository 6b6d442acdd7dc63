package dev.switchboard.api.presence;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Reads this package's JSON, checking each field: a wrong one fails with a {@code 400} naming it. */
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

  static List<String> ids(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (!(v instanceof JsonArray array)) {
      throw bad("'" + field + "' must be an array of user ids; got " + v + ".");
    }
    List<String> ids = new ArrayList<>(array.size());
    for (Object id : array) {
      if (!(id instanceof String s) || s.isBlank()) {
        throw bad("'" + field + "' must hold user ids (strings); got " + id + ".");
      }
      ids.add(s);
    }
    return List.copyOf(ids);
  }

  /** {@link #ids}, or an empty list when the field is absent. */
  static List<String> optionalIds(JsonObject json, String field) {
    return json.getValue(field) == null ? List.of() : ids(json, field);
  }

  static Instant instant(JsonObject json, String field) {
    String v = string(json, field);
    try {
      return v == null ? null : Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw bad("'" + field + "' must be an ISO-8601 instant; got " + v + ".");
    }
  }

  static <T> List<T> list(JsonObject json, String field, Function<JsonObject, T> reader) {
    JsonArray array = json.getJsonArray(field, new JsonArray());
    List<T> out = new ArrayList<>(array.size());
    for (Object o : array) {
      out.add(reader.apply((JsonObject) o));
    }
    return List.copyOf(out);
  }

  static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
