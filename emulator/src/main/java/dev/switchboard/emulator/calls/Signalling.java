package dev.switchboard.emulator.calls;

import dev.switchboard.emulator.http.Bodies;
import dev.switchboard.emulator.http.GraphException;
import dev.switchboard.emulator.http.OutboundClients;
import dev.switchboard.emulator.world.Behavior;
import dev.switchboard.emulator.world.DirectoryUser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call state machine (graph-reference §1): create, incoming calls, answer, reject, redirect,
 * transfer, hang-up, keepAlive, and what the simulated people on the other side do.
 *
 * <p>Request methods validate and change state, and return before any notification is sent; the
 * caller answers the HTTP request, then calls the returned follow-up. Runs on the emulator's
 * event-loop context only.
 */
final class Signalling {

  private static final Logger LOG = LoggerFactory.getLogger(Signalling.class);
  private static final Set<String> MODALITIES = Set.of("unknown", "audio", "video", "videoBasedScreenSharing", "data");
  private static final String SERVICE_HOSTED = "#microsoft.graph.serviceHostedMediaConfig";
  private static final String APP_HOSTED = "#microsoft.graph.appHostedMediaConfig";

  private final CallEnv env;
  private final CallBook book;
  private final Ivr ivr;

  Signalling(CallEnv env, CallBook book, Ivr ivr) {
    this.env = env;
    this.book = book;
    this.ivr = ivr;
  }

  // ---------------------------------------------------------------- outgoing

  /** {@code POST /communications/calls}: validates and registers the call; {@link #dial} starts it. */
  Call create(JsonObject body) {
    String callbackUri = callbackUri(body, true);
    JsonObject mediaConfig = mediaConfig(body);
    JsonArray modalities = modalities(body, "requestedModalities");
    JsonObject chatInfo = Bodies.object(body, "chatInfo", false);
    JsonObject meetingInfo = Bodies.object(body, "meetingInfo", false);
    JsonArray targets = body.getValue("targets") instanceof JsonArray a ? a.copy() : new JsonArray();
    if (body.getValue("targets") != null && !(body.getValue("targets") instanceof JsonArray)) {
      throw GraphException.badRequest("Property 'targets' must be an array of invitationParticipantInfo.");
    }
    boolean meeting = meetingInfo != null;
    String onlineMeetingId = null;
    ResultInfo refusal = null;
    if (meeting) {
      checkMeetingInfo(meetingInfo, chatInfo);
      try {
        onlineMeetingId = env.meetingJoins.admit(chatInfo, meetingInfo);
      } catch (MeetingJoins.Refused refused) {
        refusal = refused.resultInfo();
      }
    } else if (targets.isEmpty()) {
      throw GraphException.badRequest("A call needs 'targets' (a peer-to-peer or group call) or 'meetingInfo'"
          + " with 'chatInfo' (joining a meeting).");
    }
    for (Object t : targets) {
      if (!(t instanceof JsonObject target) || !(target.getValue("identity") instanceof JsonObject)) {
        throw GraphException.badRequest("Each target must be an invitationParticipantInfo with an 'identity'.");
      }
    }
    JsonObject source = participantInfo(Bodies.object(body, "source", false));
    boolean pstn = source.getJsonObject("identity").getJsonObject("applicationInstance") != null;
    boolean callsPhone = targets.stream().anyMatch(t -> ((JsonObject) t).getJsonObject("identity").getJsonObject("phone") != null);
    if (callsPhone && !pstn) {
      throw GraphException.badRequest("Calling a phone number needs an application instance: set"
          + " source.identity.applicationInstance to the bot's application instance (the emulator's is "
          + env.app.applicationInstanceId() + ").");
    }
    Call.Kind kind = meeting ? Call.Kind.MEETING : targets.size() > 1 ? Call.Kind.GROUP : Call.Kind.PEER_TO_PEER;
    String tenant = body.getString("tenantId", env.app.tenantId());
    Call call = new Call(env.clock.now(), false, kind, tenant, source, targets, modalities, chatInfo, meetingInfo,
        Bodies.string(body, "subject", false), Bodies.object(body, "callOptions", false), pstn,
        CallState.ESTABLISHING, callbackUri, mediaConfig);
    call.onlineMeetingId = onlineMeetingId;
    call.joinRefusal = refusal;
    book.add(call);
    LOG.info("Call {} created ({}, {} target(s))", call.id, kind, targets.size());
    return call;
  }

