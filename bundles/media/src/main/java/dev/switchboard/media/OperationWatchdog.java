package dev.switchboard.media;

import dev.switchboard.api.GraphException;
import dev.switchboard.api.Meters;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.calls.OperationView;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the plays and recordings whose completion never arrived: Graph does not retry calling notifications, so an
 * operation's lost {@code completed} would leave a flow waiting for it until the call ends. While a call has a running
 * operation, its key timer {@link #TIMER} fires every {@code plugins.media.watchdogQuietForMs} (default 2 minutes);
 * each operation running longer than that is read again from Graph ({@code GET .../operations/{id}}): one that finished
 * is handled as if its notification had come, one Graph no longer knows fails with a reason, one still running is
 * left. Meter {@code switchboard_media_watchdog_total{found}}: {@code running}, {@code finished}, {@code gone},
 * {@code unreachable}.
 */
final class OperationWatchdog {

  /** The key timer of a call with running operations. */
  static final String TIMER = "operationWatchdog";

  private final PluginContext context;
  private final Duration quietFor;
  private final Map<String, Meters.Counter> found = new ConcurrentHashMap<>();

  /** @param quietFor how long an operation may run unheard before it is read again; zero turns the watchdog off */
  OperationWatchdog(PluginContext context, Duration quietFor) {
    this.context = context;
    this.quietFor = quietFor;
  }

  /** Arms the call's watchdog if it has running operations (re-arming replaces the previous timer). */
  void arm(CallState call) {
    if (!quietFor.isZero() && !call.ended() && call.operations().values().stream().anyMatch(Operation::running)) {
      context.keyTimer(CallMedia.ADDRESS, call.callId(), TIMER, quietFor, new JsonObject());
    }
  }

  /**
   * Reads again from Graph the call's operations that have run unheard for the quiet time; what Graph says of those
   * that finished (or a failure for those it no longer knows), one after another. Re-arms itself while some run.
   */
  Future<List<OperationView>> check(CallState call) {
    Instant due = Instant.now().minus(quietFor);
    List<OperationView> finished = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Operation op : call.operations().values()) {
      if (!op.running() || op.graphOperationIds().isEmpty() || op.createdAt().isAfter(due) || promptDone(call, op)) {
        continue;
      }
      String graphId = op.graphOperationIds().get(op.graphOperationIds().size() - 1);
      chain = chain.compose(v -> read(call, op, graphId)).map(view -> {
        if (view != null) {
          finished.add(view);
        }
        return null;
      });
    }
    return chain.map(v -> {
      arm(call);
      return finished;
    });
  }

  /** A gather whose prompt has finished waits for keys, under its own timeouts: its Graph operation is over. */
  private static boolean promptDone(CallState call, Operation op) {
    return call.gather() != null && call.gather().operationId().equals(op.id()) && call.gather().promptDone();
  }

  private Future<OperationView> read(CallState call, Operation op, String graphId) {
    String what = op.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + op.id() + " of call " + call.callId();
    return context.graph(call.tenantId()).get("/communications/calls/" + call.callId() + "/operations/" + graphId)
        .map(response -> {
          OperationView view = OperationView.fromGraph(response.body(), graphId);
          if (!view.finished()) {
            count("running");
            return null;
          }
          count("finished");
          context.logger().log(System.Logger.Level.WARNING, "The " + what + " had finished (" + view.status()
              + ") without its notification arriving for " + quietFor.toSeconds() + " s: handled now");
          return view;
        })
        .recover(e -> {
          if (e instanceof GraphException g && g.graphStatus() == 404) {
            count("gone");
            context.logger().log(System.Logger.Level.WARNING, "The " + what + " is unknown to Graph and no"
                + " completion was heard for " + quietFor.toSeconds() + " s: failed, so its flow goes on");
            return Future.succeededFuture(OperationView.fromGraph(new JsonObject().put("status", "failed")
                .put("clientContext", op.clientContext()).put("resultInfo", new JsonObject().put("code", 404)
                    .put("subcode", 0).put("message", "The operation's completion was never heard and Graph no"
                        + " longer knows it.")), graphId));
          }
          count("unreachable");
          context.logger().log(System.Logger.Level.WARNING, "Reading the " + what + " again from Graph failed ("
              + e.getMessage() + "); tried again in " + quietFor.toSeconds() + " s");
          return Future.succeededFuture(null);
        });
  }

  private void count(String what) {
    found.computeIfAbsent(what, w -> context.meters().counter("media.watchdog", "Media operations read again from"
        + " Graph because their completion was not heard, by what was found", "found", w)).increment();
  }
}
