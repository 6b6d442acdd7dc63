package dev.switchboard.platform.http;

import dev.switchboard.api.ApiResponse;
import dev.switchboard.api.Caller;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.config.SwitchboardConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The public port: health, the REST routes plugins contribute under {@value #API_PREFIX} (each request authenticated
 * and checked against its route's scope by an {@link ApiGuard}), plugins' public routes, and what other parts of the
 * platform mount (Graph callbacks, metrics). HTTPS when {@code http.tls.*} is configured, with the certificate
 * reloaded when its files change.
 */
public final class PublicServer {

  public static final String API_PREFIX = "/api/v1";
  /** The {@link Caller} of a REST request, in its routing context once authenticated. */
  public static final String CALLER = "switchboard.caller";
  private static final String MATCH = "switchboard.route";
  private static final String PREFIX = "switchboard.prefix";

  private final HttpServer server;
  private final CertificateReloader reloader;

  private PublicServer(HttpServer server, CertificateReloader reloader) {
    this.server = server;
    this.reloader = reloader;
  }

  /**
   * Starts listening. Fails with a {@link dev.switchboard.platform.config.ConfigException} naming the key when the
   * TLS files cannot be used.
   *
   * @param readiness computes readiness: {@code {"ready": bool, "problems": [...]}}
   */
  public static Future<PublicServer> start(Vertx vertx, SwitchboardConfig.Http config, RouteTable routes,
      RouteTable publicRoutes, ApiGuard guard, Supplier<Future<JsonObject>> readiness, Consumer<Router> contributions) {
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
    router.route(API_PREFIX + "/*").handler(guard::authenticate);
    router.route(API_PREFIX + "/*").handler(ctx -> lookup(ctx, routes, API_PREFIX, guard));
    router.route(API_PREFIX + "/*").handler(BoundedBody.reader(config.maxBodyBytes()));
    router.route(API_PREFIX + "/*").handler(PublicServer::invoke);
    // Plugins' public routes (outside the REST prefix) come last: the platform's own paths always win.
    router.route().handler(ctx -> lookup(ctx, publicRoutes, "", null));
    router.route().handler(BoundedBody.reader(config.maxBodyBytes()));
    router.route().handler(PublicServer::invoke);
    if (!config.tlsEnabled()) {
      return vertx.createHttpServer().requestHandler(router).listen(config.port(), config.host())
          .map(server -> new PublicServer(server, null));
    }
    CertificateReloader reloader = new CertificateReloader(vertx, config.tls());
    return reloader.load().compose(certificate -> vertx.createHttpServer(new HttpServerOptions().setSsl(true)
            .setKeyCertOptions(certificate)).requestHandler(router).listen(config.port(), config.host()))
        .map(server -> {
          reloader.watch(server);
          return new PublicServer(server, reloader);
        });
  }

  /** The port it listens on. */
  public int port() {
    return server.actualPort();
  }

  /** Whether it serves HTTPS. */
  public boolean tls() {
    return reloader != null;
  }

  /** Stops watching the certificate and listening. */
  public Future<Void> close() {
    if (reloader != null) {
      reloader.close();
    }
    return server.close();
  }

  /** Finds the route, refusing (404, 405, 403) before the body is read. */
  private static void lookup(RoutingContext ctx, RouteTable routes, String prefix, ApiGuard guard) {
    String path = ctx.request().path().substring(prefix.length());
    RouteTable.Match match = routes.find(ctx.request().method(), path);
    if (!match.found()) {
      if (!match.allowed().isEmpty()) {
        ctx.response().putHeader("Allow", String.join(", ", match.allowed()));
        refuse(ctx, new SwitchboardException(ErrorCode.METHOD_NOT_ALLOWED, ctx.request().method()
            + " is not allowed on " + prefix + path + "; allowed: " + String.join(", ", match.allowed())));
        return;
      }
      refuse(ctx, new SwitchboardException(ErrorCode.NOT_FOUND, "notFound",
          "Nothing is served at " + ctx.request().method() + " " + prefix + path));
      return;
    }
    if (guard != null) {
      Caller caller = ctx.get(CALLER);
      SwitchboardException refusal = guard.refusal(caller, match.scope(), ctx.request().method(), path);
      if (refusal != null) {
        refuse(ctx, refusal);
        return;
      }
    }
    ctx.put(MATCH, match);
    ctx.put(PREFIX, prefix);
    ctx.next();
  }

  /** Answers with {@code error} without reading the (maybe paused) body; what is left of it is discarded. */
  static void refuse(RoutingContext ctx, SwitchboardException error) {
    ctx.request().resume();
    HttpErrors.write(ctx.response(), error);
  }

  private static void invoke(RoutingContext ctx) {
    RouteTable.Match match = ctx.get(MATCH);
    Caller caller = ctx.get(CALLER);
    String prefix = ctx.get(PREFIX);
    RoutedRequest request = new RoutedRequest(ctx.request().method(), ctx.request().path().substring(prefix.length()),
        match.params(), ctx.queryParams(), ctx.request().headers(), BoundedBody.of(ctx),
        caller == null ? Caller.PUBLIC : caller);
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
