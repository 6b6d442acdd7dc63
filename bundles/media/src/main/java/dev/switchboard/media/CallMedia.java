package dev.switchboard.media;

import dev.switchboard.api.CallCommands;
import dev.switchboard.api.CallEvents;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.GraphResponse;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.MediaCommands;
import dev.switchboard.api.MediaEvents;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The media of each call, as the owner of the call's key on {@link #ADDRESS}: commands (play, record, gather,
 * cancel), the calling bundle's events for the call (operation completed, tone, terminated), gather timers and
 * finished downloads all arrive there, one at a time and in order. Everything a call's media needs to continue lives
 * in the state store under {@code call:<id>} and is written before a message completes, so a newer version of the
 * plugin that takes the key over carries on. Messages may arrive twice (two versions forward the same event while
 * they run side by side), so each is handled idempotently.
 */
final class CallMedia {

  /** The keyed address of call media; the key is the call id. */
  static final String ADDRESS = "switchboard.media.calls";

  private static final int MAX_DIGITS = 64;
  private static final int TONES_REMEMBERED = 64;

  private final PluginContext context;
  private final Prompts prompts;
  private final Recordings recordings;

  CallMedia(PluginContext context, Prompts prompts, Recordings recordings) {
    this.context = context;
    this.prompts = prompts;
    this.recordings = recordings;
  }

  static String stateKey(String callId) {
    return "call:" + callId;
  }

  Future<JsonObject> handle(KeyedMessage message) {
    String callId = message.key();
    JsonObject body = message.body();
    return context.state().get(stateKey(callId)).compose(stored -> {
      JsonObject call = stored;
      if (body.getString("event") != null) {
        return call == null ? Future.succeededFuture(new JsonObject()) : onEvent(call, body).compose(this::save);
      }
      if (body.containsKey("timer")) {
        return call == null ? Future.succeededFuture(new JsonObject()) : onTimer(call).compose(this::save);
      }
      if (body.getString("downloaded") != null) {
        return call == null ? Future.succeededFuture(new JsonObject()) : onDownloaded(call, body).compose(this::save);
      }
      String command = body.getString(MediaCommands.COMMAND);
      if (MediaCommands.STATUS.equals(command)) {
        if (call == null) {
          return Future.succeededFuture(new JsonObject().put("callId", callId).put("operations", new JsonObject()));
        }
        JsonObject view = call.copy();
        view.remove("tonesSeen");
        return Future.succeededFuture(view);
      }
      Future<JsonObject> known = call != null ? Future.succeededFuture(call) : begin(callId);
      return known.compose(c -> command(c, command, body));
    });
  }

  /** Saves the call's state and replies with what the step produced (kept under {@code reply}). */
  private Future<JsonObject> save(JsonObject call) {
    JsonObject reply = (JsonObject) call.remove("reply");
    Future<Void> written = Boolean.TRUE.equals(call.remove("forget"))
        ? context.state().remove(stateKey(call.getString("callId")))
        : context.state().put(stateKey(call.getString("callId")), call);
    return written.map(v -> reply == null ? new JsonObject() : reply);
  }

  /** First command on a call: learn its tenant and state from the calling bundle. */
  private Future<JsonObject> begin(String callId) {
    return context.eventBus().<JsonObject>request(CallCommands.ADDRESS, new JsonObject()
        .put(CallCommands.COMMAND, CallCommands.GET).put(CallCommands.CALL_ID, callId))
        .recover(e -> Future.failedFuture(SwitchboardException.from(e)))
        .map(m -> new JsonObject().put("callId", callId).put("tenantId", m.body().getString("tenantId"))
            .put("toneSubscribed", m.body().getBoolean("toneSubscribed", false))
            .put("callState", m.body().getString("state")).put("operations", new JsonObject()));
  }

