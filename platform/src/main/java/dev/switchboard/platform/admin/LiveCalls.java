package dev.switchboard.platform.admin;

import dev.switchboard.api.CallNotifications;
import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallView;
import dev.switchboard.api.calls.CallsClient;
import dev.switchboard.platform.LocalNode;
import dev.switchboard.platform.routing.KeyRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
    Future<Map<String, CallView>> states = CallsClient.of(vertx.eventBus()).withTimeout(STATE_TIMEOUT_MS)
        .send(new CallCommand.ListCalls(null))
        .map(calls -> {
          Map<String, CallView> byId = new HashMap<>();
          calls.forEach(call -> byId.put(call.id(), call));
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
            .put("node", LocalNode.id())
            .put("createdAt", call == null || call.createdAt() == null ? null : call.createdAt().toString()));
      });
      return out;
    });
  }
}
