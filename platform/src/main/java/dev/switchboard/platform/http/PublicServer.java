package dev.switchboard.platform.http;

import dev.switchboard.api.ApiResponse;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.config.SwitchboardConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The public port: health, the REST routes plugins contribute under {@value #API_PREFIX}, and what other
 * parts of the platform mount (Graph callbacks, metrics).
 */
public final class PublicServer {

  public static final String API_PREFIX = "/api/v1";

  private PublicServer() {
  }

  /**
   * Starts listening.
   *
   * @param readiness computes readiness: {@code {"ready": bool, "problems": [...]}}
   */
  public static Future<HttpServer> start(Vertx vertx, SwitchboardConfig.Http config, RouteTable routes,
      RouteTable publicRoutes, Supplier<Future<JsonObject>> readiness, Consumer<Router> contributions) {
    Router router = Router.router(vertx);
    HttpErrors.install(router);
    contributions.accept(router);
    router.get("/health/live").handler(ctx -> json(ctx.response(), 200, new JsonObject().put("status", "live")));
    router.get("/health/ready").handler(ctx -> readiness.get().onComplete(ar -> {
      if (ar.failed()) {
        HttpErrors.write(ctx.response(), ar.cause());
        return;
      }
      JsonObject body = ar.result();
      boolean ready = body.getBoolean("ready", false);
      json(ctx.response(), ready ? 200 : 503, body.put("status", ready ? "ready" : "notReady"));
    }));
    router.route(API_PREFIX + "/*").handler(BoundedBody.reader(config.maxBodyBytes()));
    router.route(API_PREFIX + "/*").handler(ctx -> dispatch(ctx, routes, API_PREFIX));
    // Plugins' public routes (outside the REST prefix) come last: the platform's own paths always win.
    router.route().handler(BoundedBody.reader(config.maxBodyBytes()));
    router.route().handler(ctx -> dispatch(ctx, publicRoutes, ""));
    return vertx.createHttpServer().requestHandler(router).listen(config.port(), config.host());
  }

  private static void dispatch(RoutingContext ctx, RouteTable routes, String prefix) {
    String path = ctx.request().path().substring(prefix.length());
    RouteTable.Match match = routes.find(ctx.request().method(), path);
    if (!match.found()) {
      if (!match.allowed().isEmpty()) {
        ctx.response().putHeader("Allow", String.join(", ", match.allowed()));
        HttpErrors.write(ctx.response(), new SwitchboardException(ErrorCode.METHOD_NOT_ALLOWED,
            ctx.request().method() + " is not allowed on " + prefix + path + "; allowed: "
                + String.join(", ", match.allowed())));
        return;
      }
      HttpErrors.write(ctx.response(), new SwitchboardException(ErrorCode.NOT_FOUND, "notFound",
          "Nothing is served at " + ctx.request().method() + " " + prefix + path));
      return;
    }
    RoutedRequest request = new RoutedRequest(ctx.request().method(), path, match.params(),
        ctx.queryParams(), ctx.request().headers(), BoundedBody.of(ctx));
    Future<ApiResponse> response;
    try {
      response = match.target().dispatch(request);
    } catch (RuntimeException e) {
      response = Future.failedFuture(e);
    }
    response.onComplete(ar -> {
      if (ar.failed()) {
        HttpErrors.write(ctx.response(), ar.cause() instanceof SwitchboardException ? ar.cause()
            : new PluginFailure(match.owner(), ar.cause()));
        return;
      }
      ApiResponse result = ar.result();
      HttpServerResponse out = ctx.response().setStatusCode(result.status());
      result.headers().forEach(out::putHeader);
      out.end(result.body());
    });
  }

  private static void json(HttpServerResponse response, int status, JsonObject body) {
    response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toBuffer());
  }

  /** A plugin's route failed with something other than a {@link SwitchboardException}. */
  private static final class PluginFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PluginFailure(String plugin, Throwable cause) {
      super("plugin " + plugin + " failed handling a REST request", cause);
    }
  }
}
