package dev.switchboard.platform.audit;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.http.BoundedBody;
import dev.switchboard.platform.http.HttpErrors;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

/**
 * The admin API's side of the audit log: every request that changes something ({@code POST}, {@code PUT},
 * {@code PATCH}, {@code DELETE}) is recorded once answered, with its action, the bundle it names (an uploaded jar: its
 * symbolic name, version and SHA-256), what the handler added under {@link AuditDetails#KEY}, and the status; and
 * {@code GET /admin/audit?limit=&since=} reads the log.
 */
final class AdminAudit {

  private final Vertx vertx;
  private final AuditLog log;

  AdminAudit(Vertx vertx, AuditLog log) {
    this.vertx = vertx;
    this.log = log;
  }

  void mount(Router router) {
    router.route("/admin/*").handler(this::recordWhenAnswered);
    router.get("/admin/audit").handler(this::read);
  }

  private void recordWhenAnswered(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
      ctx.next();
      return;
    }
    String path = ctx.request().path();
    String client = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    ctx.addEndHandler(ended -> {
      JsonObject entry = new JsonObject().put("source", "admin")
          .put("who", new JsonObject().put("kind", "admin").put("name", "admin.token"))
          .put("action", action(method, path)).put("method", method.name()).put("path", path)
          .put("status", ctx.response().getStatusCode()).put("client", client);
      String bundle = bundleNamed(path);
      if (bundle != null) {
        entry.put("bundle", bundle);
      }
      JsonObject details = ctx.get(AuditDetails.KEY);
      if (details != null) {
        entry.mergeIn(details);
      }
      Buffer body = BoundedBody.of(ctx);
      if (body.length() == 0 || !path.startsWith("/admin/bundles")) {
        log.record(entry);
        return;
      }
      // An uploaded jar: which one it was matters as much as what was done with it. Hashing 64 MB is not event-loop
      // work.
      vertx.executeBlocking(() -> describeJar(body.getBytes()), false)
          .onComplete(jar -> log.record(jar.succeeded() ? entry.put("jar", jar.result()) : entry));
    });
    ctx.next();
  }

  private void read(RoutingContext ctx) {
    int limit;
    Instant since;
    try {
      String limitParam = ctx.queryParams().get("limit");
      limit = limitParam == null ? 100 : Integer.parseInt(limitParam);
      if (limit < 1 || limit > AuditLog.MAX_READ) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      HttpErrors.write(ctx.response(), new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidLimit",
          "limit must be a whole number from 1 to " + AuditLog.MAX_READ));
      return;
    }
    try {
      String sinceParam = ctx.queryParams().get("since");
      since = sinceParam == null ? null : Instant.parse(sinceParam);
    } catch (DateTimeParseException e) {
      HttpErrors.write(ctx.response(), new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidSince",
          "since must be an ISO-8601 instant such as 2026-01-31T08:00:00Z"));
      return;
    }
    log.read(limit, since).onComplete(ar -> {
      if (ar.failed()) {
        HttpErrors.write(ctx.response(), ar.cause());
      } else {
        ctx.response().putHeader("Content-Type", "application/json").end(ar.result().toBuffer());
      }
    });
  }

  private static String action(HttpMethod method, String path) {
    String[] segments = path.split("/");
    String area = segments.length > 2 ? segments[2] : "";
    boolean item = segments.length > 3;
    if (area.equals("bundles")) {
      if (method == HttpMethod.POST) {
        return item ? (path.endsWith("/rollback") ? "rollback" : "bundleAction") : "install";
      }
      return method == HttpMethod.PUT ? "update" : method == HttpMethod.DELETE ? "uninstall" : "bundleAction";
    }
    if (area.equals("keys")) {
      return method == HttpMethod.POST ? "keyCreate" : method == HttpMethod.DELETE ? "keyRevoke" : "keyAction";
    }
    return method.name().toLowerCase() + " " + area;
  }

  private static String bundleNamed(String path) {
    String[] segments = path.split("/");
    return segments.length > 3 && segments[2].equals("bundles")
        ? URLDecoder.decode(segments[3], StandardCharsets.UTF_8) : null;
  }

  /** The symbolic name and version of a bundle jar, and its SHA-256. Blocking. */
  private static JsonObject describeJar(byte[] jar) throws Exception {
    JsonObject described = new JsonObject().put("sha256",
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jar))).put("bytes", jar.length);
    try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
      Manifest manifest = in.getManifest();
      if (manifest != null) {
        String name = manifest.getMainAttributes().getValue("Bundle-SymbolicName");
        described.put("symbolicName", name == null ? null : name.split(";")[0].trim())
            .put("version", manifest.getMainAttributes().getValue("Bundle-Version"));
      }
    } catch (IOException e) {
      // Not a jar: the deployer refuses it and the status says so.
    }
    return described;
  }
}