  private Future<JsonObject> command(JsonObject call, String command, JsonObject body) {
    if (command == null) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "A media command needs '"
          + MediaCommands.COMMAND + "'."));
    }
    if (call.getBoolean("ended", false)) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.CONFLICT, "illegalState", "Call "
          + call.getString("callId") + " has ended."));
    }
    Future<JsonObject> step = switch (command) {
      case MediaCommands.PLAY -> play(call, body);
      case MediaCommands.RECORD -> record(call, body);
      case MediaCommands.GATHER -> gather(call, body);
      case MediaCommands.CANCEL -> cancel(call);
      default -> Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "Unknown media command '"
          + command + "'; known: play, record, gather, cancel, status, resolvePrompts."));
    };
    return step.compose(this::save);
  }

  // ---- operations -------------------------------------------------------------------------------------------------

  private JsonObject newOperation(JsonObject call, String kind, JsonObject body) {
    String id = UUID.randomUUID().toString();
    JsonObject op = new JsonObject().put("operationId", id).put("callId", call.getString("callId")).put("kind", kind)
        .put("status", "running").put("clientContext", body.getString("clientContext"))
        .put("graphOperationIds", new JsonArray()).put("createdAt", Instant.now().toString());
    call.getJsonObject("operations").put(id, op);
    return op;
  }

  private Future<GraphResponse> graphAction(JsonObject call, String action, JsonObject body) {
    return context.graph(call.getString("tenantId"))
        .post("/communications/calls/" + call.getString("callId") + "/" + action, body);
  }

  /** Persists the operation before Graph hears of it, so that its completion always finds it. */
  private Future<JsonObject> startGraphOperation(JsonObject call, JsonObject op, String action, JsonObject body) {
    return context.state().put(stateKey(call.getString("callId")), call)
        .compose(v -> graphAction(call, action, body.put("clientContext", op.getString("operationId"))))
        .recover(e -> {
          call.getJsonObject("operations").remove(op.getString("operationId"));
          return context.state().put(stateKey(call.getString("callId")), call).transform(x -> Future.failedFuture(e));
        })
        .map(response -> {
          JsonObject graphOp = response.body();
          op.getJsonArray("graphOperationIds").add(graphOp.getString("id"));
          String status = graphOp.getString("status");
          if ("completed".equals(status) || "failed".equals(status)) {
            graphOp.put("type", action + "Operation");
            operationCompleted(call, op, graphOp);
          }
          return call.put("reply", reply(op));
        });
  }

  private static JsonObject reply(JsonObject op) {
    return new JsonObject().put("operationId", op.getString("operationId")).put("callId", op.getString("callId"))
        .put("kind", op.getString("kind")).put("status", op.getString("status"))
        .put("graphOperationIds", op.getJsonArray("graphOperationIds").copy());
  }

  private Future<JsonObject> play(JsonObject call, JsonObject body) {
    return prompts.resolve(body.getValue("prompts"), Prompts.MAX_PROMPTS).compose(list -> {
      JsonObject op = newOperation(call, "play", body);
      return startGraphOperation(call, op, "playPrompt", new JsonObject().put("prompts", list));
    });
  }

  private Future<JsonObject> record(JsonObject call, JsonObject body) {
    Future<JsonArray> prompt = body.getValue("prompt") == null ? Future.succeededFuture(new JsonArray())
        : prompts.resolve(new JsonArray().add(body.getValue("prompt")), 1);
    return prompt.compose(list -> {
      JsonObject graphBody = new JsonObject().put("prompts", list).put("bargeInAllowed", false)
          .put("initialSilenceTimeoutInSeconds", RecordOptions.seconds(body, "initialSilenceSeconds", 5))
          .put("maxSilenceTimeoutInSeconds", RecordOptions.seconds(body, "maxSilenceSeconds", 5))
          .put("maxRecordDurationInSeconds", RecordOptions.seconds(body, "maxDurationSeconds", 60))
          .put("playBeep", body.getBoolean("beep", true))
          .put("stopTones", RecordOptions.stopTones(body.getValue("stopTones")));
      JsonObject op = newOperation(call, "record", body);
      return startGraphOperation(call, op, "recordResponse", graphBody);
    });
  }

  private Future<JsonObject> cancel(JsonObject call) {
    List<String> cancelled = new ArrayList<>();
    JsonObject gather = call.getJsonObject("gather");
    if (gather != null) {
      cancelled.add(gather.getString("operationId"));
      finishGather(call, "cancelled");
    }
    call.getJsonObject("operations").forEach(e -> {
      JsonObject op = (JsonObject) e.getValue();
      if ("running".equals(op.getString("status")) && !op.getString("kind").equals("gather")) {
        cancelled.add(op.getString("operationId"));
        op.put("cancelRequested", true);
      }
    });
    return graphAction(call, "cancelMediaProcessing", new JsonObject().put("clientContext", "switchboard-media-cancel"))
        .map(r -> call.put("reply", new JsonObject().put("callId", call.getString("callId"))
            .put("cancelled", new JsonArray(cancelled))));
  }

  // ---- gather -----------------------------------------------------------------------------------------------------

  private Future<JsonObject> gather(JsonObject call, JsonObject body) {
    if (call.getJsonObject("gather") != null) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.CONFLICT, "illegalState", "Call "
          + call.getString("callId") + " is already gathering digits (operation "
          + call.getJsonObject("gather").getString("operationId") + "); cancel it first."));
    }
    int maxDigits = body.getInteger("maxDigits", 1);
    String terminator = body.getString("terminator") == null ? null : body.getString("terminator").toUpperCase();
    if (maxDigits < 1 || maxDigits > MAX_DIGITS || terminator != null && Tones.fromDigit(terminator) == null) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "'maxDigits' must be 1-" + MAX_DIGITS
          + " and 'terminator' one of 0-9 * # A-D; got " + maxDigits + " and " + terminator));
    }
    long interDigit = body.getLong("interDigitTimeoutMs", 3_000L);
    long timeout = body.getLong("timeoutMs", 10_000L);
    if (interDigit < 1 || timeout < 1) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "Timeouts must be positive."));
    }
    Future<JsonArray> resolved = body.getValue("prompts") == null ? Future.succeededFuture(new JsonArray())
        : prompts.resolve(body.getValue("prompts"), Prompts.MAX_PROMPTS);
    return resolved.compose(list -> subscribeToTones(call).map(list)).compose(list -> {
      JsonObject op = newOperation(call, "gather", body);
      JsonObject g = new JsonObject().put("operationId", op.getString("operationId")).put("maxDigits", maxDigits)
          .put("terminator", terminator).put("interDigitTimeoutMs", interDigit).put("timeoutMs", timeout)
          .put("bargeIn", body.getBoolean("bargeIn", true)).put("digits", "");
      call.put("gather", g);
      if (list.isEmpty()) {
        promptDone(call, g);
        return context.state().put(stateKey(call.getString("callId")), call).map(v -> call.put("reply", reply(op)));
      }
      g.put("promptDone", false);
      return startGraphOperation(call, op, "playPrompt", new JsonObject().put("prompts", list));
    });
  }

  /** Subscribes the call to tones once (through the calling bundle, which de-duplicates them). */
  private Future<Void> subscribeToTones(JsonObject call) {
    if (call.getBoolean("toneSubscribed", false)) {
      return Future.succeededFuture();
    }
    return context.eventBus().<JsonObject>request(CallCommands.ADDRESS, new JsonObject()
        .put(CallCommands.COMMAND, CallCommands.SUBSCRIBE_TO_TONE).put(CallCommands.CALL_ID, call.getString("callId"))
        .put("clientContext", "switchboard-media"))
        .recover(e -> Future.failedFuture(SwitchboardException.from(e)))
        .map(m -> {
          call.put("toneSubscribed", true);
          return null;
        });
  }

  private void promptDone(JsonObject call, JsonObject g) {
    if (g.getBoolean("promptDone", false) && g.getLong("deadline") != null) {
      return;
    }
    g.put("promptDone", true).put("deadline", System.currentTimeMillis() + g.getLong("timeoutMs"));
    arm(call.getString("callId"), g.getLong("deadline"));
  }

  private void arm(String callId, long at) {
    long delay = Math.max(1, at - System.currentTimeMillis() + 2);
    context.setTimer(delay, t -> context.sendToKey(ADDRESS, callId, new JsonObject().put("timer", at)));
  }

  /** Arms the timers of a call read from the store (a new version taking over, or a restart of the plugin). */
  void rearm(JsonObject call) {
    JsonObject g = call.getJsonObject("gather");
    if (g == null) {
      return;
    }
    for (String field : new String[] {"deadline", "interDigitDeadline"}) {
      Long at = g.getLong(field);
      if (at != null) {
        arm(call.getString("callId"), at);
      }
    }
  }

  private Future<JsonObject> onTimer(JsonObject call) {
    JsonObject g = call.getJsonObject("gather");
    long now = System.currentTimeMillis();
    if (g != null) {
      Long interDigit = g.getLong("interDigitDeadline");
      Long overall = g.getLong("deadline");
      if (interDigit != null && now >= interDigit) {
        finishGather(call, "interDigitTimeout");
      } else if (overall != null && now >= overall) {
        finishGather(call, "timeout");
      }
    }
    return Future.succeededFuture(call);
  }

  private Future<JsonObject> onTone(JsonObject call, JsonObject event) {
    Long sequence = event.getLong("sequenceId");
    JsonArray seen = call.getJsonArray("tonesSeen", new JsonArray());
    if (sequence != null) {
      if (seen.contains(sequence)) {
        return Future.succeededFuture(call);
      }
      seen.add(sequence);
      while (seen.size() > TONES_REMEMBERED) {
        seen.remove(0);
      }
      call.put("tonesSeen", seen);
    }
    JsonObject g = call.getJsonObject("gather");
    char digit = Tones.digit(event.getString("tone", ""));
    if (g == null || digit == 0) {
      return Future.succeededFuture(call);
    }
    if (g.getString("terminator") != null && g.getString("terminator").equals(String.valueOf(digit))) {
      finishGather(call, "terminator");
      return Future.succeededFuture(call);
    }
    String digits = g.getString("digits") + digit;
    g.put("digits", digits);
    Future<JsonObject> bargeIn = Future.succeededFuture(call);
    if (!g.getBoolean("promptDone", true) && g.getBoolean("bargeIn", true)) {
      promptDone(call, g);
      bargeIn = graphAction(call, "cancelMediaProcessing", new JsonObject().put("clientContext", "switchboard-media-"
          + "barge-in")).map(call).recover(e -> {
            context.logger().log(System.Logger.Level.WARNING, "Barge-in could not cancel the prompt of call {0}: {1}",
                call.getString("callId"), e.getMessage());
            return Future.succeededFuture(call);
          });
    }
    if (digits.length() >= g.getInteger("maxDigits")) {
      finishGather(call, "maxDigits");
    } else {
      long at = System.currentTimeMillis() + g.getLong("interDigitTimeoutMs");
      g.put("interDigitDeadline", at);
      arm(call.getString("callId"), at);
    }
    return bargeIn;
  }

  private void finishGather(JsonObject call, String endedBy) {
    JsonObject g = (JsonObject) call.remove("gather");
    if (g == null) {
      return;
    }
    JsonObject op = call.getJsonObject("operations").getJsonObject(g.getString("operationId"));
    String status = endedBy.equals("cancelled") ? "cancelled" : endedBy.equals("callEnded") ? "failed" : "completed";
    op.put("status", status).put("digits", g.getString("digits")).put("endedBy", endedBy)
        .put("endedAt", Instant.now().toString());
    publish(MediaEvents.GATHER_COMPLETED, "gatherCompleted", op, new JsonObject().put("digits", g.getString("digits"))
        .put("endedBy", endedBy).put("callEnded", endedBy.equals("callEnded"))
        .put("reason", status.equals("completed") ? null : endedBy.equals("cancelled")
            ? "The gather was cancelled." : "The call ended."));
  }

  // ---- events from the calling bundle -----------------------------------------------------------------------------

  private Future<JsonObject> onEvent(JsonObject call, JsonObject body) {
    JsonObject event = body.getJsonObject("data");
    switch (body.getString("event")) {
      case CallEvents.TONE_RECEIVED:
        return onTone(call, event);
      case CallEvents.OPERATION_COMPLETED: {
        JsonObject graphOp = event.getJsonObject("operation");
        JsonObject op = findOperation(call, graphOp);
        if (op != null && "running".equals(op.getString("status"))) {
          operationCompleted(call, op, graphOp);
        }
        return Future.succeededFuture(call);
      }
      case CallEvents.TERMINATED:
        return Future.succeededFuture(terminated(call));
      default:
        return Future.succeededFuture(call);
    }
  }

  private static JsonObject findOperation(JsonObject call, JsonObject graphOp) {
    JsonObject ops = call.getJsonObject("operations");
    String context = graphOp.getString("clientContext");
    if (context != null && ops.getJsonObject(context) != null) {
      return ops.getJsonObject(context);
    }
    for (String id : ops.fieldNames()) {
      if (ops.getJsonObject(id).getJsonArray("graphOperationIds").contains(graphOp.getString("id"))) {
        return ops.getJsonObject(id);
      }
    }
    return null;
  }

  private void operationCompleted(JsonObject call, JsonObject op, JsonObject graphOp) {
    JsonObject result = graphOp.getJsonObject("resultInfo");
    boolean cancelled = "operationCanceled".equals(graphOp.getString("completionReason"))
        || result != null && result.getInteger("subcode", 0) == 8508;
    String status = "completed".equals(graphOp.getString("status")) ? "completed" : cancelled ? "cancelled" : "failed";
    String reason = status.equals("completed") ? null : result != null ? result.getString("message") : "failed";
    switch (op.getString("kind")) {
      case "gather": {
        JsonObject g = call.getJsonObject("gather");
        if (g != null && g.getString("operationId").equals(op.getString("operationId"))) {
          promptDone(call, g);
          g.put("promptResult", result);
        }
        return;
      }
      case "play":
        op.put("status", status).put("resultInfo", result).put("endedAt", Instant.now().toString());
        publish(MediaEvents.PLAY_COMPLETED, "playCompleted", op, new JsonObject().put("reason", reason)
            .put("resultInfo", result));
        return;
      case "record": {
        String location = graphOp.getString("recordingLocation");
        op.put("resultInfo", result).put("completionReason", graphOp.getString("completionReason"));
        if (status.equals("completed") && location != null) {
          op.put("status", "downloading").put("recordingLocation", location)
              .put("recordingAccessToken", graphOp.getString("recordingAccessToken"));
          startDownload(call.getString("callId"), op);
          return;
        }
        op.put("status", status).put("endedAt", Instant.now().toString());
        publish(MediaEvents.RECORD_COMPLETED, "recordCompleted", op, new JsonObject().put("reason", reason)
            .put("resultInfo", result).put("completionReason", graphOp.getString("completionReason")));
        return;
      }
      default:
    }
  }

  /** Starts (or, after a takeover, restarts) a recording's download; the outcome comes back as a keyed message. */
  void startDownload(String callId, JsonObject op) {
    String id = op.getString("operationId");
    recordings.download(callId, id, op.getString("recordingLocation"), op.getString("recordingAccessToken"))
        .onComplete(ar -> context.sendToKey(ADDRESS, callId, new JsonObject().put("downloaded", id)
            .put("recording", ar.succeeded() ? ar.result() : null)
            .put("error", ar.failed() ? ar.cause().getMessage() : null)));
  }

  private Future<JsonObject> onDownloaded(JsonObject call, JsonObject body) {
    JsonObject op = call.getJsonObject("operations").getJsonObject(body.getString("downloaded"));
    if (op == null || !"downloading".equals(op.getString("status"))) {
      return Future.succeededFuture(call);
    }
    JsonObject recording = body.getJsonObject("recording");
    op.remove("recordingAccessToken");
    op.put("status", recording != null ? "completed" : "failed").put("endedAt", Instant.now().toString())
        .put("recording", recording);
    publish(MediaEvents.RECORD_COMPLETED, "recordCompleted", op, new JsonObject().put("recording", recording)
        .put("resultInfo", op.getJsonObject("resultInfo")).put("completionReason", op.getString("completionReason"))
        .put("downloadAttempts", recording == null ? null : recording.getInteger("downloadAttempts"))
        .put("reason", recording == null ? body.getString("error") : null));
    if (call.getBoolean("ended", false)) {
      forgetIfIdle(call);
    }
    return Future.succeededFuture(call);
  }

  private JsonObject terminated(JsonObject call) {
    if (call.getBoolean("ended", false)) {
      return call;
    }
    call.put("ended", true);
    finishGather(call, "callEnded");
    call.getJsonObject("operations").forEach(e -> {
      JsonObject op = (JsonObject) e.getValue();
      if ("running".equals(op.getString("status"))) {
        op.put("status", "failed").put("endedAt", Instant.now().toString());
        String address = op.getString("kind").equals("play") ? MediaEvents.PLAY_COMPLETED : MediaEvents.RECORD_COMPLETED;
        publish(address, op.getString("kind") + "Completed", op, new JsonObject().put("reason", "The call ended.")
            .put("callEnded", true));
      }
    });
    forgetIfIdle(call);
    return call;
  }

  private void forgetIfIdle(JsonObject call) {
    boolean downloading = call.getJsonObject("operations").stream()
        .anyMatch(e -> "downloading".equals(((JsonObject) e.getValue()).getString("status")));
    if (!downloading) {
      call.put("forget", true);
      context.releaseKey(ADDRESS, call.getString("callId"));
    }
  }

  private void publish(String address, String type, JsonObject op, JsonObject extra) {
    JsonObject event = new JsonObject().put("type", type).put("callId", op.getString("callId"))
        .put("operationId", op.getString("operationId")).put("clientContext", op.getString("clientContext"))
        .put("status", op.getString("status")).put("callEnded", false).put("at", Instant.now().toString())
        .put("version", context.version());
    extra.forEach(e -> event.put(e.getKey(), e.getValue()));
    context.eventBus().publish(address, event);
  }
}
