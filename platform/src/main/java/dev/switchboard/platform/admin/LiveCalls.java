package dev.switchboard.platform.admin;

import dev.switchboard.api.CallCommands;
import dev.switchboard.api.CallNotifications;
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
    Future<Map<String, JsonObject>> states = vertx.eventBus()
        .<JsonObject>request(CallCommands.ADDRESS, new JsonObject().put(CallCommands.COMMAND, CallCommands.LIST),
            new DeliveryOptions().setSendTimeout(STATE_TIMEOUT_MS))
        .map(reply -> {
          Map<String, JsonObject> byId = new HashMap<>();
          reply.body().getJsonArray("value", new JsonArray()).forEach(o -> {
            JsonObject call = (JsonObject) o;
            byId.put(call.getString("id"), call);
          });
          return byId;
        })
        .otherwise(Map.of());
    return Future.all(owners, states).map(x -> {
      JsonArray out = new JsonArray();
      owners.result().forEach((id, owner) -> {
        JsonObject call = states.result().get(id);
        out.add(new JsonObject().put("id", id)
            .put("state", call == null ? "unknown" : call.getString("state"))
            .put("direction", call == null ? null : call.getString("direction"))
            .put("owner", owner)
            .put("node", "local"));
      });
      return out;
    });
  }
}
