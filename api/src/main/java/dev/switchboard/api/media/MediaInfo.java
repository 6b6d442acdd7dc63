package dev.switchboard.api.media;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A file Graph downloads and plays (Graph's {@code mediaInfo}): what a prompt resolves to, and what a call's
 * {@code preFetchMedia} lists.
 *
 * @param resourceId Graph's cache key, or {@code null}
 */
public record MediaInfo(String uri, String resourceId) {

  private static final String TYPE = "#microsoft.graph.mediaInfo";

  public MediaInfo {
    Objects.requireNonNull(uri, "uri");
  }

  /** Graph's form: {@code {"@odata.type": "#microsoft.graph.mediaInfo", "uri", "resourceId"}}. */
  public JsonObject toJson() {
    return Fields.putIfPresent(new JsonObject().put("@odata.type", TYPE).put("uri", uri), "resourceId", resourceId);
  }

  /** @throws dev.switchboard.api.SwitchboardException {@code 400} when {@code json} has no {@code uri} */
  public static MediaInfo fromJson(JsonObject json) {
    return new MediaInfo(Fields.requiredString(json, "uri"), Fields.string(json, "resourceId"));
  }
}
