package dev.switchboard.platform;

import static dev.switchboard.platform.TestServer.awaitUntil;
import static dev.switchboard.platform.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The admin API against a real server: auth, bad uploads, install → update → diag → uninstall. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminApiIT {

  @TempDir
  static Path home;
  static TestServer t;

  @BeforeAll
  static void start() throws Exception {
    t = TestServer.start(home, Map.of("SWITCHBOARD_ADMIN_MAX_UPLOAD_BYTES", "200000"));
  }

  @AfterAll
  static void stop() throws Exception {
    t.close();
  }

  private static Buffer jar(String artifactId) throws Exception {
    return Buffer.buffer(Files.readAllBytes(TestServer.bundle(artifactId)));
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String code, String... words) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertEquals("application/json", response.getHeader("Content-Type"));
    JsonObject error = json(response).getJsonObject("error");
    assertEquals(code, error.getString("code"), response.bodyAsString());
    for (String word : words) {
      assertTrue(error.getString("message").contains(word), "message mentions '" + word + "': " + error);
    }
  }

  @Test
  @Order(1)
  void rejectsMissingAndWrongTokens() throws Exception {
    HttpResponse<Buffer> missing = t.admin(HttpMethod.GET, "/admin/bundles", null, null);
    assertError(missing, 401, "missingToken", "Authorization: Bearer");
    assertEquals("Bearer", missing.getHeader("WWW-Authenticate"));
    assertError(t.admin(HttpMethod.GET, "/admin/bundles", "wrong-token-wrong-token", null), 401, "invalidToken");
    assertError(t.admin(HttpMethod.POST, "/admin/bundles", "nope", jar("hello-v1")), 401, "invalidToken");
    assertEquals(0, t.server.plugins().all().size(), "an unauthenticated upload installed nothing");
  }

  @Test
  @Order(2)
  void rejectsBodiesThatAreNotBundles() throws Exception {
    assertError(t.admin(HttpMethod.POST, "/admin/bundles", Buffer.buffer()), 400, "emptyBody");
    assertError(t.admin(HttpMethod.POST, "/admin/bundles", Buffer.buffer("{\"not\":\"a jar\"}")), 400, "notAJar",
        "not a jar");
    assertError(t.admin(HttpMethod.POST, "/admin/bundles", Buffer.buffer(TestJars.plainJar())), 400, "notABundle",
        "Bundle-SymbolicName");
    assertError(t.admin(HttpMethod.POST, "/admin/bundles", Buffer.buffer(new byte[300_000])), 413,
        "payloadTooLarge");
    assertEquals(new JsonArray(), t.admin(HttpMethod.GET, "/admin/bundles", null).bodyAsJsonArray());
  }

  @Test
  @Order(3)
  void rejectsAJarThatImportsAPackageNobodyExports() throws Exception {
    HttpResponse<Buffer> response = t.admin(HttpMethod.POST, "/admin/bundles",
        Buffer.buffer(TestJars.importing("com.example.broken", "com.example.nowhere")));
    assertError(response, 422, "bundleUnresolved", "com.example.nowhere", "[1.0.0,2.0.0)");
    assertEquals(new JsonArray(), t.admin(HttpMethod.GET, "/admin/bundles", null).bodyAsJsonArray());
    assertFalse(Files.exists(t.deployDir().resolve("com.example.broken.jar")));
  }

  @Test
  @Order(4)
  void installsUpdatesAndUninstalls() throws Exception {
    // Sent as curl --data-binary sends it by default: the body must not be decoded as a form.
    HttpResponse<Buffer> installed = TestServer.await(t.client.post(t.server.adminPort(), "127.0.0.1", "/admin/bundles")
        .putHeader("Authorization", "Bearer " + TestServer.TOKEN)
        .putHeader("Content-Type", "application/x-www-form-urlencoded").sendBuffer(jar("hello-v1")));
    assertEquals(201, installed.statusCode(), installed.bodyAsString());
    JsonObject bundle = json(installed);
    assertEquals("dev.switchboard.test.hello", bundle.getString("name"));
    assertEquals("ACTIVE", bundle.getString("state"));
    assertEquals("ACTIVE", bundle.getJsonArray("plugins").getJsonObject(0).getString("state"));
    assertEquals("1.0.0", ((JsonObject) t.requestOrFailure("test.hello")).getString("version"));

    assertError(t.admin(HttpMethod.POST, "/admin/bundles", jar("hello-v2")), 409, "bundleExists", "PUT");

    HttpResponse<Buffer> updated = t.admin(HttpMethod.PUT, "/admin/bundles/hello", jar("hello-v2"));
    assertEquals(200, updated.statusCode(), updated.bodyAsString());
    assertEquals("2.0.0", json(updated).getString("version"));
    assertEquals("2.0.0", ((JsonObject) t.requestOrFailure("test.hello")).getString("version"));
    assertEquals(200, t.http(HttpMethod.GET, "/api/v1/hello/x").statusCode());

    JsonArray list = t.admin(HttpMethod.GET, "/admin/bundles", null).bodyAsJsonArray();
    assertEquals(1, list.size());
    assertEquals("hello", list.getJsonObject(0).getJsonArray("plugins").getJsonObject(0).getString("name"));

    assertError(t.admin(HttpMethod.PUT, "/admin/bundles/hello", jar("failing-plugin")), 409, "bundleNameMismatch");
    assertError(t.admin(HttpMethod.PUT, "/admin/bundles/nosuchbundle", jar("hello-v1")), 404, "bundleNotFound");
    assertError(t.admin(HttpMethod.GET, "/admin/bundles/nosuchbundle/diag", null), 404, "bundleNotFound");
    assertError(t.admin(HttpMethod.DELETE, "/admin/bundles/nosuchbundle", null), 404, "bundleNotFound");

    JsonObject diag = json(t.admin(HttpMethod.GET, "/admin/bundles/dev.switchboard.test.hello/diag", null));
    assertTrue(diag.getBoolean("resolved"));
    assertTrue(diag.getString("message").contains("no problems"), diag.encode());

    assertEquals(204, t.admin(HttpMethod.DELETE, "/admin/bundles/hello", null).statusCode());
    assertInstanceOf(ReplyException.class, t.requestOrFailure("test.hello"));
    assertEquals(404, t.http(HttpMethod.GET, "/api/v1/hello/x").statusCode());
    assertError(t.admin(HttpMethod.DELETE, "/admin/bundles/hello", null), 404, "bundleNotFound");
  }

  @Test
  @Order(5)
  void refusesABundleWhosePluginFailsToStart() throws Exception {
    assertError(t.admin(HttpMethod.POST, "/admin/bundles", jar("failing-plugin")), 422, "pluginFailed",
        "database password missing");
    assertEquals(new JsonArray(), t.admin(HttpMethod.GET, "/admin/bundles", null).bodyAsJsonArray());
  }

  @Test
  @Order(6)
  void diagnosesAnUnresolvableBundleDroppedIntoTheDeployFolder() throws Exception {
    Path broken = home.resolve("broken.jar");
    Files.write(broken, TestJars.importing("com.example.dropped", "com.example.absent"));
    t.drop(broken, "dropped.jar");
    awaitUntil("the dropped bundle is installed", Duration.ofSeconds(10),
        () -> t.bundleNamed("com.example.dropped") != null);
    JsonObject diag = json(t.admin(HttpMethod.GET, "/admin/bundles/com.example.dropped/diag", null));
    assertFalse(diag.getBoolean("resolved"));
    assertEquals("com.example.absent", diag.getJsonArray("missing").getJsonObject(0).getString("name"));
    assertTrue(diag.getString("message").contains("imports package com.example.absent"), diag.encode());

    HttpResponse<Buffer> ready = t.http(HttpMethod.GET, "/health/ready");
    assertEquals(503, ready.statusCode());
    assertTrue(ready.bodyAsString().contains("dropped.jar"), ready.bodyAsString());
    assertEquals(200, t.http(HttpMethod.GET, "/health/live").statusCode());

    Files.delete(t.deployDir().resolve("dropped.jar"));
    awaitUntil("the server is ready again", Duration.ofSeconds(10), () -> {
      try {
        return t.http(HttpMethod.GET, "/health/ready").statusCode() == 200;
      } catch (Exception e) {
        return false;
      }
    });
  }
}
