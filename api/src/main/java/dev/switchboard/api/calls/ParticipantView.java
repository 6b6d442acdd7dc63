package dev.switchboard.api.calls;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One participant of a call's roster, as the last roster notification described it.
 *
 * @param id the participant id (the bot's own is {@link CallView#myParticipantId()})
 * @param info Graph's {@code participantInfo} as Graph sent it (a copy), or {@code null}
 * @param muted whether the participant is muted ({@code isMuted})
 * @param inLobby whether the participant waits in the meeting lobby ({@code isInLobby})
 * @param bot whether it is the bot itself ({@code isBot})
 * @param mediaStreams Graph's {@code mediaStreams} (a copy), or {@code null} when Graph sent none
 */
public record ParticipantView(String id, JsonObject info, boolean muted, boolean inLobby, boolean bot,
    JsonArray mediaStreams) {

  public ParticipantView {
    Objects.requireNonNull(id, "id");
    info = Wire.copy(info);
    mediaStreams = mediaStreams == null ? null : mediaStreams.copy();
  }

  @Override
  public JsonObject info() {
    return Wire.copy(info);
  }

  @Override
  public JsonArray mediaStreams() {
    return mediaStreams == null ? null : mediaStreams.copy();
  }

  /** Who the participant is ({@code info.identity}), or {@code null} when Graph did not say. */
  public Identity identity() {
    return info == null || !(info.getValue("identity") instanceof JsonObject set) ? null : Identity.fromGraph(set);
  }

  /** {@code {"id", "info", "isMuted", "isInLobby", "isBot", "mediaStreams"}}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("info", Wire.copy(info)).put("isMuted", muted)
        .put("isInLobby", inLobby).put("isBot", bot);
    return Wire.putIf(json, "mediaStreams", mediaStreams());
  }

  /** Reads our form; a Graph {@code participant} reads the same (without {@code isBot}). */
  public static ParticipantView fromJson(JsonObject json) {
    Wire p = Wire.read(json, "a participant");
    // read in place: the canonical constructor copies
    return new ParticipantView(p.requiredString("id"), p.objectAsIs("info"), p.bool("isMuted"), p.bool("isInLobby"),
        p.bool("isBot"), p.arrayAsIs("mediaStreams"));
  }
}
