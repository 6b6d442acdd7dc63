package dev.switchboard.emulator.calls;

import dev.switchboard.emulator.http.Bodies;
import dev.switchboard.emulator.http.GraphException;
import dev.switchboard.emulator.media.MediaFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Participants (graph-reference §3) and the bot's own mute: list, get, invite (with
 * {@code replacesCallId}), mute, remove, hold music. Every roster change is followed by a roster
 * notification carrying the full participant list. Runs on the emulator's event-loop context only.
 */
final class Roster {

  private final CallEnv env;
  private final CallBook book;
  private final Signalling signalling;

  Roster(CallEnv env, CallBook book, Signalling signalling) {
    this.env = env;
    this.book = book;
    this.signalling = signalling;
  }

  JsonObject list(Call call) {
    JsonArray value = new JsonArray();
    call.participants.values().forEach(p -> value.add(p.toJson()));
    return new JsonObject()
        .put("@odata.context", env.baseUrl + "/v1.0/$metadata#communications/calls('" + call.id + "')/participants")
        .put("value", value);
  }

  JsonObject get(Call call, String participantId) {
    return participant(call, participantId).toJson()
        .put("@odata.context", env.baseUrl + "/v1.0/$metadata#communications/calls('" + call.id + "')/participants/$entity");
  }

  /** {@code POST .../participants/invite}: rings each invitee; completes when all have answered or failed. */
  Operation invite(Call call, JsonObject body) {
    CallEnv.requireState(call, CallState.ESTABLISHED, "invite participants to");
    if (!(body.getValue("participants") instanceof JsonArray invitees) || invitees.isEmpty()) {
      throw GraphException.badRequest("Property 'participants' must be a non-empty array of invitationParticipantInfo.");
    }
    for (Object o : invitees) {
      if (!(o instanceof JsonObject i) || !(i.getValue("identity") instanceof JsonObject)) {
        throw GraphException.badRequest("Each participant must be an invitationParticipantInfo with an 'identity'.");
      }
    }
    Operation op = env.newOperation(call, "inviteParticipantsOperation", Bodies.string(body, "clientContext", false), "running");
    JsonArray echoed = new JsonArray();
    invitees.forEach(i -> echoed.add(((JsonObject) i).copy()
        .put("@odata.type", "#microsoft.graph.invitationParticipantInfo")));
    op.extra.put("participants", echoed);
    return op;
  }

  /** Rings the invitees of an invite operation; call after answering the request. */
  void ringInvitees(Call call, Operation op) {
    JsonArray invitees = op.extra.getJsonArray("participants");
    int[] pending = {invitees.size()};
    List<ResultInfo> failures = new ArrayList<>();
    List<Participant> joined = new ArrayList<>();
    Runnable done = () -> {
      if (--pending[0] > 0) {
        return;
      }
      op.finish(failures.isEmpty() ? "completed" : "failed", failures.isEmpty() ? null : failures.get(0));
      env.notifyOperation(call, op);
      if (!joined.isEmpty()) {
        env.notifyRoster(call);
        joined.forEach(p -> signalling.startBehavior(call, p));
      }
    };
    for (Object o : invitees) {
      JsonObject invitee = (JsonObject) o;
      JsonObject identity = invitee.getJsonObject("identity");
      env.ring(call, env.behaviorOf(identity), () -> {
        joined.add(env.addParticipant(call, identity.copy(), env.behaviorOf(identity)));
        Call replaced = book.liveOrNull(invitee.getString("replacesCallId"));
        if (replaced != null && replaced != call) {
          signalling.terminate(replaced, ResultInfo.OTHER_LEFT_P2P, null);
        }
        done.run();
      }, why -> {
        failures.add(why);
        done.run();
      });
    }
  }

  /** {@code POST .../mute} and {@code .../unmute}: the bot's own server mute. */
  Operation muteSelf(Call call, JsonObject body, boolean mute) {
    CallEnv.requireState(call, CallState.ESTABLISHED, mute ? "mute" : "unmute");
    call.bot().muted = mute;
    return env.newOperation(call, mute ? "muteParticipantOperation" : "unmuteParticipantOperation",
        Bodies.string(body, "clientContext", false), "completed");
  }

