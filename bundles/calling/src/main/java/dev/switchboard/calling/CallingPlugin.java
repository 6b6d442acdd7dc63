package dev.switchboard.calling;

import dev.switchboard.api.CallNotifications;
import dev.switchboard.api.GraphClient;
import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.calls.CallCommand;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The calling plugin ({@code plugins.calling}): owns Graph's {@code /communications/calls}. Consumes calling
 * notifications by call id ({@link CallOwner}), serves {@link CallCommand}s on the bus and under
 * {@code /api/v1/calls}, and forgets ended calls after {@code plugins.calling.endedCallRetention}. Its timers
 * (unclaimed-call rejection, keepAlive) are key timers: they belong to the call, so a version that takes calls over
 * gets them without re-arming anything.
 */
public class CallingPlugin implements Plugin {

  /** Between two calls read again from Graph after a restart: 1,000 calls take 5 s. */
  private static final long RECONCILE_SPACING_MS = 5;

  @Override
  public Future<Void> start(PluginContext context) {
    CallingSettings settings = CallingSettings.from(context.config(), context.publicUrl());
    GraphClient graph = context.graph();
    Clock clock = Clock.systemUTC();
    CallStore store = new CallStore(context.state());
    context.keyedConsumer(CallNotifications.ADDRESS, new CallOwner(context, settings, store, graph, clock));
    CallCommandGateway gateway = new CallCommandGateway(context, store,
        new CallPlacer(context, settings, graph, clock));
    context.serve(CallCommand.ADDRESS, gateway::execute);
    new CallRoutes(gateway).register(context);
    reconcileAfterRestart(context, store);
    long retention = settings.endedCallRetention().toMillis();
    context.setPeriodic(Math.min(retention, 60_000), t -> purgeEnded(store, clock.instant().minusMillis(retention)));
    context.logger().log(System.Logger.Level.INFO, "calling " + context.version() + " started");
    return Future.succeededFuture();
  }

  /**
   * The first version of the plugin to start in this server (not a later version during an update, which gets the
   * calls with the keys) reads every live call it finds stored again from Graph, spread out so as not to burst: the
   * server may have been down while calls ended or changed.
   */
  private static void reconcileAfterRestart(PluginContext context, CallStore store) {
    var shared = context.vertx().sharedData().<String, Boolean>getLocalMap(CallingPlugin.class.getName());
    if (shared.putIfAbsent("reconciled", Boolean.TRUE) != null) {
      return;
    }
    store.all().onSuccess(calls -> {
      List<Call> live = calls.stream().filter(c -> !c.terminated()).toList();
      for (int i = 0; i < live.size(); i++) {
        context.keyTimer(CallNotifications.ADDRESS, live.get(i).id(), CallOwner.RECONCILE_TIMER,
            Duration.ofMillis(i * RECONCILE_SPACING_MS), new JsonObject());
      }
      if (!live.isEmpty()) {
        context.logger().log(System.Logger.Level.INFO, live.size() + " calls stored before the server started are "
            + "read again from Graph");
      }
    });
  }

  private static void purgeEnded(CallStore store, Instant cutoff) {
    store.all().onSuccess(calls -> calls.stream()
        .filter(c -> c.view().terminatedAt() != null && c.view().terminatedAt().isBefore(cutoff))
        .forEach(c -> store.remove(c.id())));
  }
}
