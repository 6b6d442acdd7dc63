package dev.switchboard.media;

import dev.switchboard.api.media.Recording;
import io.vertx.core.json.JsonObject;

/**
 * The media plugin's own command to a call's key: a recording's download ended (the download runs outside the key's
 * turn; its outcome is handled in order with the call's other messages). Accepted only from the media plugin itself.
 *
 * @param recording the stored recording, or {@code null} when every attempt failed
 * @param error why it failed, or {@code null}
 */
record DownloadFinished(String operationId, Recording recording, String error) {

  /** The command's name, beside the public {@link dev.switchboard.api.media.MediaCommand}s. */
  static final String NAME = "downloadFinished";

  /** Whether {@code command} is one (the public commands have other names). */
  static boolean isOne(JsonObject command) {
    return NAME.equals(command.getValue("command"));
  }

  JsonObject toJson() {
    return new JsonObject().put("command", NAME).put("operationId", operationId)
        .put("recording", recording == null ? null : recording.toJson()).put("error", error);
  }

  static DownloadFinished fromJson(JsonObject json) {
    JsonObject recording = json.getJsonObject("recording");
    return new DownloadFinished(json.getString("operationId"), recording == null ? null
        : Recording.fromJson(recording), json.getString("error"));
  }
}
