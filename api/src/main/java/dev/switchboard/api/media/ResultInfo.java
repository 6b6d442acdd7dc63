package dev.switchboard.api.media;

import io.vertx.core.json.JsonObject;

/**
 * Graph's {@code resultInfo} of an operation it finished: e.g. {@code 200/0} for success, {@code 400/8508} for an
 * operation cancelled by cancelMediaProcessing, {@code 400/8535} for a prompt in a format Graph cannot play.
 *
 * @param message Graph's sentence, or {@code null}
 */
public record ResultInfo(int code, int subcode, String message) {

  public JsonObject toJson() {
    return new JsonObject().put("code", code).put("subcode", subcode).put("message", message);
  }

  /** Reads Graph's {@code resultInfo}; {@code null} for {@code null}. */
  public static ResultInfo fromJson(JsonObject json) {
    return json == null ? null : new ResultInfo(Fields.integer(json, "code", 0), Fields.integer(json, "subcode", 0),
        Fields.string(json, "message"));
  }
}
