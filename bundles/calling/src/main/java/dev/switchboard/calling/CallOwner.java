package dev.switchboard.calling;

import dev.switchboard.api.CallEvents;
import dev.switchboard.api.CallNotifications;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.GraphClient;
import dev.switchboard.api.GraphException;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The keyed handler of {@link CallNotifications#ADDRESS}: everything that happens to a call the plugin owns, one
 * message at a time, in order. A message is a Graph notification ({@code notification}), a command forwarded by
 * {@link CallCommandGateway} ({@code command}), or a timer's wake-up ({@code internal}). Each loads the call's
 * model from the state store, changes it, stores it, then publishes the events and replies; a terminated call's
 * key is released, which is what lets a draining version finish.
 */
final class CallOwner {

  static final String INTERNAL = "internal";
  static final String REGISTER_CREATED = "registerCreated";

  private final PluginContext context;
  private final CallingSettings settings;
  private final CallActions actions;
  private final CallTimers timers;
  private final GraphClient graph;
  private final System.Logger log;

  CallOwner(PluginContext context, CallingSettings settings, GraphClient graph) {
    this.context = context;
    this.settings = settings;
    this.graph = graph;
    this.log = context.logger();
    this.actions = new CallActions(graph, settings, log);
    this.timers = new CallTimers(context, (kind, callId) -> context.sendToKey(CallNotifications.ADDRESS, callId,
        new JsonObject().put(INTERNAL, kind)).onFailure(e -> log.log(System.Logger.Level.DEBUG,
        "wake-up " + kind + " of call " + callId + " failed: " + e.getMessage())));
  }

  CallTimers timers() {
    return timers;
  }

  Future<JsonObject> handle(KeyedMessage message) {
    String callId = message.key();
    JsonObject body = message.body();
    return context.state().get(CallRecord.key(callId)).compose(stored -> {
      CallRecord record = stored == null ? null : new CallRecord(stored);
      List<NotificationApplier.Event> events = new ArrayList<>();
      Future<Handled> handled;
      if (body.getValue("notification") instanceof JsonObject notification) {
        handled = notification(callId, body, notification, record, events);
      } else if (body.getString(INTERNAL) != null) {
        handled = internal(callId, body, record, events);
      } else {
        handled = command(callId, body, record);
      }
      return handled.compose(h -> finish(callId, h, events)).onFailure(e -> {
        if (record == null || record.terminated()) {
          context.releaseKey(CallNotifications.ADDRESS, callId);
        }
      });
    });
  }

  /** Stores the model, publishes the events, releases an ended call's key. */
  private Future<JsonObject> finish(String callId, Handled handled, List<NotificationApplier.Event> events) {
    CallRecord record = handled.record();
    JsonObject result = handled.reply();
    Future<Void> stored = record == null || !handled.dirty() ? Future.succeededFuture()
        : context.state().put(CallRecord.key(callId), record.json);
    return stored.map(v -> {
      if (record != null) {
        JsonObject view = events.isEmpty() ? null : record.view();
        for (NotificationApplier.Event e : events) {
          publish(e, record, view);
        }
      }
      if (record == null || record.terminated()) {
        timers.cancelAll(callId);
        context.releaseKey(CallNotifications.ADDRESS, callId);
      }
      return result;
    });
  }

  private void publish(NotificationApplier.Event e, CallRecord record, JsonObject view) {
    JsonObject event = e.fields().copy()
        .put("type", e.address().substring(e.address().lastIndexOf('.') + 1))
        .put("callId", record.id()).put("tenantId", record.tenantId()).put("at", Instant.now().toString())
        .put("version", context.version()).put("call", view);
    context.eventBus().publish(e.address(), event);
  }

  /** What handling a message left: the model to store (when dirty) and the reply. */
  private record Handled(CallRecord record, JsonObject reply, boolean dirty) {
  }

  private static Handled done(CallRecord record, JsonObject reply, boolean dirty) {
    return new Handled(record, reply, dirty);
  }

  // ------------------------------------------------------------------ notifications

  private Future<Handled> notification(String callId, JsonObject body, JsonObject notification, CallRecord record,
      List<NotificationApplier.Event> events) {
    if (record == null) {
      record = NotificationApplier.create(callId, body.getString("tenantId"), notification);
      if ("incoming".equals(record.state())) {
        return incoming(record, body, events);
      }
    } else if (record.terminated()) {
      return Future.succeededFuture(done(record, new JsonObject(), false)); // after the end: nothing changes
    }
    CallRecord call = record;
    NotificationApplier.Outcome outcome = NotificationApplier.apply(call, notification);
    events.addAll(outcome.events);
    call.json.put("handledBy", context.version());
    if (outcome.established) {
      scheduleKeepAlive(call, System.currentTimeMillis() + settings.keepAliveInterval().toMillis());
      timers.cancel(CallTimers.UNCLAIMED, callId);
      if (call.internal().getBoolean("subscribeOnEstablished", false)) {
        call.internal().remove("subscribeOnEstablished");
        return actions.subscribeToTone(call, new JsonObject())
            .otherwise(e -> {
              log.log(System.Logger.Level.WARNING, "subscribeToTone on call " + callId + " failed: " + e.getMessage());
              return new JsonObject();
            })
            .map(op -> done(call, new JsonObject(), true));
      }
    }
    return Future.succeededFuture(done(call, new JsonObject(), outcome.changed || outcome.events.size() > 0));
  }

  private Future<Handled> incoming(CallRecord record, JsonObject body, List<NotificationApplier.Event> events) {
    long deadline = System.currentTimeMillis() + settings.unclaimedRejectAfter().toMillis();
    record.internal().put("unclaimedRejectAt", deadline);
    record.json.put("handledBy", context.version());
    timers.arm(CallTimers.UNCLAIMED, record.id(), deadline);
    events.add(new NotificationApplier.Event(CallEvents.INCOMING, new JsonObject()
        .put("receivedAt", body.getString("receivedAt"))
        .put("claimDeadline", Instant.ofEpochMilli(deadline).toString())));
    return Future.succeededFuture(done(record, new JsonObject(), true));
  }

  // ------------------------------------------------------------------ timers and registration

  private Future<Handled> internal(String callId, JsonObject body, CallRecord record,
      List<NotificationApplier.Event> events) {
    String kind = body.getString(INTERNAL);
    if (kind.equals(REGISTER_CREATED)) {
      CallRecord registered = register(callId, record, body.getJsonObject("call"));
      registered.json.put("handledBy", context.version());
      return Future.succeededFuture(done(registered, registered.view(), true));
    }
    if (record == null || record.terminated()) {
      return Future.succeededFuture(done(record, new JsonObject(), false));
    }
    long now = System.currentTimeMillis();
    if (kind.equals(CallTimers.UNCLAIMED)) {
      long at = record.internal().getLong("unclaimedRejectAt", 0L);
      if (!"incoming".equals(record.state()) || record.json.getString("claimedBy") != null || at == 0) {
        return Future.succeededFuture(done(record, new JsonObject(), false));
      }
      if (now + 20 < at) {
        timers.arm(CallTimers.UNCLAIMED, callId, at);
        return Future.succeededFuture(done(record, new JsonObject(), false));
      }
      return rejectUnclaimed(record);
    }
    if (kind.equals(CallTimers.KEEP_ALIVE)) {
      long at = record.internal().getLong("keepAliveDueAt", 0L);
      if (at == 0) {
        return Future.succeededFuture(done(record, new JsonObject(), false));
      }
      if (now + 20 < at) {
        timers.arm(CallTimers.KEEP_ALIVE, callId, at);
        return Future.succeededFuture(done(record, new JsonObject(), false));
      }
      return keepAlive(record, events);
    }
    return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "unknown internal message " + kind));
  }

  private CallRecord register(String callId, CallRecord existing, JsonObject created) {
    if (existing == null) {
      return new CallRecord(created.copy());
    }
    // Notifications of the new call were handled before this registration: keep what they said (state, roster,
    // operations), take the rest from what the create command knows.
    List<String> fromNotifications = List.of("state", "internal", "participants", "pendingOperations",
        "establishedAt", "terminatedAt", "resultInfo", "reason");
    created.forEach(e -> {
      if (!fromNotifications.contains(e.getKey()) || existing.json.getValue(e.getKey()) == null) {
        existing.json.put(e.getKey(), e.getValue());
      }
    });
    return existing;
  }

  private Future<Handled> rejectUnclaimed(CallRecord record) {
    String id = record.id();
    return graph.post("/communications/calls/" + id + "/reject", new JsonObject().put("reason", "busy"))
        .map(r -> {
          record.json.put("unclaimed", true).put("claim", "rejected").put("claimedBy", "calling (unclaimed)");
          record.touch();
          log.log(System.Logger.Level.WARNING, "Incoming call " + id + " was not claimed by any bot within "
              + settings.unclaimedRejectAfter().toMillis() + " ms: rejected busy");
          return done(record, new JsonObject(), true);
        })
        .recover(e -> {
          log.log(System.Logger.Level.WARNING, "Rejecting unclaimed call " + id + " failed: " + e.getMessage());
          return Future.succeededFuture(done(record, new JsonObject(), false));
        });
  }

  private Future<Handled> keepAlive(CallRecord record, List<NotificationApplier.Event> events) {
    String id = record.id();
    long interval = settings.keepAliveInterval().toMillis();
    return graph.post("/communications/calls/" + id + "/keepAlive", null)
        .map(r -> {
          record.json.put("lastKeepAliveAt", Instant.now().toString());
          scheduleKeepAlive(record, System.currentTimeMillis() + interval);
          return done(record, new JsonObject(), true);
        })
        .recover(e -> {
          if (e instanceof GraphException g && g.graphStatus() == 404) {
            log.log(System.Logger.Level.WARNING, "keepAlive of call " + id + " answered 404: the call has ended");
            JsonObject data = new JsonObject().put("state", "terminated").put("resultInfo", new JsonObject()
                .put("code", 404).put("subcode", 0).put("message", "keepAlive answered 404: Graph no longer knows the call"));
            NotificationApplier.Outcome outcome = NotificationApplier.apply(record, new JsonObject()
                .put("changeType", "deleted").put("resourceUrl", "/communications/calls/" + id).put("resourceData", data));
            record.json.put("reason", "the call no longer exists at Graph (keepAlive answered 404)");
            outcome.events.forEach(ev -> events.add(ev.address().equals(CallEvents.TERMINATED)
                ? new NotificationApplier.Event(ev.address(), ev.fields().put("reason", record.json.getString("reason")))
                : ev));
            return Future.succeededFuture(done(record, new JsonObject(), true));
          }
          long retry = Math.min(interval, 30_000);
          log.log(System.Logger.Level.WARNING, "keepAlive of call " + id + " failed (" + e.getMessage()
              + "); trying again in " + retry + " ms");
          scheduleKeepAlive(record, System.currentTimeMillis() + retry);
          return Future.succeededFuture(done(record, new JsonObject(), true));
        });
  }

  void scheduleKeepAlive(CallRecord record, long at) {
    record.internal().put("keepAliveDueAt", at);
    record.json.put("nextKeepAliveAt", Instant.ofEpochMilli(at).toString());
    timers.arm(CallTimers.KEEP_ALIVE, record.id(), at);
  }

  /** Arms this instance's timers for a call found in the state store (a new version taking over). */
  void rearm(CallRecord record) {
    if (record.terminated()) {
      return;
    }
    long unclaimed = record.internal().getLong("unclaimedRejectAt", 0L);
    if ("incoming".equals(record.state()) && record.json.getString("claimedBy") == null && unclaimed > 0) {
      timers.arm(CallTimers.UNCLAIMED, record.id(), unclaimed);
    }
    long keepAlive = record.internal().getLong("keepAliveDueAt", 0L);
    if (keepAlive > 0) {
      timers.arm(CallTimers.KEEP_ALIVE, record.id(), keepAlive);
    }
  }

  // ------------------------------------------------------------------ commands

  private Future<Handled> command(String callId, JsonObject body, CallRecord record) {
    String command = body.getString("command");
    if (record == null) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.NOT_FOUND, "callNotFound",
          "No call " + callId + " is known to the calling bundle"));
    }
    try {
      return actions.run(record, command, body).map(reply -> {
        record.json.put("handledBy", context.version());
        return done(record, reply, true);
      });
    } catch (SwitchboardException e) {
      return Future.failedFuture(e);
    }
  }
}
