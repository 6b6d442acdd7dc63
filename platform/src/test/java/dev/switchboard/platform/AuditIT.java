package dev.switchboard.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log through the admin API: admin actions (bundle install and uninstall, key created and revoked) and
 * state-changing REST calls, each with who, what, when, status, client and request id, newest last; never a secret;
 * rotated by size; read back with {@code limit} and {@code since}.
 */
class AuditIT {

  @TempDir
  Path home;

  private static JsonArray audit(TestServer t, String query) throws Exception {
    HttpResponse<Buffer> read = t.admin(HttpMethod.GET, "/admin/audit" + query, null);
    assertEquals(200, read.statusCode(), read.bodyAsString());
    return read.bodyAsJsonArray();
  }

  private static List<JsonObject> entries(JsonArray array) {
    return array.stream().map(JsonObject.class::cast).collect(Collectors.toList());
  }

  @Test
  void adminActionsAndRestCallsAreRecordedWithTheirCallerAndNoSecret() throws Exception {
    try (TestServer t = TestServer.start(home, Map.of())) {
      Instant began = Instant.now();
      HttpResponse<Buffer> installed = t.admin(HttpMethod.POST, "/admin/bundles",
          Buffer.buffer(Files.readAllBytes(TestServer.bundle("hello-v1"))));
      assertEquals(201, installed.statusCode(), installed.bodyAsString());
      JsonObject created = t.createKey("crm", new JsonArray().add("greetings:write"), null);
      HttpResponse<Buffer> greeted = t.http(HttpMethod.POST, "/api/v1/hello/x", "Bearer " + created.getString("secret"));
      assertEquals(200, greeted.statusCode());
      assertEquals(401, t.http(HttpMethod.DELETE, "/api/v1/hello/x", null).statusCode());
      assertEquals(200, t.http(HttpMethod.GET, "/api/v1/hello/x").statusCode());
      assertEquals(204, t.admin(HttpMethod.DELETE, "/admin/keys/crm", null).statusCode());
      assertEquals(204, t.admin(HttpMethod.DELETE, "/admin/bundles/hello", null).statusCode());

      List<JsonObject> log = entries(audit(t, "?since=" + began));
      List<String> actions = log.stream().map(e -> e.getString("action", e.getString("method") + " "
          + e.getString("path"))).toList();
      assertEquals(List.of("install", "keyCreate", "POST /api/v1/hello/x", "DELETE /api/v1/hello/x", "keyRevoke",
          "uninstall"), actions, "GETs are not recorded; newest last");
      JsonObject install = log.get(0);
      assertEquals("admin", install.getString("source"));
      assertEquals(201, install.getInteger("status"));
      assertEquals("dev.switchboard.test.hello", install.getJsonObject("jar").getString("symbolicName"));
      assertEquals(64, install.getJsonObject("jar").getString("sha256").length());
      assertEquals("crm", log.get(1).getJsonObject("key").getString("name"));
      JsonObject rest = log.get(2);
      assertEquals(new JsonObject().put("kind", "key").put("name", "crm"), rest.getJsonObject("who"));
      assertEquals(200, rest.getInteger("status"));
      assertEquals("127.0.0.1", rest.getString("client"));
      assertEquals(greeted.getHeader("X-Request-Id"), rest.getString("requestId"));
      assertNotNull(Instant.parse(rest.getString("time")));
      assertNull(log.get(3).getValue("who"), "an unauthenticated attempt has no caller");
      assertEquals(401, log.get(3).getInteger("status"));
      assertEquals("hello", log.get(5).getString("bundle"));

      String secret = created.getString("secret");
      String random = secret.substring(secret.length() - 43); // sb_<id>_<43 characters>, which may hold '_' too
      assertFalse(Files.readString(home.resolve("data/audit/audit.log")).contains(random));
      assertEquals(2, audit(t, "?limit=2").size());
      assertEquals("uninstall", audit(t, "?limit=1").getJsonObject(0).getString("action"));
      assertEquals(400, t.admin(HttpMethod.GET, "/admin/audit?limit=0", null).statusCode());
      assertEquals(400, t.admin(HttpMethod.GET, "/admin/audit?since=yesterday", null).statusCode());
      assertEquals(400, t.admin(HttpMethod.POST, "/admin/keys", new JsonObject().put("name", "0123456789ab")
          .put("scopes", new JsonArray().add("*")).toBuffer()).statusCode(), "a name that looks like an id");
    }
    // Closed cleanly: everything recorded is on disk, the last entry last.
    List<String> lines = Files.readAllLines(home.resolve("data/audit/audit.log"));
    JsonObject last = new JsonObject(lines.get(lines.size() - 1));
    assertEquals("keyCreate", last.getString("action"));
    assertEquals(400, last.getInteger("status"));
  }

  @Test
  void theLogIsRotatedBySizeAndKeepsItsNewestEntries() throws Exception {
    try (TestServer t = TestServer.start(home, Map.of("SWITCHBOARD_AUDIT_MAX_FILE_BYTES", "2048",
        "SWITCHBOARD_AUDIT_KEEP_FILES", "2"))) {
      for (int i = 0; i < 60; i++) {
        t.http(HttpMethod.POST, "/api/v1/nothing/" + i); // 404, still recorded: it could have changed something
      }
      JsonArray newest = audit(t, "?limit=10000");
      assertEquals("/api/v1/nothing/59", newest.getJsonObject(newest.size() - 1).getString("path"));
      assertTrue(newest.size() < 60, "older entries rotated away: " + newest.size());
      Path dir = home.resolve("data/audit");
      assertTrue(Files.exists(dir.resolve("audit.log.1")));
      assertTrue(Files.exists(dir.resolve("audit.log.2")));
      assertFalse(Files.exists(dir.resolve("audit.log.3")));
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.toList()) {
          assertTrue(Files.size(file) <= 2048, file + " is " + Files.size(file) + " bytes");
        }
      }
      for (int i = 1; i < newest.size(); i++) {
        assertEquals("/api/v1/nothing/" + (60 - newest.size() + i),
            newest.getJsonObject(i).getString("path"), "in order, none lost among the newest");
      }
    }
  }
}