  /** Sends {@code establishing} and rings the targets (or joins the meeting). */
  void dial(Call call) {
    env.notifyState(call);
    armKeepAlive(call);
    if (call.kind == Call.Kind.MEETING) {
      JsonObject organizer = call.meetingInfo.getJsonObject("organizer");
      env.schedule(call, CallEnv.SETUP_MS, () -> {
        if (call.state != CallState.ESTABLISHING) {
          return;
        }
        if (call.joinRefusal != null) { // Graph's way: 201, establishing, then terminated with the reason
          terminate(call, call.joinRefusal, null);
          return;
        }
        if (call.onlineMeetingId != null) { // an emulated meeting: whoever is in it now
          env.meetingJoins.present(call.onlineMeetingId)
              .forEach(person -> env.addParticipant(call, person.copy(), env.behaviorOf(person)));
        } else if (organizer != null && organizer.getJsonObject("user") != null) {
          env.addParticipant(call, organizer.copy(), env.behaviorOf(organizer));
        }
        establish(call);
      });
      return;
    }
    int[] unresolved = {call.targets.size()};
    for (Object t : call.targets) {
      JsonObject identity = ((JsonObject) t).getJsonObject("identity");
      env.ring(call, env.behaviorOf(identity), () -> {
        unresolved[0]--;
        if (call.state == CallState.TERMINATING) {
          return;
        }
        Participant p = env.addParticipant(call, identity.copy(), env.behaviorOf(identity));
        if (call.state == CallState.ESTABLISHING) {
          establish(call);
        } else {
          env.notifyRoster(call);
        }
        startBehavior(call, p);
      }, why -> {
        unresolved[0]--;
        if (call.state == CallState.ESTABLISHING && unresolved[0] == 0) {
          terminate(call, call.kind == Call.Kind.GROUP ? ResultInfo.NOBODY_JOINED : why, null);
        }
      });
    }
  }

  // ---------------------------------------------------------------- incoming

  /**
   * A simulated person calls the bot (the control API). The call starts {@code incoming}; the bot
   * has {@value CallEnv#ANSWER_WINDOW_MS} emulated ms to answer, reject or redirect it.
   *
   * @param caller who calls; a phone-only party makes it a PSTN call to the bot's application instance
   */
  Call incoming(DirectoryUser caller, Behavior behavior, String callbackUri, JsonArray modalities,
      boolean viaApplicationInstance) {
    JsonObject source = participantInfo(new JsonObject().put("identity", caller.identitySet(env.app.tenantId())))
        .put("region", "amer").put("languageId", "en-US");
    boolean pstn = caller.isPhoneOnly() || viaApplicationInstance;
    JsonObject target = new JsonObject()
        .put("@odata.type", "#microsoft.graph.invitationParticipantInfo")
        .put("identity", pstn ? env.app.applicationInstanceIdentitySet() : env.app.applicationIdentitySet())
        .put("endpointType", "default")
        .put("region", "amer")
        .put("languageId", null);
    Call call = new Call(env.clock.now(), true, Call.Kind.PEER_TO_PEER, env.app.tenantId(), source, new JsonArray().add(target),
        modalities, null, null, null, null, pstn, CallState.INCOMING, callbackUri, null);
    target.put("id", call.myParticipantId); // the bot's leg, as Graph reports it
    book.add(call);
    env.addParticipant(call, source.getJsonObject("identity").copy(), behavior);
    JsonObject data = call.toJson(env.baseUrl);
    data.remove("@odata.context");
    env.notify(call, "created", call.path(), data);
    env.schedule(call, CallEnv.ANSWER_WINDOW_MS, () -> {
      if (call.state == CallState.INCOMING) {
        LOG.info("Call {} was not answered within the 15 s window", call.id);
        terminate(call, ResultInfo.ANSWER_TIMEOUT, null);
      }
    });
    LOG.info("Incoming call {} from {}", call.id, caller.id() != null ? caller.id() : caller.phone());
    return call;
  }

