package dev.switchboard.calling;

import dev.switchboard.api.calls.IdentityKind;
import dev.switchboard.api.calls.MediaInfo;
import dev.switchboard.api.calls.Target;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The bodies of Graph's calling requests, made from the contract's records (graph-reference §1, §3). */
final class GraphRequests {

  private GraphRequests() {
  }

  /** Graph's {@code invitationParticipantInfo} for a target; {@code replacesCallId} overrides the target's own. */
  static JsonObject invitation(Target target, String replacesCallId) {
    JsonObject who = new JsonObject().put("@odata.type", "#microsoft.graph.identity").put("id", target.identity().id());
    if (target.identity().displayName() != null) {
      who.put("displayName", target.identity().displayName());
    }
    if (target.identity().tenantId() != null) {
      who.put("tenantId", target.identity().tenantId());
    }
    JsonObject info = new JsonObject().put("@odata.type", "#microsoft.graph.invitationParticipantInfo")
        .put("identity", new JsonObject().put("@odata.type", "#microsoft.graph.identitySet")
            .put(target.identity().kind().wireName(), who));
    String replaces = replacesCallId != null ? replacesCallId : target.replacesCallId();
    return replaces == null ? info : info.put("replacesCallId", replaces);
  }

  static JsonArray invitations(List<Target> targets) {
    JsonArray out = new JsonArray();
    targets.forEach(t -> out.add(invitation(t, null)));
    return out;
  }

  static boolean anyPhone(List<Target> targets) {
    return targets.stream().anyMatch(t -> t.identity().kind() == IdentityKind.PHONE);
  }

  /** The bot as the caller of a PSTN call: its application instance. */
  static JsonObject applicationInstanceSource(String applicationInstanceId) {
    return new JsonObject().put("@odata.type", "#microsoft.graph.participantInfo")
        .put("identity", new JsonObject().put("@odata.type", "#microsoft.graph.identitySet")
            .put("applicationInstance", new JsonObject().put("@odata.type", "#microsoft.graph.identity")
                .put("id", applicationInstanceId)));
  }

  /** The modalities asked for; audio when none. */
  static JsonArray modalities(List<String> modalities) {
    return new JsonArray(modalities.isEmpty() ? List.of("audio") : List.copyOf(modalities));
  }

  /** A service-hosted media configuration that pre-fetches {@code prompts}. */
  static JsonObject mediaConfig(List<MediaInfo> prompts) {
    JsonObject config = new JsonObject().put("@odata.type", "#microsoft.graph.serviceHostedMediaConfig");
    if (!prompts.isEmpty()) {
      JsonArray media = new JsonArray();
      prompts.forEach(p -> media.add(p.toJson().put("@odata.type", "#microsoft.graph.mediaInfo")));
      config.put("preFetchMedia", media);
    }
    return config;
  }

  /** A body with only the client context, or an empty one. */
  static JsonObject clientContext(String clientContext) {
    return clientContext == null ? new JsonObject() : new JsonObject().put("clientContext", clientContext);
  }
}
