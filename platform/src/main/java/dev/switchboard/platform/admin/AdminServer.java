package dev.switchboard.platform.admin;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.audit.AuditDetails;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.deploy.BundleOperations;
import dev.switchboard.platform.deploy.BundleInventory;
import dev.switchboard.platform.deploy.UpdateMode;
import dev.switchboard.platform.http.BoundedBody;
import dev.switchboard.platform.http.HttpErrors;
import dev.switchboard.platform.logging.LogControl;
import dev.switchboard.platform.routing.KeyRouter;
import dev.switchboard.platform.subscriptions.SubscriptionManager;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The admin API, on its own port (loopback by default), behind the bearer token {@code admin.token}:
 * bundles listed, installed, updated, rolled back, uninstalled and diagnosed; live calls and Graph subscriptions
 * listed; what other parts of the platform contribute (API keys, the audit log).
 * Framework reads run on workers; deploy changes are the deployer's futures, answered when they complete.
 */
public final class AdminServer {

  private final Vertx vertx;
  private final BundleInventory inventory;
  private final BundleOperations deployer;
  private final byte[] token;

  private AdminServer(Vertx vertx, BundleInventory inventory, BundleOperations deployer, String token) {
    this.vertx = vertx;
    this.inventory = inventory;
    this.deployer = deployer;
    this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  /** Starts listening on {@code admin.host:admin.port}. */
  public static Future<HttpServer> start(Vertx vertx, SwitchboardConfig.Admin config, String token,
      BundleInventory inventory, BundleOperations deployer, SubscriptionManager subscriptions, KeyRouter keys,
      java.util.function.Consumer<Router> contributions) {
    AdminServer admin = new AdminServer(vertx, inventory, deployer, token);
    Router router = Router.router(vertx);
    HttpErrors.install(router);
    router.route("/admin/*").handler(admin::authenticate);
    router.route("/admin/*").handler(BoundedBody.reader(config.maxUploadBytes()));
    contributions.accept(router); // behind the token: the audit log's recorder and reader, API keys
    // Reading the framework is blocking work; deploy changes are futures of their own.
    router.get("/admin/bundles").handler(ctx -> respond(ctx, 200,
        vertx.executeBlocking(inventory::list, false).map(BundleJson::of)));
    router.post("/admin/bundles").handler(ctx -> respond(ctx, 201,
        deployer.install(BoundedBody.of(ctx)).map(BundleJson::of)));
    router.put("/admin/bundles/:name").handler(ctx -> respond(ctx, 200,
        mode(ctx).compose(mode -> deployer.update(ctx.pathParam("name"), BoundedBody.of(ctx), mode))
            .map(BundleJson::of)));
    router.post("/admin/bundles/:name/rollback").handler(ctx -> respond(ctx, 200,
        mode(ctx).compose(mode -> deployer.rollback(ctx.pathParam("name"), mode)).map(BundleJson::of)));
    router.delete("/admin/bundles/:name").handler(ctx -> respond(ctx, 204,
        deployer.uninstall(ctx.pathParam("name")).map(removed -> null)));
    router.get("/admin/subscriptions").handler(ctx -> respond(ctx, 200, subscriptions.list()));
    router.get("/admin/calls").handler(ctx -> respond(ctx, 200, LiveCalls.list(vertx, keys)));
    router.get("/admin/logging").handler(ctx -> respond(ctx, 200, blocking(vertx, LogControl::levels)));
    router.put("/admin/logging").handler(ctx -> respond(ctx, 200, json(ctx).compose(body -> {
      AuditDetails.add(ctx, new JsonObject().put("levels", body.getValue("levels")));
      return blocking(vertx, () -> LogControl.setLevels(body));
    })));
    router.get("/admin/bundles/:name/diag").handler(ctx -> respond(ctx, 200,
        vertx.executeBlocking(() -> inventory.diag(ctx.pathParam("name")), false).map(BundleJson::of)));
    return vertx.createHttpServer().requestHandler(router).listen(config.port(), config.host());
  }

  private static <T> Future<T> blocking(Vertx vertx, java.util.concurrent.Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  /** The request's body as a JSON object; anything else fails with 400. */
  private static Future<JsonObject> json(RoutingContext ctx) {
    try {
      return Future.succeededFuture(new JsonObject(BoundedBody.of(ctx)));
    } catch (RuntimeException e) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidJson",
          "The body must be a JSON object: " + e.getMessage()));
    }
  }

  /** The {@code mode} query parameter; a bad one fails with 400. */
  private static Future<UpdateMode> mode(RoutingContext ctx) {
    try {
      return Future.succeededFuture(UpdateMode.parse(ctx.queryParams().get("mode")));
    } catch (SwitchboardException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Answers with {@code result}: a JSON object or array with {@code status}, no body (204) for {@code null}, or
   * the error shape for a failure.
   */
  static void respond(RoutingContext ctx, int status, Future<?> result) {
    result.onComplete(ar -> {
      HttpServerResponse response = ctx.response();
      if (ar.failed()) {
        HttpErrors.write(response, ar.cause());
      } else if (ar.result() == null) {
        response.setStatusCode(204).end();
      } else {
        Buffer body = ar.result() instanceof JsonArray array ? array.toBuffer() : ((JsonObject) ar.result()).toBuffer();
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
      }
    });
  }

  private void authenticate(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null) {
      HttpErrors.write(ctx.response(), new SwitchboardException(ErrorCode.UNAUTHORIZED, "missingToken",
          "The admin API needs 'Authorization: Bearer <admin.token>'; the token is admin.token in the configuration "
              + "or, when unset, the file admin.token in the data folder"));
      return;
    }
    if (!MessageDigest.isEqual(token, header.trim().getBytes(StandardCharsets.UTF_8))) {
      HttpErrors.write(ctx.response(), new SwitchboardException(ErrorCode.UNAUTHORIZED, "invalidToken",
          "The bearer token is not this server's admin.token"));
      return;
    }
    ctx.next();
  }
}