  /** {@code POST .../answer}: validates; returns the follow-up that establishes the call. */
  Runnable answer(Call call, JsonObject body) {
    CallEnv.requireState(call, CallState.INCOMING, "answer");
    modalities(body, "acceptedModalities");
    JsonObject mediaConfig = mediaConfig(body);
    String uri = callbackUri(body, false);
    if (uri != null) {
      call.callbackUri = uri;
    }
    call.mediaConfig = mediaConfig;
    call.state = CallState.ESTABLISHING;
    return () -> {
      env.notifyState(call);
      prefetch(call);
      armKeepAlive(call);
      env.schedule(call, CallEnv.SETUP_MS, () -> {
        if (call.state == CallState.ESTABLISHING) { // not hung up meanwhile
          establish(call);
          call.remoteParticipants().forEach(p -> startBehavior(call, p));
        }
      });
    };
  }

  /** {@code POST .../reject}. */
  Runnable reject(Call call, JsonObject body) {
    CallEnv.requireState(call, CallState.INCOMING, "reject");
    String reason = Bodies.string(body, "reason", false);
    if (reason != null && !List.of("none", "busy", "forbidden").contains(reason)) {
      throw GraphException.badRequest("Property 'reason' must be none, busy or forbidden; got '" + reason + "'.");
    }
    String uri = callbackUri(body, false);
    if (uri != null) {
      call.callbackUri = uri;
    }
    call.state = CallState.TERMINATING;
    return () -> terminate(call, ResultInfo.ENDED_BY_APP.withMessage(
        "The call was rejected by the application (reason: " + (reason == null ? "none" : reason) + ")."), null);
  }

  /** {@code POST .../redirect}: single target or simultaneous ring (up to 25). */
  Runnable redirect(Call call, JsonObject body) {
    CallEnv.requireState(call, CallState.INCOMING, "redirect");
    JsonArray targets = body.getValue("targets") instanceof JsonArray a ? a : null;
    if (targets == null || targets.isEmpty() || targets.size() > 25) {
      throw GraphException.badRequest("Property 'targets' must be an array of 1 to 25 invitationParticipantInfo.");
    }
    for (Object t : targets) {
      if (!(t instanceof JsonObject o) || !(o.getValue("identity") instanceof JsonObject)) {
        throw GraphException.badRequest("Each redirect target must be an invitationParticipantInfo with an 'identity'.");
      }
    }
    Bodies.integer(body, "timeout", targets.size() == 1 ? 55 : 60, 15, 90);
    String uri = callbackUri(body, false);
    if (uri != null) {
      call.callbackUri = uri;
    }
    call.state = CallState.REDIRECTING;
    call.answeredBy = new JsonObject().put("@odata.type", "#microsoft.graph.participantInfo")
        .put("identity", targets.getJsonObject(0).getJsonObject("identity").copy()).put("endpointType", "default");
    return () -> env.schedule(call, CallEnv.SETUP_MS, () -> terminate(call,
        ResultInfo.ENDED_BY_APP.withMessage("The call was redirected by the application."), call.toJson(env.baseUrl)));
  }

  // ---------------------------------------------------------------- established calls

  /** {@code POST .../transfer}: blind, or consultative with {@code transferTarget.replacesCallId}. */
  Runnable transfer(Call call, JsonObject body) {
    CallEnv.requireState(call, CallState.ESTABLISHED, "transfer");
    JsonObject target = Bodies.object(body, "transferTarget", true);
    JsonObject identity = Bodies.object(target, "identity", true);
    if (identity.getJsonObject("phone") != null && !call.pstn) {
      throw GraphException.badRequest("Transfer to a phone number needs a call placed or answered by an application"
          + " instance (a PSTN call).");
    }
    String replaces = Bodies.string(target, "replacesCallId", false);
    call.state = CallState.TRANSFERRING;
    return () -> {
      env.notifyState(call);
      env.ring(call, env.behaviorOf(identity), () -> {
        if (call.state != CallState.TRANSFERRING) {
          return; // hung up meanwhile
        }
        call.state = CallState.TRANSFER_ACCEPTED;
        env.notifyState(call);
        env.schedule(call, CallEnv.SETUP_MS, () -> completeTransfer(call, replaces));
      }, why -> {
        if (call.state != CallState.TRANSFERRING) {
          return;
        }
        call.state = CallState.ESTABLISHED;
        int subcode = replaces != null ? 7700 : 7000;
        JsonObject data = call.stateData().put("resultInfo", new JsonObject()
            .put("@odata.type", "#microsoft.graph.resultInfo")
            .put("code", 500)
            .put("subcode", subcode)
            .put("subCode", subcode)
            .put("message", "The transfer failed: " + why.message()));
        if (replaces != null) {
          data.put("replacesContext", replaces);
        }
        env.notify(call, "updated", call.path(), data);
      });
    };
  }

