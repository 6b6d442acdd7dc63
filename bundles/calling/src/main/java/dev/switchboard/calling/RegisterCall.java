package dev.switchboard.calling;

import dev.switchboard.api.calls.CallView;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * The calling plugin's own command to the owner of a call it has just placed: take the call Graph created into the
 * store. Accepted only from the calling plugin itself (the command's verified sender); on the wire
 * {@code {"command": "registerCall", "call": {...}}}, which no public {@code CallCommand} is.
 *
 * @param call the call as the create request left it
 */
record RegisterCall(CallView call) {

  private static final String NAME = "registerCall";

  JsonObject toJson() {
    return new JsonObject().put("command", NAME).put("call", call.toJson());
  }

  /** The registration a body holds, or empty when it is not one. */
  static Optional<RegisterCall> fromJson(JsonObject body) {
    return NAME.equals(body.getValue("command")) && body.getValue("call") instanceof JsonObject call
        ? Optional.of(new RegisterCall(CallView.fromJson(call))) : Optional.empty();
  }

  /**
   * The call to store: this registration's, or, when notifications of the call were handled first, theirs with what
   * only the create request knows (kind, meeting, who placed it, ...) added.
   */
  Call into(Call existing) {
    if (existing == null) {
      return Call.of(call);
    }
    CallView known = existing.view();
    return existing.with(b -> {
      b.tenantId(call.tenantId()).kind(call.kind()).subject(call.subject()).meeting(call.meeting())
          .claimedBy(call.claimedBy()).createdAt(call.createdAt());
      if (known.direction() == null) {
        b.direction(call.direction());
      }
      if (known.state() == null) {
        b.state(call.state());
      }
      if (known.source() == null) {
        b.source(call.source());
      }
      if (known.targets() == null) {
        b.targets(call.targets());
      }
      if (known.myParticipantId() == null) {
        b.myParticipantId(call.myParticipantId());
      }
      if (known.callChainId() == null) {
        b.callChainId(call.callChainId());
      }
      if (known.requestedModalities().isEmpty()) {
        b.requestedModalities(call.requestedModalities());
      }
      if (known.chatInfo() == null) {
        b.chatInfo(call.chatInfo());
      }
      if (known.meetingInfo() == null) {
        b.meetingInfo(call.meetingInfo());
      }
      return b;
    });
  }
}
