package dev.switchboard.api.media;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads the fields of this package's JSON, checking each: a value of the wrong type or out of range fails with a
 * {@code 400 badRequest} that names the field and says what it must be.
 */
final class Fields {

  private Fields() {
  }

  static SwitchboardException bad(String message) {
    return new SwitchboardException(ErrorCode.BAD_REQUEST, message);
  }

  static String string(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (v != null && !(v instanceof String)) {
      throw bad("'" + field + "' must be a string; got " + describe(v) + ".");
    }
    return (String) v;
  }

  static String requiredString(JsonObject json, String field) {
    String v = string(json, field);
    if (v == null || v.isBlank()) {
      throw bad("'" + field + "' is required.");
    }
    return v;
  }

  static long number(JsonObject json, String field, long fallback) {
    Object v = json.getValue(field);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Number n) || n.doubleValue() != n.longValue()) {
      throw bad("'" + field + "' must be a whole number; got " + describe(v) + ".");
    }
    return n.longValue();
  }

  static Long optionalNumber(JsonObject json, String field) {
    return json.getValue(field) == null ? null : number(json, field, 0);
  }

  static int integer(JsonObject json, String field, int fallback) {
    long v = number(json, field, fallback);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw bad("'" + field + "' is out of range; got " + v + ".");
    }
    return (int) v;
  }

  static boolean bool(JsonObject json, String field, boolean fallback) {
    Object v = json.getValue(field);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean b)) {
      throw bad("'" + field + "' must be true or false; got " + describe(v) + ".");
    }
    return b;
  }

  static JsonObject object(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (v != null && !(v instanceof JsonObject)) {
      throw bad("'" + field + "' must be an object; got " + describe(v) + ".");
    }
    return (JsonObject) v;
  }

  static JsonArray array(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (v != null && !(v instanceof JsonArray)) {
      throw bad("'" + field + "' must be an array; got " + describe(v) + ".");
    }
    return (JsonArray) v;
  }

  static List<String> strings(JsonObject json, String field) {
    JsonArray a = array(json, field);
    List<String> out = new ArrayList<>();
    if (a != null) {
      for (Object v : a) {
        if (!(v instanceof String s)) {
          throw bad("'" + field + "' must hold strings; got " + describe(v) + ".");
        }
        out.add(s);
      }
    }
    return out;
  }

  static <T> List<T> list(JsonArray array, Function<Object, T> item) {
    List<T> out = new ArrayList<>();
    if (array != null) {
      for (Object v : array) {
        out.add(item.apply(v));
      }
    }
    return out;
  }

  /** The objects of the array {@code field}, each mapped by {@code item}; empty when the field is absent. */
  static <T> List<T> objects(JsonObject json, String field, Function<JsonObject, T> item) {
    return list(array(json, field), v -> {
      if (!(v instanceof JsonObject o)) {
        throw bad("'" + field + "' must hold objects; got " + describe(v) + ".");
      }
      return item.apply(o);
    });
  }

  /** The JSON name of an enum constant: {@code MAX_DIGITS} is {@code maxDigits}. */
  static String wireName(Enum<?> constant) {
    String[] words = constant.name().toLowerCase(java.util.Locale.ROOT).split("_");
    StringBuilder name = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      name.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return name.toString();
  }

  /** The constant of {@code type} whose JSON name is {@code value}; else a failure saying what {@code field} takes. */
  static <E extends Enum<E>> E fromWire(Class<E> type, String value, String field) {
    E[] values = type.getEnumConstants();
    for (E e : values) {
      if (wireName(e).equals(value)) {
        return e;
      }
    }
    throw bad("'" + field + "' is one of " + java.util.Arrays.stream(values).map(Fields::wireName).toList() + "; got "
        + describe(value) + ".");
  }

  static Instant instant(JsonObject json, String field) {
    String v = string(json, field);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw bad("'" + field + "' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z; got \"" + v + "\".");
    }
  }

  static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  static void range(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw bad("'" + field + "' must be from " + min + " to " + max + "; got " + value + ".");
    }
  }

  /** Keeps a field out of the JSON when its value is null, as the media bundle always has. */
  static JsonObject putIfPresent(JsonObject json, String field, Object value) {
    return value == null ? json : json.put(field, value);
  }

  static String describe(Object v) {
    return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
  }
}
