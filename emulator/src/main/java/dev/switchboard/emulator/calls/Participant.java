package dev.switchboard.emulator.calls;

import dev.switchboard.emulator.world.Behavior;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** One roster entry: the bot itself or a simulated person. */
final class Participant {

  final String id;
  final JsonObject identity;
  /** How the simulated person behaves; {@code null} for the bot. */
  final Behavior behavior;
  final int sourceId;
  boolean muted;
  boolean onHold;

  Participant(String id, JsonObject identity, Behavior behavior, int sourceId) {
    this.id = id;
    this.identity = identity;
    this.behavior = behavior;
    this.sourceId = sourceId;
  }

  boolean isBot() {
    return behavior == null;
  }

  boolean isPhone() {
    return identity.getJsonObject("phone") != null;
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("@odata.type", "#microsoft.graph.participant")
        .put("id", id)
        .put("info", new JsonObject()
            .put("@odata.type", "#microsoft.graph.participantInfo")
            .put("id", id)
            .put("identity", identity.copy())
            .put("endpointType", "default")
            .put("region", "amer")
            .put("languageId", "en-US"))
        .put("mediaStreams", new JsonArray().add(new JsonObject()
            .put("@odata.type", "#microsoft.graph.mediaStream")
            .put("mediaType", "audio")
            .put("label", "main-audio")
            .put("sourceId", String.valueOf(sourceId))
            .put("direction", "sendReceive")
            .put("serverMuted", muted)))
        .put("isMuted", muted)
        .put("isInLobby", false)
        .put("metadata", null);
  }
}
