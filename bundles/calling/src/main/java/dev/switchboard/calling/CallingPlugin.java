package dev.switchboard.calling;

import dev.switchboard.api.CallCommands;
import dev.switchboard.api.CallNotifications;
import dev.switchboard.api.GraphClient;
import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The calling plugin ({@code plugins.calling}): owns Graph's {@code /communications/calls}. Consumes calling
 * notifications by call id, serves {@link CallCommands} on the bus and under {@code /api/v1/calls}, and on start
 * re-arms the timers of every live call in the state store, so that a version that takes calls over continues
 * their unclaimed-call rejection and keepAlive.
 */
public class CallingPlugin implements Plugin {

  @Override
  public Future<Void> start(PluginContext context) {
    CallingSettings settings = CallingSettings.from(context.config(), context.publicUrl());
    GraphClient graph = context.graph();
    CallOwner owner = new CallOwner(context, settings, graph);
    CallCommandGateway gateway = new CallCommandGateway(context, settings, graph);
    context.keyedConsumer(CallNotifications.ADDRESS, owner::handle);
    context.<Object>consumer(CallCommands.ADDRESS, message -> {
      if (!(message.body() instanceof JsonObject command)) {
        message.reply(null);
        return;
      }
      gateway.execute(command).onComplete(ar -> {
        if (ar.succeeded()) {
          message.reply(ar.result());
        } else {
          message.fail(SwitchboardException.from(ar.cause()).status(),
              SwitchboardException.from(ar.cause()).toJson().encode());
        }
      });
    });
    new CallRoutes(gateway).register(context);
    long retention = settings.endedCallRetention().toMillis();
    context.setPeriodic(Math.min(retention, 60_000), t -> purgeEnded(context, retention));
    return rearm(context, owner);
  }

  private static Future<Void> rearm(PluginContext context, CallOwner owner) {
    return context.state().keys().compose(keys -> {
      List<Future<JsonObject>> gets = new ArrayList<>();
      keys.stream().filter(k -> k.startsWith(CallRecord.KEY_PREFIX)).forEach(k -> gets.add(context.state().get(k)));
      return Future.join(gets).map(all -> {
        int live = 0;
        for (int i = 0; i < all.size(); i++) {
          JsonObject json = all.resultAt(i);
          if (json != null && !"terminated".equals(json.getString("state"))) {
            owner.rearm(new CallRecord(json));
            live++;
          }
        }
        context.logger().log(System.Logger.Level.INFO, "calling " + context.version() + " started; " + live
            + " live call(s) in the state store");
        return (Void) null;
      });
    });
  }

  private static void purgeEnded(PluginContext context, long retentionMillis) {
    Instant cutoff = Instant.now().minusMillis(retentionMillis);
    context.state().keys().onSuccess(keys -> keys.stream().filter(k -> k.startsWith(CallRecord.KEY_PREFIX))
        .forEach(k -> context.state().get(k).onSuccess(json -> {
          if (json != null && json.getString("terminatedAt") != null
              && Instant.parse(json.getString("terminatedAt")).isBefore(cutoff)) {
            context.state().remove(k);
          }
        })));
  }
}
