package dev.switchboard.media;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Checks and normalises the options of a {@code record} command; failures say which option is wrong. */
final class RecordOptions {

  private RecordOptions() {
  }

  static int seconds(JsonObject body, String field, int fallback) {
    Object v = body.getValue(field);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Number n) || n.intValue() < 1 || n.intValue() > 120) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "'" + field + "' must be a number of seconds from 1 to "
          + "120; got " + v);
    }
    return n.intValue();
  }

  static JsonArray stopTones(Object value) {
    JsonArray out = new JsonArray();
    if (value == null) {
      return out;
    }
    if (!(value instanceof JsonArray list)) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "'stopTones' must be an array such as [\"#\", \"*\"]");
    }
    for (Object t : list) {
      if (!(t instanceof String s) || Tones.digit(s) == 0 && Tones.fromDigit(s) == null) {
        throw new SwitchboardException(ErrorCode.BAD_REQUEST, "A stop tone is one of 0-9 * # A-D; got " + t);
      }
      out.add(Tones.fromDigit(s) != null ? s : String.valueOf(Tones.digit(s)));
    }
    return out;
  }
}
