package dev.switchboard.calling;

import dev.switchboard.api.CallCommands;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.GraphClient;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * The commands on one call, carried out by its owner: checks the call's state (409 naming it), validates the
 * command (400, 422), sends Graph the request and records what it changed in the model. The caller stores the
 * model once the returned future has completed.
 */
final class CallActions {

  private static final Set<String> TONES = Set.of("tone0", "tone1", "tone2", "tone3", "tone4", "tone5", "tone6",
      "tone7", "tone8", "tone9", "star", "pound", "a", "b", "c", "d", "flash");
  private static final List<String> CLAIMS = List.of(CallCommands.ANSWER, CallCommands.REJECT, CallCommands.REDIRECT);

  private final GraphClient graph;
  private final CallingSettings settings;
  private final System.Logger log;

  CallActions(GraphClient graph, CallingSettings settings, System.Logger log) {
    this.graph = graph;
    this.settings = settings;
    this.log = log;
  }

  /** Whether {@code command} is one this class carries out. */
  static boolean handles(String command) {
    return List.of(CallCommands.GET, CallCommands.ANSWER, CallCommands.REJECT, CallCommands.REDIRECT,
        CallCommands.TRANSFER, CallCommands.HANG_UP, CallCommands.MUTE, CallCommands.UNMUTE, CallCommands.SEND_TONES,
        CallCommands.SUBSCRIBE_TO_TONE, CallCommands.KEEP_ALIVE, CallCommands.LIST_PARTICIPANTS,
        CallCommands.INVITE_PARTICIPANTS, CallCommands.MUTE_PARTICIPANT, CallCommands.REMOVE_PARTICIPANT)
        .contains(command);
  }

