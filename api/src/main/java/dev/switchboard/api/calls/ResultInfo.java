package dev.switchboard.api.calls;

import io.vertx.core.json.JsonObject;

/**
 * Graph's {@code resultInfo}: how a call or an operation ended, with HTTP-like {@code code}s and Graph's
 * {@code subcode}s (graph-reference §1.10, e.g. {@code 200/4521} the other participant ended the call,
 * {@code 0/7015} the transfer completed).
 *
 * @param code the code, or {@code null} when Graph sent none
 * @param subcode the subcode, or {@code null}
 * @param message Graph's message, or {@code null}
 */
public record ResultInfo(Integer code, Integer subcode, String message) {

  /** {@code {"code": 200, "subcode": 4521, "message": "…"}}. */
  public JsonObject toJson() {
    JsonObject json = Wire.putIf(new JsonObject(), "code", code);
    Wire.putIf(json, "subcode", subcode);
    return Wire.putIf(json, "message", message);
  }

  /**
   * Reads our form and Graph's, which sometimes spells the subcode {@code subCode} and writes a code as a string
   * ({@code "code": "0"}).
   */
  public static ResultInfo fromJson(JsonObject json) {
    Wire result = Wire.read(json, "'resultInfo'");
    return new ResultInfo(code(result, "code"), code(result, result.has("subcode") ? "subcode" : "subCode"),
        result.string("message"));
  }

  private static Integer code(Wire result, String field) {
    if (result.json().getValue(field) instanceof String text && text.matches("-?[0-9]{1,9}")) {
      return Integer.valueOf(text);
    }
    return result.integer(field);
  }
}