  /** {@code POST .../participants/{id}/mute}. */
  Operation mute(Call call, String participantId, JsonObject body) {
    CallEnv.requireState(call, CallState.ESTABLISHED, "mute a participant of");
    participant(call, participantId).muted = true;
    return env.newOperation(call, "muteParticipantOperation", Bodies.string(body, "clientContext", false), "completed");
  }

  /** {@code DELETE .../participants/{id}}; returns the follow-up (roster notification, maybe the end of the call). */
  Runnable remove(Call call, String participantId) {
    Participant p = participant(call, participantId);
    if (p.isBot()) {
      throw GraphException.badRequest("Participant " + participantId + " is the bot itself; to leave the call,"
          + " DELETE /communications/calls/" + call.id + ".");
    }
    call.participants.remove(p.id);
    return () -> {
      env.notifyRoster(call);
      if (call.kind != Call.Kind.MEETING && call.remoteParticipants().isEmpty()) {
        signalling.terminate(call, ResultInfo.ONLY_ONE_LEFT, null);
      }
    };
  }

  /** {@code POST .../participants/{id}/startHoldMusic}: one participant on hold at a time. */
  Operation startHoldMusic(Call call, String participantId, JsonObject body) {
    CallEnv.requireState(call, CallState.ESTABLISHED, "put a participant on hold in");
    Participant p = participant(call, participantId);
    if (p.isBot()) {
      throw GraphException.badRequest("The bot cannot put itself on hold.");
    }
    for (Participant other : call.participants.values()) {
      if (other.onHold && other != p) {
        throw GraphException.conflict("Participant " + other.id + " is already on hold; only one participant"
            + " can be on hold at a time. Stop its hold music first.");
      }
    }
    JsonObject prompt = Bodies.object(body, "customPrompt", false);
    if (prompt != null && !(prompt.getValue("mediaInfo") instanceof JsonObject m && m.getValue("uri") instanceof String)) {
      throw GraphException.badRequest("customPrompt must be a mediaPrompt with mediaInfo.uri.");
    }
    p.onHold = true;
    return env.newOperation(call, "startHoldMusicOperation", Bodies.string(body, "clientContext", false), "running");
  }

  /** Completes a hold-music start (after checking its custom prompt) or stop; call after answering. */
  void completeHold(Call call, Operation op, JsonObject body) {
    JsonObject prompt = body.getJsonObject("customPrompt");
    if (prompt == null) {
      env.schedule(call, CallEnv.SETUP_MS, () -> {
        op.finish("completed", null);
        env.notifyOperation(call, op);
      });
      return;
    }
    JsonObject media = prompt.getJsonObject("mediaInfo");
    env.prompts.load(media.getString("uri"), media.getString("resourceId")).onComplete(ar -> {
      if (!call.live()) {
        return;
      }
      if (ar.succeeded()) {
        op.finish("completed", null);
      } else {
        MediaFailure f = ar.cause() instanceof MediaFailure m ? m : new MediaFailure(500, 0, ar.cause().toString());
        op.finish("failed", new ResultInfo(f.code(), f.subcode(), f.getMessage()));
      }
      env.notifyOperation(call, op);
    });
  }

  /** {@code POST .../participants/{id}/stopHoldMusic}. */
  Operation stopHoldMusic(Call call, String participantId, JsonObject body) {
    CallEnv.requireState(call, CallState.ESTABLISHED, "take a participant off hold in");
    participant(call, participantId).onHold = false;
    return env.newOperation(call, "stopHoldMusicOperation", Bodies.string(body, "clientContext", false), "running");
  }

  private static Participant participant(Call call, String participantId) {
    Participant p = call.participants.get(participantId);
    if (p == null) {
      throw GraphException.notFound("Participant " + participantId + " is not in call " + call.id + ".");
    }
    return p;
  }
}
