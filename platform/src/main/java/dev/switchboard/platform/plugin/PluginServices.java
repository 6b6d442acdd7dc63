package dev.switchboard.platform.plugin;

import dev.switchboard.platform.graph.GraphClients;
import dev.switchboard.platform.http.RouteTable;
import dev.switchboard.platform.routing.KeyRouter;
import dev.switchboard.platform.state.StateStores;
import dev.switchboard.platform.subscriptions.SubscriptionManager;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * What the platform lends every plugin context: the server's Vert.x, its REST routes, keyed routing, state
 * stores, Graph clients and subscriptions, and the lifecycle time limits.
 */
public record PluginServices(
    Vertx vertx,
    RouteTable routes,
    RouteTable publicRoutes,
    KeyRouter router,
    StateStores states,
    GraphClients graph,
    SubscriptionManager subscriptions,
    Duration startTimeout,
    Duration stopTimeout,
    java.nio.file.Path dataDir,
    java.util.function.Supplier<String> publicUrl) {
}
