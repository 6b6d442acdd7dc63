package dev.switchboard.api.calls;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A prompt Graph fetches ahead of time when the call is placed or answered ({@code preFetchMedia}).
 *
 * @param uri where Graph downloads the audio (a WAV file)
 * @param resourceId the cache key Graph keeps it under, or {@code null}
 */
public record MediaInfo(String uri, String resourceId) {

  public MediaInfo {
    Objects.requireNonNull(uri, "uri");
  }

  /** {@code {"uri": "…", "resourceId": "…"}}. */
  public JsonObject toJson() {
    return Wire.putIf(new JsonObject().put("uri", uri), "resourceId", resourceId);
  }

  /** @throws dev.switchboard.api.SwitchboardException 400 when {@code uri} is missing or not a string */
  public static MediaInfo fromJson(JsonObject json) {
    Wire media = Wire.read(json, "each of 'preFetchMedia'");
    return new MediaInfo(media.requiredString("uri"), media.string("resourceId"));
  }
}