  Future<JsonObject> run(CallRecord call, String command, JsonObject c) {
    String path = "/communications/calls/" + call.id();
    switch (command) {
      case CallCommands.GET:
        return Future.succeededFuture(call.view());
      case CallCommands.LIST_PARTICIPANTS:
        return Future.succeededFuture(new JsonObject().put("value", call.json.getJsonArray("participants").copy()));
      case CallCommands.ANSWER: {
        claimable(call, command);
        JsonObject body = new JsonObject()
            .put("acceptedModalities", modalities(c, "acceptedModalities"))
            .put("mediaConfig", mediaConfig(c));
        if (settings.callbackUri() != null) {
          body.put("callbackUri", settings.callbackUri());
        }
        boolean tones = bool(c, "subscribeToTones");
        return graph.post(path + "/answer", body).map(r -> {
          claimed(call, c, "answered");
          call.internal().put("subscribeOnEstablished", tones);
          return call.view();
        });
      }
      case CallCommands.REJECT: {
        claimable(call, command);
        String reason = string(c, "reason", "none");
        if (!List.of("none", "busy", "forbidden").contains(reason)) {
          throw bad("'reason' must be none, busy or forbidden; got '" + reason + "'");
        }
        return graph.post(path + "/reject", new JsonObject().put("reason", reason))
            .map(r -> claimed(call, c, "rejected").view());
      }
      case CallCommands.REDIRECT: {
        claimable(call, command);
        JsonObject body = new JsonObject().put("targets", Targets.parseAll(c.getValue("targets"), "targets", 25));
        if (c.getValue("timeout") != null) {
          Object t = c.getValue("timeout");
          if (!(t instanceof Number n) || n.intValue() < 15 || n.intValue() > 90) {
            throw bad("'timeout' must be a number of seconds from 15 to 90; got " + t);
          }
          body.put("timeout", ((Number) t).intValue());
        }
        if (settings.callbackUri() != null) {
          body.put("callbackUri", settings.callbackUri());
        }
        return graph.post(path + "/redirect", body).map(r -> {
          claimed(call, c, "redirected").json.put("redirectTargets", body.getJsonArray("targets").copy());
          return call.view();
        });
      }
      case CallCommands.TRANSFER: {
        requireState(call, command, "established");
        JsonObject target = Targets.parse(c.getValue("target"), "target");
        String replaces = string(c, "replacesCallId", target.getString("replacesCallId"));
        if (replaces != null) {
          target.put("replacesCallId", replaces);
        }
        JsonObject body = new JsonObject().put("transferTarget", target);
        if (c.getValue("transferee") instanceof JsonObject transferee) {
          body.put("transferee", transferee.copy());
        }
        return graph.post(path + "/transfer", body).map(r -> {
          call.json.put("transfer", new JsonObject().put("status", "requested").put("target", target.copy())
              .put("consultative", replaces != null).put("replacesCallId", replaces));
          call.touch();
          return call.view();
        });
      }
      case CallCommands.HANG_UP: {
        if (call.terminated()) {
          throw illegal(call, command, "any state but terminated");
        }
        if ("terminating".equals(call.state())) {
          return Future.succeededFuture(call.view());
        }
        return graph.delete(path).map(r -> {
          call.internal().put("hungUpByBot", true);
          return call.view();
        });
      }
      case CallCommands.MUTE:
      case CallCommands.UNMUTE:
        requireState(call, command, "established");
        return operation(call, graph.post(path + "/" + command, clientContext(c)));
      case CallCommands.SEND_TONES: {
        requireState(call, command, "established");
        if (!(c.getValue("tones") instanceof JsonArray tones) || tones.isEmpty()
            || !tones.stream().allMatch(t -> t instanceof String s && TONES.contains(s))) {
          throw bad("'tones' must be a non-empty array of " + TONES.stream().sorted().toList() + "; got "
              + c.getValue("tones"));
        }
        JsonObject body = clientContext(c).put("tones", tones.copy());
        if (c.getValue("delayBetweenTonesMs") instanceof Number n) {
          body.put("delayBetweenTonesMs", n.intValue());
        }
        return operation(call, graph.post(path + "/sendDtmfTones", body));
      }
      case CallCommands.SUBSCRIBE_TO_TONE:
        requireState(call, command, "established");
        return subscribeToTone(call, clientContext(c));
      case CallCommands.KEEP_ALIVE:
        if (call.terminated() || "incoming".equals(call.state())) {
          throw illegal(call, command, "any state from establishing to terminating");
        }
        return graph.post(path + "/keepAlive", null).map(r -> {
          call.json.put("lastKeepAliveAt", java.time.Instant.now().toString());
          return call.view();
        });
      case CallCommands.INVITE_PARTICIPANTS: {
        requireState(call, command, "established");
        JsonObject body = clientContext(c).put("participants",
            Targets.parseAll(c.getValue("participants"), "participants", 25));
        return operation(call, graph.post(path + "/participants/invite", body));
      }
      case CallCommands.MUTE_PARTICIPANT:
        requireState(call, command, "established");
        return operation(call, graph.post(path + "/participants/" + participant(call, c) + "/mute", clientContext(c)));
      case CallCommands.REMOVE_PARTICIPANT:
        requireState(call, command, "established");
        return graph.delete(path + "/participants/" + participant(call, c)).map(r -> new JsonObject());
      default:
        throw bad("unknown command '" + command + "'");
    }
  }

  /** Subscribes the call to tones; also used when an answer asked for it and the call is now established. */
  Future<JsonObject> subscribeToTone(CallRecord call, JsonObject body) {
    return operation(call, graph.post("/communications/calls/" + call.id() + "/subscribeToTone", body)
        .onSuccess(r -> call.json.put("toneSubscribed", true)));
  }

  private Future<JsonObject> operation(CallRecord call, Future<dev.switchboard.api.GraphResponse> request) {
    return request.map(r -> {
      JsonObject op = r.body() == null ? new JsonObject() : r.body().copy();
      op.remove("@odata.context");
      String type = op.getString("@odata.type", "#microsoft.graph.commsOperation");
      op.remove("@odata.type");
      op.put("type", type.substring(type.lastIndexOf('.') + 1));
      String status = op.getString("status");
      if (op.getString("id") != null && !"completed".equals(status) && !"failed".equals(status)) {
        call.json.getJsonObject("pendingOperations").put(op.getString("id"), op.copy());
      }
      call.touch();
      return op;
    });
  }

