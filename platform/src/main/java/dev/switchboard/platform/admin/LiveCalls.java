package dev.switchboard.platform.admin;

import dev.switchboard.api.CallNotifications;
import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallView;
import dev.switchboard.platform.routing.KeyRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code GET /admin/calls}: the calls keyed routing knows (each with the plugin version that owns it and the
 * node), with their state as the calling bundle reports it. Works without the calling bundle (state unknown).
 */
final class LiveCalls {

  private static final long STATE_TIMEOUT_MS = 2000;

  private LiveCalls() {
  }

  static Future<JsonArray> list(Vertx vertx, KeyRouter router) {
    Future<Map<String, String>> owners = router.owners(CallNotifications.ADDRESS);
    CallCommand.ListCalls list = new CallCommand.ListCalls(null);
    Future<Map<String, CallView>> states = vertx.eventBus()
        .<JsonObject>request(CallCommand.ADDRESS, list.toJson(), new DeliveryOptions().setSendTimeout(STATE_TIMEOUT_MS))
        .map(reply -> {
          Map<String, CallView> byId = new HashMap<>();
          list.replyFromJson(reply.body()).forEach(call -> byId.put(call.id(), call));
          return byId;
        })
        .otherwise(Map.of());
    return Future.all(owners, states).map(x -> {
      JsonArray out = new JsonArray();
      owners.result().forEach((id, owner) -> {
        CallView call = states.result().get(id);
        out.add(new JsonObject().put("id", id)
            .put("state", call == null || call.state() == null ? "unknown" : call.state().wireName())
            .put("direction", call == null || call.direction() == null ? null : call.direction().wireName())
            .put("owner", owner)
            .put("node", "local"));
      });
      return out;
    });
  }
}
