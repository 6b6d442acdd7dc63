package dev.switchboard.platform.admin;

import dev.switchboard.api.ApiResponse;
import dev.switchboard.api.Caller;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallsClient;
import dev.switchboard.platform.LocalNode;
import dev.switchboard.platform.deploy.BundleInventory;
import dev.switchboard.platform.http.InternalRequest;
import dev.switchboard.platform.http.RouteTable;
import dev.switchboard.platform.routing.KeyRouter;
import dev.switchboard.platform.routing.Member;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Instant;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The operator console: {@code /console/} serves the page (HTML, CSS and a small script from the platform jar; no
 * credential, the page asks for the admin token and keeps it in the browser's session storage), and, behind the admin
 * token, what the page reads besides the admin API: {@code GET /admin/console/events} (server-sent events: a
 * {@code state} event every second with the overview, bundles, drains and live calls), {@code DELETE /admin/calls/{id}}
 * (hang up) and {@code GET /admin/ivr/flows} (the IVR bundle's {@code GET /api/v1/ivr/flows}, called inside the server).
 */
public final class OperatorConsole {

  private static final Caller CONSOLE = new Caller(Caller.Kind.NONE, "admin console", Set.of("*"));
  private static final long TICK_MS = 1000;

  private final Vertx vertx;
  private final BundleInventory inventory;
  private final KeyRouter router;
  private final RouteTable routes;
  private final Supplier<Future<JsonObject>> readiness;
  private final ConsoleSeries series;
  private final Instant started = Instant.now();

  public OperatorConsole(Vertx vertx, BundleInventory inventory, KeyRouter router, RouteTable routes,
      Supplier<Future<JsonObject>> readiness, ConsoleSeries series) {
    this.vertx = vertx;
    this.inventory = inventory;
    this.router = router;
    this.routes = routes;
    this.readiness = readiness;
    this.series = series;
  }

  /** Adds the page and its endpoints to the admin port's router (after the token check on {@code /admin/*}). */
  public void mount(Router web) {
    web.getWithRegex("/console").handler(ctx -> ctx.redirect("/console/")); // exactly /console: relative links
    web.get("/console/*").handler(StaticHandler.create("dev/switchboard/platform/console").setCachingEnabled(false)
        .setIndexPage("index.html"));
    web.get("/admin/console/events").handler(this::events);
    web.delete("/admin/calls/:id").handler(ctx -> AdminServer.respond(ctx, 204,
        CallsClient.of(vertx.eventBus()).withTimeout(10_000).send(new CallCommand.HangUp(ctx.pathParam("id")))
            .map(x -> null)));
    web.get("/admin/ivr/flows").handler(ctx -> AdminServer.respond(ctx, 200,
        InternalRequest.get(routes, "/ivr/flows", CONSOLE).map(OperatorConsole::json)));
  }

  private static JsonObject json(ApiResponse response) {
    if (response.status() >= 400) {
      throw new SwitchboardException(ErrorCode.NOT_READY, "ivrFailed", "The IVR bundle answered " + response.status()
          + ": " + response.body());
    }
    return new JsonObject(response.body());
  }

  /** A stream of {@code state} events, one a second, until the browser goes away. */
  private void events(RoutingContext ctx) {
    HttpServerResponse response = ctx.response().setChunked(true)
        .putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no");
    response.write(": switchboard console\n\n");
    boolean[] busy = {false};
    long timer = vertx.setPeriodic(1, TICK_MS, id -> {
      if (busy[0]) {
        return; // the previous snapshot is still being read: skip a beat rather than pile up
      }
      busy[0] = true;
      snapshot().onComplete(ar -> {
        busy[0] = false;
        if (ar.succeeded() && !response.ended() && !response.closed()) {
          response.write("event: state\ndata: " + ar.result().encode() + "\n\n");
        }
      });
    });
    response.closeHandler(v -> vertx.cancelTimer(timer));
    response.exceptionHandler(e -> vertx.cancelTimer(timer));
  }

  /** What the page shows that changes by the second. */
  Future<JsonObject> snapshot() {
    Future<JsonArray> bundles = vertx.executeBlocking(inventory::list, false).map(BundleJson::of);
    Future<JsonArray> calls = LiveCalls.list(vertx, router);
    Future<JsonObject> ready = readiness.get().otherwise(e -> new JsonObject().put("ready", false)
        .put("problems", new JsonArray().add("readiness could not be computed: " + e.getMessage())));
    return Future.all(bundles, calls, ready).map(x -> new JsonObject()
        .put("at", Instant.now().toString())
        .put("version", version())
        .put("node", LocalNode.id())
        .put("startedAt", started.toString())
        .put("uptimeSeconds", (Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000)
        .put("ready", ready.result().getBoolean("ready", false))
        .put("problems", ready.result().getJsonArray("problems", new JsonArray()))
        .put("bundles", bundles.result())
        .put("routing", routing())
        .put("calls", calls.result())
        .put("series", series.samples()));
  }

  /** Every plugin version consuming a keyed address, with the keys it owns and its state (draining...). */
  private JsonArray routing() {
    JsonArray out = new JsonArray();
    for (Member m : router.members()) {
      out.add(new JsonObject().put("address", m.address()).put("plugin", m.pluginName()).put("version", m.version())
          .put("bundleId", m.bundleId()).put("state", m.state().name().toLowerCase(java.util.Locale.ROOT))
          .put("keys", m.ownedKeys()));
    }
    return out;
  }

  private static String version() {
    String version = OperatorConsole.class.getPackage().getImplementationVersion();
    return version == null ? "development build" : version;
  }
}
