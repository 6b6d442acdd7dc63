package dev.switchboard.calling;

import dev.switchboard.api.CallNotifications;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.GraphClient;
import dev.switchboard.api.GraphException;
import dev.switchboard.api.KeyedHandler;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.calls.CallState;
import dev.switchboard.api.calls.Claim;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The keyed handler of {@link CallNotifications#ADDRESS}: everything that happens to a call the plugin owns, one
 * message at a time, in order, dispatched by the message's type. A {@link KeyedMessage.Notification} (verified by the
 * platform) goes to the {@link NotificationApplier}; a {@link KeyedMessage.Command} must be a {@link CallCommand} on
 * the call, or the plugin's own {@link RegisterCall}, else it is refused with a 400 and changes nothing; a
 * {@link KeyedMessage.Timer} is the unclaimed-call deadline, the keepAlive, the reconciliation of a call stored
 * before the server restarted, or the {@link CallWatchdog} of a call that made no progress. Each loads the call from the store,
 * stores what changed, then publishes the events (once, with {@link PluginContext#publishKeyed}) and replies; an
 * ended call's key is released, which also cancels its timers and lets a draining version finish.
 */
final class CallOwner implements KeyedHandler {

  static final String UNCLAIMED_TIMER = "unclaimed";
  static final String KEEP_ALIVE_TIMER = "keepAlive";
  /** Set by the plugin at a server's start for every live call: the call is read again from Graph. */
  static final String RECONCILE_TIMER = "reconcile";
  private static final Duration KEEP_ALIVE_RETRY = Duration.ofSeconds(30);
  private static final String KEEP_ALIVE_GONE = "the call no longer exists at Graph (keepAlive answered 404)";

  private final PluginContext context;
  private final CallingSettings settings;
  private final CallStore store;
  private final CallMeters meters;
  private final CallActions actions;
  private final CallWatchdog watchdog;
  private final GraphClient graph;
  private final Clock clock;
  private final System.Logger log;

  /**
   * What handling a message left.
   *
   * @param call the call to store and publish with ({@code null}: none)
   * @param events what to publish once it is stored
   * @param reply the reply to the sender
   * @param changed whether the call must be stored
   */
  private record Outcome(Call call, List<PendingEvent> events, JsonObject reply, boolean changed) {
    static Future<Outcome> unchanged(Call call) {
      return Future.succeededFuture(new Outcome(call, List.of(), new JsonObject(), false));
    }

    static Outcome changed(Call call, List<PendingEvent> events) {
      return new Outcome(call, events, new JsonObject(), true);
    }
  }

  CallOwner(PluginContext context, CallingSettings settings, CallStore store, GraphClient graph, Clock clock) {
    this.context = context;
    this.settings = settings;
    this.store = store;
    this.graph = graph;
    this.clock = clock;
    this.log = context.logger();
    this.actions = new CallActions(graph, settings, clock, log);
    this.meters = new CallMeters(context.meters());
    this.watchdog = new CallWatchdog(context, graph, clock, settings.watchdogQuietFor());
  }

  @Override
  public Future<JsonObject> handle(KeyedMessage message) {
    String callId = message.key();
    return store.load(callId).compose(call -> dispatch(call, message)
        .compose(outcome -> finish(callId, call == null, outcome))
        .onFailure(e -> {
          if (call == null || call.terminated()) {
            context.releaseKey(CallNotifications.ADDRESS, callId);
          }
        }));
  }

  private Future<Outcome> dispatch(Call call, KeyedMessage message) {
    try {
      if (message instanceof KeyedMessage.Notification notification) {
        return notification(call, notification);
      }
      if (message instanceof KeyedMessage.Command command) {
        return command(call, command);
      }
      if (message instanceof KeyedMessage.Timer timer) {
        return timer(call, timer);
      }
      return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "The calling plugin follows no"
          + " topic; it does not take " + message.getClass().getSimpleName() + " messages"));
    } catch (SwitchboardException e) {
      return Future.failedFuture(e);
    }
  }

  /** Stores the call, publishes the events, releases an ended call's key. */
  private Future<JsonObject> finish(String callId, boolean fresh, Outcome outcome) {
    Call call = outcome.call();
    boolean changed = outcome.changed();
    if (call != null && !context.version().equals(call.view().handledBy())) {
      call = call.with(b -> b.handledBy(context.version()));
      changed = true;
    }
    Call done = call;
    Future<Void> stored = done == null || !changed ? Future.succeededFuture() : store.save(done);
    return stored.map(v -> {
      List<CallEvent> published = new ArrayList<>();
      if (done != null && !outcome.events().isEmpty()) {
        CallEvent.Header header = new CallEvent.Header(done.id(), done.view().tenantId(), clock.instant(),
            context.version(), done.view());
        for (PendingEvent pending : outcome.events()) {
          CallEvent event = pending.complete(header);
          context.publishKeyed(event.topic(), callId, event.toJson());
          published.add(event);
        }
      }
      meters.observe(callId, fresh, done, published);
      if (fresh && done != null && !done.terminated()) {
        watchdog.arm(callId);
      }
      if (done == null || done.terminated()) {
        context.releaseKey(CallNotifications.ADDRESS, callId);
      }
      return outcome.reply();
    });
  }

  // ------------------------------------------------------------------ notifications

  private Future<Outcome> notification(Call call, KeyedMessage.Notification notification) {
    Instant now = clock.instant();
    NotificationApplier.Applied applied = NotificationApplier.apply(call, notification, now,
        settings.unclaimedRejectAfter());
    Call next = applied.call();
    if (applied.incoming()) {
      keyTimer(next.id(), UNCLAIMED_TIMER, settings.unclaimedRejectAfter());
    }
    if (!applied.established()) {
      return Future.succeededFuture(new Outcome(next, applied.events(), new JsonObject(), applied.changed()));
    }
    context.cancelKeyTimer(CallNotifications.ADDRESS, next.id(), UNCLAIMED_TIMER);
    Call alive = scheduleKeepAlive(next, settings.keepAliveInterval());
    if (!alive.subscribeOnEstablished()) {
      return Future.succeededFuture(Outcome.changed(alive, applied.events()));
    }
    Call subscribing = alive.withSubscribeOnEstablished(false);
    return actions.subscribeToTone(subscribing, new CallCommand.SubscribeToTone(subscribing.id(), null))
        .map(acted -> Outcome.changed(acted.call(), applied.events()))
        .otherwise(e -> {
          log.log(System.Logger.Level.WARNING, "subscribeToTone on call " + subscribing.id() + " failed: "
              + e.getMessage());
          return Outcome.changed(subscribing, applied.events());
        });
  }

  // ------------------------------------------------------------------ commands

  private Future<Outcome> command(Call call, KeyedMessage.Command command) {
    if (context.name().equals(command.sender())) {
      var registration = RegisterCall.fromJson(command.body());
      if (registration.isPresent()) {
        Call registered = registration.get().into(call);
        return Future.succeededFuture(new Outcome(registered, List.of(), registered.view().toJson(), true));
      }
    }
    CallCommand<?> parsed;
    try {
      parsed = CallCommand.fromJson(command.body());
    } catch (SwitchboardException e) {
      // Whatever a bundle sends here is a command, never a Graph notification; one that is not a command is refused.
      log.log(System.Logger.Level.WARNING, "Refused a message to call " + command.key() + " from "
          + (command.sender() == null ? "the event bus (sender unknown)" : "plugin " + command.sender())
          + ": it is not a calling command (" + e.getMessage() + "); the call is unchanged");
      throw e;
    }
    if (!(parsed instanceof CallCommand.OnCall<?> onCall)) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "'" + parsed.name() + "' is not a command on a call:"
          + " request it on " + CallCommand.ADDRESS);
    }
    if (!onCall.callId().equals(command.key())) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "The command is about call " + onCall.callId()
          + " but was sent to call " + command.key());
    }
    if (call == null) {
      throw new SwitchboardException(ErrorCode.NOT_FOUND, "callNotFound",
          "No call " + command.key() + " is known to the calling bundle");
    }
    return actions.run(call, onCall).map(acted -> {
      if (call.view().claim() == null && acted.call().view().claim() != null) {
        context.cancelKeyTimer(CallNotifications.ADDRESS, call.id(), UNCLAIMED_TIMER);
      }
      return new Outcome(acted.call(), List.of(), acted.reply(), !acted.call().equals(call));
    });
  }

  // ------------------------------------------------------------------ timers

  private Future<Outcome> timer(Call call, KeyedMessage.Timer timer) {
    if (call == null || call.terminated()) {
      return Outcome.unchanged(call);
    }
    return switch (timer.name()) {
      case UNCLAIMED_TIMER -> call.state() == CallState.INCOMING && call.view().claim() == null
          ? rejectUnclaimed(call) : Outcome.unchanged(call);
      case KEEP_ALIVE_TIMER -> keepAlive(call);
      case RECONCILE_TIMER -> watchdog.afterRestart(call).map(CallOwner::reread);
      case CallWatchdog.TIMER -> watchdog.check(call).map(CallOwner::reread);
      default -> Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "The calling plugin sets no"
          + " timer named '" + timer.name() + "'"));
    };
  }

  private Future<Outcome> rejectUnclaimed(Call call) {
    String id = call.id();
    return graph.post("/communications/calls/" + id + "/reject", new JsonObject().put("reason", "busy"))
        .map(r -> {
          log.log(System.Logger.Level.WARNING, "Incoming call " + id + " was not claimed by any bot within "
              + settings.unclaimedRejectAfter().toMillis() + " ms: rejected busy");
          return Outcome.changed(call.with(b -> b.unclaimed(true).claim(Claim.REJECTED)
              .claimedBy("calling (unclaimed)").updatedAt(clock.instant())), List.of());
        })
        .recover(e -> {
          log.log(System.Logger.Level.WARNING, "Rejecting unclaimed call " + id + " failed: " + e.getMessage());
          return Outcome.unchanged(call);
        });
  }

  private Future<Outcome> keepAlive(Call call) {
    String id = call.id();
    Duration interval = settings.keepAliveInterval();
    return graph.post("/communications/calls/" + id + "/keepAlive", null)
        .map(r -> Outcome.changed(scheduleKeepAlive(call.with(b -> b.lastKeepAliveAt(clock.instant())), interval),
            List.of()))
        .recover(e -> {
          if (e instanceof GraphException g && g.graphStatus() == 404) {
            log.log(System.Logger.Level.WARNING, "keepAlive of call " + id + " answered 404: the call has ended");
            return Future.succeededFuture(reread(watchdog.forgotten(call, clock.instant(), KEEP_ALIVE_GONE)));
          }
          Duration retry = interval.compareTo(KEEP_ALIVE_RETRY) < 0 ? interval : KEEP_ALIVE_RETRY;
          log.log(System.Logger.Level.WARNING, "keepAlive of call " + id + " failed (" + e.getMessage()
              + "); trying again in " + retry.toMillis() + " ms");
          return Future.succeededFuture(Outcome.changed(scheduleKeepAlive(call, retry), List.of()));
        });
  }

  /** Applies what reading the call again from Graph found, as if Graph had notified it. */
  private static Outcome reread(CallWatchdog.Reread read) {
    return new Outcome(read.call(), read.events(), new JsonObject(), read.changed());
  }

  private Call scheduleKeepAlive(Call call, Duration in) {
    keyTimer(call.id(), KEEP_ALIVE_TIMER, in);
    return call.with(b -> b.nextKeepAliveAt(clock.instant().plus(in)));
  }

  private void keyTimer(String callId, String name, Duration delay) {
    context.keyTimer(CallNotifications.ADDRESS, callId, name, delay, new JsonObject());
  }
}
