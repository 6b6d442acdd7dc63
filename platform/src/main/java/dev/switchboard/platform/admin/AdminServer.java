package dev.switchboard.platform.admin;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.deploy.BundleDeployer;
import dev.switchboard.platform.deploy.BundleInventory;
import dev.switchboard.platform.deploy.UpdateMode;
import dev.switchboard.platform.http.BoundedBody;
import dev.switchboard.platform.http.HttpErrors;
import dev.switchboard.platform.routing.KeyRouter;
import dev.switchboard.platform.subscriptions.SubscriptionManager;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.concurrent.Callable;

/**
 * The admin API, on its own port (loopback by default), behind the bearer token {@code admin.token}:
 * bundles listed, installed, updated, rolled back, uninstalled and diagnosed; live calls and Graph subscriptions
 * listed; what other parts of the platform contribute (API keys, the audit log).
 * Framework work runs on workers.
 */
public final class AdminServer {

  private final Vertx vertx;
  private final BundleInventory inventory;
  private final BundleDeployer deployer;
  private final byte[] token;

  private AdminServer(Vertx vertx, BundleInventory inventory, BundleDeployer deployer, String token) {
    this.vertx = vertx;
    this.inventory = inventory;
    this.deployer = deployer;
    this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  /** Starts listening on {@code admin.host:admin.port}. */
  public static Future<HttpServer> start(Vertx vertx, SwitchboardConfig.Admin config, String token,
      BundleInventory inventory, BundleDeployer deployer, SubscriptionManager subscriptions, KeyRouter keys,
      java.util.function.Consumer<Router> contributions) {
    AdminServer admin = new AdminServer(vertx, inventory, deployer, token);
    Router router = Router.router(vertx);
    HttpErrors.install(router);
    router.route("/admin/*").handler(admin::authenticate);
    router.route("/admin/*").handler(BoundedBody.reader(config.maxUploadBytes()));
    contributions.accept(router); // behind the token: the audit log's recorder and reader, API keys
    router.get("/admin/bundles").handler(ctx -> admin.blocking(ctx, 200, inventory::list));
    router.post("/admin/bundles").handler(ctx -> admin.blocking(ctx, 201, () -> deployer.install(admin.stage(ctx))));
    router.put("/admin/bundles/:name").handler(ctx -> admin.blocking(ctx, 200, () -> {
      UpdateMode mode = UpdateMode.parse(ctx.queryParams().get("mode"));
      return deployer.update(ctx.pathParam("name"), admin.stage(ctx), mode);
    }));
    router.post("/admin/bundles/:name/rollback").handler(ctx -> admin.blocking(ctx, 200,
        () -> deployer.rollback(ctx.pathParam("name"), UpdateMode.parse(ctx.queryParams().get("mode")))));
    router.delete("/admin/bundles/:name").handler(ctx -> admin.blocking(ctx, 204, () -> {
      deployer.uninstall(ctx.pathParam("name"));
      return null;
    }));
    router.get("/admin/subscriptions").handler(ctx -> json(ctx, subscriptions.list()));
    router.get("/admin/calls").handler(ctx -> json(ctx, LiveCalls.list(vertx, keys)));
    router.get("/admin/bundles/:name/diag").handler(ctx -> admin.blocking(ctx, 200,
        () -> inventory.diag(ctx.pathParam("name"))));
    return vertx.createHttpServer().requestHandler(router).listen(config.port(), config.host());
  }

  private static void json(RoutingContext ctx, Future<io.vertx.core.json.JsonArray> result) {
    result.onComplete(ar -> {
      if (ar.failed()) {
        HttpErrors.write(ctx.response(), ar.cause());
      } else {
        ctx.response().putHeader("Content-Type", "application/json").end(ar.result().toBuffer());
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

  /** Writes the uploaded body to the staging folder. Runs on a worker. */
  private Path stage(RoutingContext ctx) throws Exception {
    Buffer body = BoundedBody.of(ctx);
    Path upload = deployer.newUpload();
    Files.write(upload, body.getBytes());
    return upload;
  }

  private void blocking(RoutingContext ctx, int status, Callable<Object> work) {
    vertx.executeBlocking(work, false).onComplete(ar -> {
      HttpServerResponse response = ctx.response();
      if (ar.failed()) {
        HttpErrors.write(response, ar.cause());
      } else if (ar.result() == null) {
        response.setStatusCode(204).end();
      } else {
        Object result = ar.result();
        Buffer body = result instanceof JsonObject json ? json.toBuffer()
            : ((io.vertx.core.json.JsonArray) result).toBuffer();
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
      }
    });
  }
}
