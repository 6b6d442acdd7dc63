package dev.switchboard.calling;

import dev.switchboard.api.CallNotifications;
import dev.switchboard.api.GraphClient;
import dev.switchboard.api.GraphException;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.Meters;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.calls.OperationView;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a call again from Graph when nothing was heard of it: after a restart of the server
 * ({@link CallOwner#RECONCILE_TIMER}) and, while the call lives, whenever it has made no progress for
 * {@code plugins.calling.watchdog.quietFor} ({@link #TIMER}). Graph does not retry calling notifications, so one that
 * was lost (or refused while the callback keys could not be checked) would otherwise leave a call the bots think is
 * live though it ended, or an operation they wait for forever.
 *
 * <p>What Graph answers is applied as if Graph had notified it (the same events as a notification, once: the call's
 * reported operations and its state guard against repeats). A call Graph no longer knows (404) ends with a reason; a
 * pending operation Graph no longer knows fails with a reason. Meter {@code switchboard_calls_watchdog_total{found}}
 * counts what the checks found: {@code live}, {@code changed} (state or operations moved on), {@code ended},
 * {@code gone} (404), {@code operationFinished}, {@code operationGone}, {@code unreachable} (Graph did not answer).
 */
final class CallWatchdog {

  /** The key timer of a live call's watchdog: re-armed on every check, fires after the call's quiet time. */
  static final String TIMER = "watchdog";

  private final PluginContext context;
  private final GraphClient graph;
  private final Clock clock;
  private final Duration quietFor;
  private final System.Logger log;
  private final Map<String, Meters.Counter> found = new ConcurrentHashMap<>();

  /**
   * What reading a call again left.
   *
   * @param call the call with what Graph said applied
   * @param events what to publish once it is stored
   * @param changed whether the call must be stored
   */
  record Reread(Call call, List<PendingEvent> events, boolean changed) {
  }

  CallWatchdog(PluginContext context, GraphClient graph, Clock clock, Duration quietFor) {
    this.context = context;
    this.graph = graph;
    this.clock = clock;
    this.quietFor = quietFor;
    this.log = context.logger();
  }

  /** Arms (or re-arms) the watchdog of a live call; {@code null} quiet time: the watchdog is off. */
  void arm(String callId, Duration in) {
    if (quietFor != null) {
      context.keyTimer(CallNotifications.ADDRESS, callId, TIMER, in, new JsonObject());
    }
  }

  void arm(String callId) {
    arm(callId, quietFor);
  }

  /**
   * The watchdog of {@code call} came due: a call that made progress within the quiet time is checked again later;
   * one that did not is read again from Graph.
   */
  Future<Reread> check(Call call) {
    Instant now = clock.instant();
    Instant last = call.view().updatedAt() == null ? call.view().createdAt() : call.view().updatedAt();
    Duration quiet = last == null ? quietFor : Duration.between(last, now);
    if (quiet.compareTo(quietFor) < 0) {
      arm(call.id(), quietFor.minus(quiet));
      return Future.succeededFuture(new Reread(call, List.of(), false));
    }
    return reread(call, "no notification for " + quiet.toSeconds() + " s (watchdog)").map(r -> {
      if (!r.call().terminated()) {
        arm(call.id());
      }
      return r;
    });
  }

  /** Reads a call stored before the server started again from Graph, and arms its watchdog if it still lives. */
  Future<Reread> afterRestart(Call call) {
    return reread(call, "while the server was down").map(r -> {
      if (!r.call().terminated()) {
        arm(call.id());
      }
      return r;
    });
  }

  /**
   * Reads {@code call} and its pending operations again from Graph and applies what changed.
   *
   * @param why why it is read, for the log ("after the server restarted", "no notification for 120 s")
   */
  Future<Reread> reread(Call call, String why) {
    String id = call.id();
    Instant now = clock.instant();
    return graph.get("/communications/calls/" + id).compose(response -> {
      NotificationApplier.Applied applied = NotificationApplier.apply(call,
          notification(call, "updated", "/communications/calls/" + id, response.body(), now), now, Duration.ZERO);
      Reread read = new Reread(applied.call(), applied.events(), applied.changed());
      if (applied.call().terminated()) {
        count("ended");
        log.log(System.Logger.Level.WARNING, "Call " + id + " had ended at Graph without this server hearing of it ("
            + why + "): closed now with Graph's result");
        return Future.succeededFuture(read);
      }
      if (applied.call().state() != call.state()) {
        count("changed");
        log.log(System.Logger.Level.INFO, "Call " + id + " went from " + call.state() + " to "
            + applied.call().state() + " unheard (" + why + "); applied as read from Graph");
      } else {
        count("live");
      }
      return operations(read, now, why);
    }).recover(e -> {
      if (e instanceof GraphException g && g.graphStatus() == 404) {
        count("gone");
        String reason = "the call no longer exists at Graph (" + why + ": Graph answered 404)";
        log.log(System.Logger.Level.WARNING, "Call " + id + " ended: " + reason);
        return Future.succeededFuture(forgotten(call, now, reason));
      }
      count("unreachable");
      log.log(System.Logger.Level.WARNING, "Reading call " + id + " again from Graph failed (" + why + ": "
          + e.getMessage() + "); it continues as stored and is checked again later");
      return Future.succeededFuture(new Reread(call, List.of(), false));
    });
  }

  /** Reads each pending operation of a live call again, one after another; one Graph no longer knows fails. */
  private Future<Reread> operations(Reread read, Instant now, String why) {
    Future<Reread> chain = Future.succeededFuture(read);
    for (OperationView pending : read.call().view().pendingOperations()) {
      String url = "/communications/calls/" + read.call().id() + "/operations/" + pending.id();
      String what = "Operation " + pending.id() + " (" + pending.type() + ") of call " + read.call().id();
      chain = chain.compose(so -> graph.get(url).map(r -> {
        JsonObject body = r.body();
        if (!OperationView.fromGraph(body, pending.id()).finished()) {
          return null;
        }
        count("operationFinished");
        log.log(System.Logger.Level.WARNING, what + " had finished without this server hearing of it (" + why
            + "): reported now");
        return body;
      }).recover(e -> {
        if (e instanceof GraphException g && g.graphStatus() == 404) {
          count("operationGone");
          log.log(System.Logger.Level.WARNING, what + " is unknown to Graph (" + why + "): reported failed so its"
              + " flow does not wait");
          return Future.succeededFuture(new JsonObject().put("status", "failed").put("resultInfo", new JsonObject()
              .put("code", 404).put("subcode", 0).put("message", "the operation no longer exists at Graph; its"
                  + " completion was never heard")));
        }
        return Future.succeededFuture(null); // unreachable: the next check tries again
      }).map(body -> body == null ? so : applied(so, url, body, now)));
    }
    return chain;
  }

  /** {@code so} with the finished operation {@code body} applied as Graph's notification of it. */
  private static Reread applied(Reread so, String url, JsonObject body, Instant now) {
    NotificationApplier.Applied applied = NotificationApplier.apply(so.call(),
        notification(so.call(), "deleted", url, body, now), now, Duration.ZERO);
    List<PendingEvent> events = new ArrayList<>(so.events());
    events.addAll(applied.events());
    return new Reread(applied.call(), events, so.changed() || applied.changed());
  }

  /** A call Graph no longer knows (it answered 404) ends here as if Graph had said so, with {@code reason}. */
  Reread forgotten(Call call, Instant now, String reason) {
    JsonObject data = new JsonObject().put("state", "terminated").put("resultInfo", new JsonObject()
        .put("code", 404).put("subcode", 0).put("message", "Graph answered 404: it no longer knows the call"));
    NotificationApplier.Applied applied = NotificationApplier.apply(call,
        notification(call, "deleted", "/communications/calls/" + call.id(), data, now), now, Duration.ZERO);
    List<PendingEvent> events = new ArrayList<>();
    for (PendingEvent pending : applied.events()) {
      events.add(h -> pending.complete(h) instanceof CallEvent.Terminated t
          ? new CallEvent.Terminated(t.header(), t.resultInfo(), reason, t.unclaimed()) : pending.complete(h));
    }
    return new Reread(applied.call().with(b -> b.reason(reason)), events, true);
  }

  private static KeyedMessage.Notification notification(Call call, String changeType, String url, JsonObject data,
      Instant now) {
    return new KeyedMessage.Notification(CallNotifications.ADDRESS, call.id(), call.view().tenantId(), now,
        new JsonObject().put("changeType", changeType).put("resourceUrl", url).put("resourceData", data));
  }

  private void count(String what) {
    found.computeIfAbsent(what, w -> context.meters().counter("calls.watchdog", "Calls read again from Graph by the"
        + " watchdog or after a restart, by what was found", "found", w)).increment();
  }
}