  private void completeTransfer(Call call, String replacesCallId) {
    Call replaced = book.liveOrNull(replacesCallId);
    JsonObject extra = new JsonObject();
    if (replaced != null && replaced != call) {
      call.terminationReason = "AppTransferred";
      extra.put("terminationReason", "AppTransferred");
      terminate(replaced, ResultInfo.REPLACED_BY_TRANSFER, null);
    }
    terminate(call, ResultInfo.TRANSFER_COMPLETED, extra);
  }

  /** {@code DELETE /communications/calls/{id}}: {@code terminating}, then {@code terminated}. */
  Runnable hangUp(Call call) {
    if (call.state == CallState.TERMINATING) {
      return () -> { }; // already on its way out
    }
    call.state = CallState.TERMINATING;
    return () -> {
      env.notifyState(call);
      env.schedule(call, CallEnv.TEARDOWN_MS, () -> terminate(call, ResultInfo.ENDED_BY_APP, null));
    };
  }

  /** {@code POST .../keepAlive}: restarts the 45-minute inactivity limit. */
  void keepAlive(Call call) {
    armKeepAlive(call);
  }

  /** A simulated person leaves (behavior or control API). */
  void remoteLeaves(Call call, Participant p) {
    if (!call.live() || !call.participants.containsKey(p.id)) {
      return;
    }
    if (call.state == CallState.INCOMING || call.state == CallState.ESTABLISHING) {
      terminate(call, call.incoming ? ResultInfo.OTHER_ENDED : ResultInfo.DECLINED, null);
      return;
    }
    call.participants.remove(p.id);
    if (call.kind == Call.Kind.PEER_TO_PEER) {
      terminate(call, p.isPhone() ? ResultInfo.PSTN_USER_ENDED : ResultInfo.OTHER_ENDED_P2P, null);
    } else {
      env.notifyRoster(call);
      if (call.kind == Call.Kind.GROUP && call.remoteParticipants().isEmpty()) {
        terminate(call, ResultInfo.ALL_LEFT, null);
      }
    }
  }

  /** Starts what a person who just joined will do: press keys and hang up at their times. */
  void startBehavior(Call call, Participant p) {
    for (Behavior.KeyPress kp : p.behavior.pressKeys()) {
      env.schedule(call, kp.atMs(), () -> kp.tones().forEach(t -> ivr.press(call, t)));
    }
    if (p.behavior.hangUpAfterMs() != null) {
      env.schedule(call, p.behavior.hangUpAfterMs(), () -> remoteLeaves(call, p));
    }
  }

  /**
   * Ends the call: cancels its timers and media, sends {@code deleted} with {@code state:
   * terminated} and the result. Does nothing on an ended call.
   *
   * @param data extra properties for the notification's resourceData, or the full resource to send
   */
  void terminate(Call call, ResultInfo result, JsonObject data) {
    if (!call.live()) {
      return;
    }
    env.cancelAll(call);
    ivr.abandon(call);
    call.state = CallState.TERMINATED;
    call.resultInfo = result;
    book.retire(call);
    JsonObject d = data != null && data.containsKey("@odata.type") ? data : call.stateData();
    if (data != null && d != data) {
      data.forEach(e -> d.put(e.getKey(), e.getValue()));
    }
    d.put("state", CallState.TERMINATED.json()).put("resultInfo", result.toJson());
    env.notify(call, "deleted", call.path(), d);
    LOG.info("Call {} terminated: {}/{} {}", call.id, result.code(), result.subcode(), result.message());
    env.callFinished.accept(call.ended(env.clock.now()));
  }

  /** Ends a call silently (reset). */
  void discard(Call call) {
    env.cancelAll(call);
    ivr.abandon(call);
    call.state = CallState.TERMINATED;
  }

  // ---------------------------------------------------------------- helpers

