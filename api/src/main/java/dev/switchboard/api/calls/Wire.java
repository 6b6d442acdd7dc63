package dev.switchboard.api.calls;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The contract's reading and writing of JSON fields: typed reads that fail with a {@code 400 badRequest} naming the
 * field, the value and what was expected, and the camelCase wire names of enum constants. Private to the package.
 */
final class Wire {

  private final JsonObject json;
  private final String what;

  private Wire(JsonObject json, String what) {
    this.json = json;
    this.what = what;
  }

  /** Reads {@code json}, naming it {@code what} (e.g. "command 'answer'") in error messages. */
  static Wire read(JsonObject json, String what) {
    if (json == null) {
      throw bad(what + " is missing: expected a JSON object");
    }
    return new Wire(json, what);
  }

  JsonObject json() {
    return json;
  }

  boolean has(String field) {
    return json.getValue(field) != null;
  }

  String string(String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw bad("'" + field + "' must be a string; got " + value);
    }
    return s;
  }

  String requiredString(String field) {
    String value = string(field);
    if (value == null || value.isBlank()) {
      throw bad(what + " needs '" + field + "'");
    }
    return value;
  }

  boolean bool(String field) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof Boolean)) {
      throw bad("'" + field + "' must be true or false; got " + value);
    }
    return Boolean.TRUE.equals(value);
  }

  Integer integer(String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw bad("'" + field + "' must be a whole number; got " + value);
    }
    return n.intValue();
  }

  Long longValue(String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n)) {
      throw bad("'" + field + "' must be a number; got " + value);
    }
    return n.longValue();
  }

  Instant instant(String field) {
    String value = string(field);
    try {
      return value == null ? null : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw bad("'" + field + "' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z; got '" + value + "'");
    }
  }

  JsonObject object(String field) {
    JsonObject value = objectAsIs(field);
    return value == null ? null : value.copy();
  }

  /**
   * The object in place, not a copy: only for a record's canonical constructor, which copies it, or a reader that
   * keeps none of it.
   */
  JsonObject objectAsIs(String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject o)) {
      throw bad("'" + field + "' must be a JSON object; got " + value);
    }
    return o;
  }

  /** The object mapped; {@code mapping} reads it in place, so it must copy what it keeps (every {@code fromJson} here does). */
  <T> T object(String field, Function<JsonObject, T> mapping) {
    JsonObject value = objectAsIs(field);
    return value == null ? null : mapping.apply(value);
  }

  JsonArray array(String field) {
    JsonArray value = arrayAsIs(field);
    return value == null ? null : value.copy();
  }

  /** The array in place, not a copy: as {@link #objectAsIs}. */
  JsonArray arrayAsIs(String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray a)) {
      throw bad("'" + field + "' must be an array; got " + value);
    }
    return a;
  }

  /** An array of objects, each mapped (read in place, as by {@link #object(String, Function)}); {@code null} when absent. */
  <T> List<T> objects(String field, Function<JsonObject, T> mapping) {
    JsonArray array = arrayAsIs(field);
    if (array == null) {
      return null;
    }
    List<T> out = new ArrayList<>();
    for (Object o : array) {
      if (!(o instanceof JsonObject element)) {
        throw bad("each of '" + field + "' must be a JSON object; got " + o);
      }
      out.add(mapping.apply(element));
    }
    return out;
  }

  /** An array of strings; {@code null} when absent. */
  List<String> strings(String field) {
    JsonArray array = array(field);
    if (array == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Object o : array) {
      if (!(o instanceof String s)) {
        throw bad("each of '" + field + "' must be a string; got " + o);
      }
      out.add(s);
    }
    return out;
  }

  <E extends Enum<E>> E enumValue(String field, Class<E> type) {
    String value = string(field);
    return value == null ? null : parse(type, value, field);
  }

  <E extends Enum<E>> List<E> enums(String field, Class<E> type) {
    List<String> values = strings(field);
    return values == null ? null : values.stream().map(v -> parse(type, v, field)).toList();
  }

  // ------------------------------------------------------------------ enums

  /** The wire name of an enum constant: {@code TRANSFER_ACCEPTED} is {@code transferAccepted}. */
  static String name(Enum<?> constant) {
    String[] words = constant.name().toLowerCase(Locale.ROOT).split("_");
    StringBuilder out = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      out.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return out.toString();
  }

  /**
   * The constant of {@code type} whose wire name is {@code value}, in any case, or {@code null}. Graph's own
   * documentation writes some values in two cases ({@code Running} and {@code running}): both are read.
   */
  static <E extends Enum<E>> E find(Class<E> type, String value) {
    for (E constant : type.getEnumConstants()) {
      if (name(constant).equalsIgnoreCase(value)) {
        return constant;
      }
    }
    return null;
  }

  /** Like {@link #find}, failing with a 400 that lists the wire names when there is none. */
  static <E extends Enum<E>> E parse(Class<E> type, String value, String field) {
    E found = find(type, value);
    if (found == null) {
      throw bad("'" + field + "' must be one of " + Arrays.stream(type.getEnumConstants()).map(Wire::name).toList()
          + "; got '" + value + "'");
    }
    return found;
  }

  // ------------------------------------------------------------------ writing

  /** Puts {@code value} unless it is {@code null}. */
  static JsonObject putIf(JsonObject json, String field, Object value) {
    if (value instanceof Enum<?> e) {
      value = name(e);
    } else if (value instanceof Instant i) {
      value = i.toString();
    }
    if (value != null) {
      json.put(field, value);
    }
    return json;
  }

  static <T> JsonArray array(List<T> values, Function<T, Object> mapping) {
    JsonArray out = new JsonArray();
    values.forEach(v -> out.add(mapping.apply(v)));
    return out;
  }

  static JsonArray names(List<? extends Enum<?>> values) {
    return array(values, Wire::name);
  }

  static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }

  static JsonObject copy(JsonObject json) {
    return json == null ? null : json.copy();
  }

  /** {@code value}, failing with a 400 saying that {@code what} needs {@code field} when it is {@code null}. */
  static <T> T required(T value, String what, String field) {
    if (value == null) {
      throw bad(what + " needs '" + field + "'");
    }
    return value;
  }

  static SwitchboardException bad(String message) {
    return new SwitchboardException(ErrorCode.BAD_REQUEST, message);
  }
}
