package dev.switchboard.api.media;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * A recording the media bundle downloaded from Graph and keeps.
 *
 * @param id the recording's id: the id of the record operation
 * @param durationMs its length, or -1 when the file is not a PCM WAV
 * @param bytes the file's size
 * @param path the file, below {@code data.dir} ({@code recordings/<callId>/<id>.wav})
 * @param url the REST path that serves it ({@code /api/v1/calls/<callId>/recordings/<id>})
 * @param downloadedAt when it was stored
 * @param downloadAttempts how many downloads it took (Graph's storage may fail the first)
 */
public record Recording(String id, String callId, long durationMs, long bytes, String path, String url,
    Instant downloadedAt, int downloadAttempts) {

  public Recording {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(url, "url");
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("callId", callId).put("durationMs", durationMs).put("bytes", bytes)
        .put("path", path).put("url", url).put("downloadedAt", Fields.text(downloadedAt))
        .put("downloadAttempts", downloadAttempts);
  }

  /** @throws dev.switchboard.api.SwitchboardException {@code 400} when {@code json} is not a recording */
  public static Recording fromJson(JsonObject json) {
    return new Recording(Fields.requiredString(json, "id"), Fields.requiredString(json, "callId"),
        Fields.number(json, "durationMs", -1), Fields.number(json, "bytes", 0), Fields.requiredString(json, "path"),
        Fields.requiredString(json, "url"), Fields.instant(json, "downloadedAt"),
        Fields.integer(json, "downloadAttempts", 1));
  }
}