  private void establish(Call call) {
    call.state = CallState.ESTABLISHED;
    env.notifyState(call);
    env.addBot(call);
    env.notifyRoster(call);
  }

  private void armKeepAlive(Call call) {
    env.cancel(call, call.keepAliveTimer);
    call.keepAliveTimer = env.schedule(call, CallEnv.KEEPALIVE_LIMIT_MS,
        () -> terminate(call, ResultInfo.KEEPALIVE_TIMEOUT, null));
  }

  private void prefetch(Call call) {
    if (call.mediaConfig != null && call.mediaConfig.getValue("preFetchMedia") instanceof JsonArray media) {
      for (Object m : media) {
        if (m instanceof JsonObject info && info.getString("uri") != null) {
          env.prompts.load(info.getString("uri"), info.getString("resourceId"))
              .onFailure(e -> LOG.info("preFetchMedia of call {}: {}", call.id, e.getMessage()));
        }
      }
    }
  }

  private JsonObject participantInfo(JsonObject given) {
    JsonObject info = given == null ? new JsonObject() : given.copy();
    if (!(info.getValue("identity") instanceof JsonObject)) {
      info.put("identity", env.app.applicationIdentitySet());
    }
    info.put("@odata.type", "#microsoft.graph.participantInfo");
    for (String k : List.of("countryCode", "endpointType", "region", "languageId")) {
      info.put(k, info.getValue(k));
    }
    return info;
  }

  private static String callbackUri(JsonObject body, boolean required) {
    String uri = Bodies.string(body, "callbackUri", required);
    if (uri != null) {
      String bad = OutboundClients.checkUrl(uri);
      if (bad != null) {
        throw GraphException.badRequest("Property 'callbackUri' must be an absolute https (or http) URL: " + bad + ".");
      }
    }
    return uri;
  }

  private static JsonObject mediaConfig(JsonObject body) {
    JsonObject mc = Bodies.object(body, "mediaConfig", true);
    String type = mc.getString("@odata.type");
    if (!SERVICE_HOSTED.equals(type) && !APP_HOSTED.equals(type)) {
      throw GraphException.badRequest("mediaConfig.@odata.type must be " + SERVICE_HOSTED + " or " + APP_HOSTED
          + "; got '" + type + "'.");
    }
    return mc.copy();
  }

  private static JsonArray modalities(JsonObject body, String name) {
    Object v = body.getValue(name);
    if (!(v instanceof JsonArray a) || a.isEmpty()) {
      throw GraphException.badRequest("Property '" + name + "' is required: a non-empty array such as [\"audio\"].");
    }
    for (Object m : a) {
      if (!(m instanceof String s) || !MODALITIES.contains(s)) {
        throw GraphException.badRequest("'" + m + "' is not a modality; expected one of " + MODALITIES + ".");
      }
    }
    return a.copy();
  }

  private static void checkMeetingInfo(JsonObject meetingInfo, JsonObject chatInfo) {
    String type = meetingInfo.getString("@odata.type", "");
    switch (type) {
      case "#microsoft.graph.organizerMeetingInfo" -> {
        if (!(meetingInfo.getValue("organizer") instanceof JsonObject)) {
          throw GraphException.badRequest("organizerMeetingInfo needs an 'organizer' identitySet.");
        }
        if (chatInfo == null || chatInfo.getString("threadId") == null) {
          throw GraphException.badRequest("Joining a meeting with organizerMeetingInfo needs chatInfo.threadId.");
        }
      }
      case "#microsoft.graph.joinMeetingIdMeetingInfo" -> {
        if (meetingInfo.getString("joinMeetingId") == null) {
          throw GraphException.badRequest("joinMeetingIdMeetingInfo needs 'joinMeetingId'.");
        }
      }
      case "#microsoft.graph.tokenMeetingInfo" -> {
        if (meetingInfo.getString("token") == null) {
          throw GraphException.badRequest("tokenMeetingInfo needs 'token'.");
        }
      }
      default -> throw GraphException.badRequest("meetingInfo.@odata.type must be #microsoft.graph.organizerMeetingInfo,"
          + " #microsoft.graph.joinMeetingIdMeetingInfo or #microsoft.graph.tokenMeetingInfo; got '" + type + "'.");
    }
  }
}
