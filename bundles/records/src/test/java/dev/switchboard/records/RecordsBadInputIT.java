package dev.switchboard.records;

import static dev.switchboard.records.RecordsHarness.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.platform.LogCapture;
import dev.switchboard.platform.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input gets a clear error and affects nothing else: unknown records, odd notifications, bad queries. */
class RecordsBadInputIT {

  private static final String MISSING = "00000000-0000-0000-0000-00000000dead";

  @TempDir
  Path home;

  @AfterAll
  static void stopPostgres() throws Exception {
    RecordsIT.stopPostgres();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void badNotificationsAndQueriesAreRefusedAndTheRestGoesOn(String backend) throws Exception {
    try (RecordsHarness h = RecordsHarness.start(home, RecordsIT.database(backend), Map.of())) {
      String subscription = h.subscriptionId();
      // Graph says the record does not exist: dropped at once with its reason, never retried.
      h.emulated.post("/emulator/subscriptions/" + subscription + "/notify", new JsonObject()
          .put("changeType", "created").put("resource", "communications/callRecords/" + MISSING));
      // A notification whose resource names no record id: ignored (with a warning), nothing fetched.
      h.emulated.post("/emulator/subscriptions/" + subscription + "/notify", new JsonObject()
          .put("changeType", "created").put("resource", "communications/callRecords/a%2F..%2Fb")
          .put("resourceData", new JsonObject().put("id", "a/../b")));
      List<String> good = h.makeRecords(2, null);

      h.awaitStoredCount(2, WAIT);
      h.awaitFailedCount(1);
      JsonObject failed = h.ingest().getJsonArray("failed").getJsonObject(0);
      assertEquals(MISSING, failed.getString("id"));
      assertTrue(failed.getString("reason").contains("Could not find the requested call record"), failed.encode());
      assertEquals(0, h.ingest().getInteger("pending"));
      assertEquals(1, h.emulated.requests("/callRecords/" + MISSING).size(), "a 404 is not retried");
      assertEquals(3, h.emulated.requests("/communications/callRecords/").size(),
          "the unknown record once and the good ones; nothing for the notification without an id");
      h.assertEachStoredOnce(good);

      assertError(h.rest(HttpMethod.GET, "/records?from=yesterday"), 400, "invalidParameter",
          "Query parameter 'from' must be an ISO-8601 date-time");
      assertError(h.rest(HttpMethod.GET, "/records/summary?to=2026-13-45"), 400, "invalidParameter", "'to'");
      assertError(h.rest(HttpMethod.GET, "/records?from=2026-11-29&to=2026-11-28"), 400, "invalidRange", "after");
      assertError(h.rest(HttpMethod.GET, "/records?cursor=bm9wZQ"), 400, "invalidParameter", "'cursor'");
      assertError(h.rest(HttpMethod.GET, "/records?limit=5000"), 400, "invalidParameter", "'limit'");
      assertError(h.rest(HttpMethod.GET, "/records/" + MISSING), 404, "notFound", "No call record");
      assertError(h.rest(HttpMethod.POST, "/records/pstn"), 400, "invalidParameter", "needs 'from' and 'to'");
      assertError(h.rest(HttpMethod.POST, "/records/pstn?from=2026-01-01&to=2026-06-01"), 400, "invalidRange",
          "90 days");
      assertError(h.rest(HttpMethod.GET, "/records/pstn?kind=sip"), 400, "invalidParameter", "'kind'");

      // Scopes: a key that may only read calls gets 403 here.
      String callsOnly = h.t.createKey("calls-only", new io.vertx.core.json.JsonArray().add("calls:read"), null)
          .getString("secret");
      assertEquals(403, h.t.http(HttpMethod.GET, "/api/v1/records", "Bearer " + callsOnly).statusCode());

      // Still serving.
      assertEquals(2, h.restJson("/records").getJsonArray("value").size());
    }
  }

  @Test
  void malformedRecordJsonIsDroppedWithAClearErrorAndTheOtherRecordsOfTheRunAreStored() throws Exception {
    try (LogCapture logs = new LogCapture(); RecordsHarness h = RecordsHarness.start(home, null, Map.of())) {
      List<String> good = new ArrayList<>(h.makeRecords(2, null));
      String truncated = h.makeMalformedRecord("truncated");
      String wrongTypes = h.makeMalformedRecord("wrongTypes");
      good.addAll(h.makeRecords(2, null));

      h.awaitStoredCount(4, WAIT);
      h.awaitFailedCount(2);
      Map<String, String> reasons = new java.util.HashMap<>();
      h.ingest().getJsonArray("failed").forEach(f -> reasons.put(((JsonObject) f).getString("id"),
          ((JsonObject) f).getString("reason")));
      assertTrue(reasons.get(truncated).contains("a body that is no callRecord (empty, not JSON, or without 'id')"),
          reasons.toString());
      assertTrue(reasons.get(wrongTypes).contains("'sessions' must be an array; got a string"), reasons.toString());
      assertTrue(logs.any("ERROR", "Call record " + truncated + " dropped: Graph answered GET callRecords/"
          + truncated + " with a body that is no callRecord"), String.join("\n", logs.lines()));
      assertTrue(logs.any("ERROR", "Call record " + wrongTypes + " dropped: malformed callRecord " + wrongTypes
          + ": 'sessions' must be an array"), String.join("\n", logs.lines()));

      assertEquals(0, h.ingest().getInteger("pending"), "dropped, not retried");
      assertEquals(1, h.emulated.requests("/callRecords/" + truncated).size(), "fetched once, never again");
      assertEquals(1, h.emulated.requests("/callRecords/" + wrongTypes).size(), "fetched once, never again");
      assertEquals(404, h.rest(HttpMethod.GET, "/records/" + truncated).statusCode());
      assertEquals(404, h.rest(HttpMethod.GET, "/records/" + wrongTypes).statusCode());
      h.assertEachStoredOnce(good);

      // And the run goes on: a record notified afterwards is stored.
      List<String> later = h.makeRecords(1, null);
      h.awaitStored(later.get(0));
    }
  }

  @Test
  void anUnreachableDatabaseFailsThePluginSayingWhatToCheckAndTheServerGoesOn() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try (TestServer t = TestServer.start(home, Map.of("SWITCHBOARD_PLUGINS_RECORDS_DATABASE_URL",
        "jdbc:postgresql://127.0.0.1:" + closedPort + "/records"))) {
      t.drop(RecordsHarness.jar(), "records.jar");
      TestServer.awaitUntil("the records plugin is FAILED", java.time.Duration.ofSeconds(30), () -> {
        try {
          return t.admin(HttpMethod.GET, "/admin/bundles", null).bodyAsString().contains("FAILED");
        } catch (Exception e) {
          return false;
        }
      });
      JsonObject plugin = t.admin(HttpMethod.GET, "/admin/bundles", null).bodyAsJsonArray().stream()
          .map(JsonObject.class::cast).filter(b -> b.getString("name").equals("dev.switchboard.records")).findFirst()
          .orElseThrow().getJsonArray("plugins").getJsonObject(0);
      String failure = plugin.getString("failure");
      assertTrue(failure.contains("The records database at jdbc:postgresql://127.0.0.1:" + closedPort
          + "/records could not be opened"), failure);
      assertTrue(failure.contains("Check plugins.records.database.url"), failure);
      assertEquals(200, t.http(HttpMethod.GET, "/health/live").statusCode());
    }
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String code, String fragment) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertEquals(code, error.getString("code"), error.encode());
    assertTrue(error.getString("message").contains(fragment), error.getString("message"));
  }
}