  private CallRecord claimed(CallRecord call, JsonObject c, String how) {
    String by = string(c, "by", "unnamed");
    call.json.put("claimedBy", by).put("claim", how);
    call.touch();
    log.log(System.Logger.Level.INFO, "Call " + call.id() + " " + how + " by " + by);
    return call;
  }

  private static void claimable(CallRecord call, String command) {
    requireState(call, command, "incoming");
    if (call.json.getString("claimedBy") != null) {
      throw new SwitchboardException(ErrorCode.CONFLICT, "alreadyClaimed", "Cannot " + command + " call " + call.id()
          + ": it is incoming but was already " + call.json.getString("claim") + " by "
          + call.json.getString("claimedBy"));
    }
  }

  private static void requireState(CallRecord call, String command, String state) {
    if (!state.equals(call.state())) {
      throw illegal(call, command, state);
    }
  }

  static SwitchboardException illegal(CallRecord call, String command, String allowed) {
    return new SwitchboardException(ErrorCode.CONFLICT, "illegalState", "Cannot " + command + " call " + call.id()
        + ": it is " + call.state() + ", and " + command + " is only possible while it is " + allowed);
  }

  private static String participant(CallRecord call, JsonObject c) {
    String id = string(c, "participantId", null);
    if (id == null || id.isBlank()) {
      throw bad("'participantId' is required");
    }
    boolean known = call.json.getJsonArray("participants").stream()
        .anyMatch(p -> id.equals(((JsonObject) p).getString("id")));
    if (!known) {
      throw new SwitchboardException(ErrorCode.NOT_FOUND, "participantNotFound",
          "Participant " + id + " is not in call " + call.id());
    }
    return id;
  }

  static JsonArray modalities(JsonObject c, String field) {
    Object value = c.getValue(field);
    if (value == null) {
      return new JsonArray().add("audio");
    }
    if (!(value instanceof JsonArray a) || a.isEmpty() || !a.stream().allMatch(m -> m instanceof String s
        && List.of("audio", "video", "videoBasedScreenSharing", "data").contains(s))) {
      throw bad("'" + field + "' must be a non-empty array of audio, video, videoBasedScreenSharing, data; got " + value);
    }
    return a.copy();
  }

  static JsonObject mediaConfig(JsonObject c) {
    JsonObject config = new JsonObject().put("@odata.type", "#microsoft.graph.serviceHostedMediaConfig");
    Object prefetch = c.getValue("preFetchMedia");
    if (prefetch != null) {
      if (!(prefetch instanceof JsonArray a) || !a.stream().allMatch(m -> m instanceof JsonObject o
          && o.getValue("uri") instanceof String)) {
        throw bad("'preFetchMedia' must be an array of {\"uri\": ..., \"resourceId\": ...}");
      }
      JsonArray media = new JsonArray();
      a.forEach(m -> media.add(((JsonObject) m).copy().put("@odata.type", "#microsoft.graph.mediaInfo")));
      config.put("preFetchMedia", media);
    }
    return config;
  }

  private static JsonObject clientContext(JsonObject c) {
    JsonObject body = new JsonObject();
    String context = string(c, "clientContext", null);
    if (context != null) {
      if (context.length() > 256) {
        throw bad("'clientContext' is at most 256 characters");
      }
      body.put("clientContext", context);
    }
    return body;
  }

  static String string(JsonObject c, String field, String fallback) {
    Object value = c.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String s)) {
      throw bad("'" + field + "' must be a string; got " + value);
    }
    return s;
  }

  private static boolean bool(JsonObject c, String field) {
    Object value = c.getValue(field);
    if (value != null && !(value instanceof Boolean)) {
      throw bad("'" + field + "' must be true or false; got " + value);
    }
    return Boolean.TRUE.equals(value);
  }

  static SwitchboardException bad(String message) {
    return new SwitchboardException(ErrorCode.BAD_REQUEST, message);
  }
}
