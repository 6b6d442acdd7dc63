package dev.switchboard.records;

import static dev.switchboard.records.RecordsHarness.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.platform.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Nothing lost: Graph throttling then unavailable on record fetches, the database stopped mid-stream and started
 * again, the bundle updated with takeover while records arrive. Every notified record ends up stored exactly once.
 */
class RecordsFaultsIT {

  /** One attempt per Graph request, so that every fault reaches the bundle's own retry queue. */
  private static final Map<String, String> NO_PLATFORM_RETRY = Map.of("SWITCHBOARD_GRAPH_MAX_ATTEMPTS", "1");

  @TempDir
  Path home;

  @AfterAll
  static void stopPostgres() throws Exception {
    RecordsIT.stopPostgres();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void recordsThrottledThenUnavailableAreFetchedAgainUntilStored(String backend) throws Exception {
    try (RecordsHarness h = RecordsHarness.start(home, RecordsIT.database(backend), NO_PLATFORM_RETRY)) {
      for (String type : List.of("throttle", "unavailable")) {
        h.emulated.post("/emulator/faults", new JsonObject().put("type", type).put("method", "GET")
            .put("path", "/v1.0/communications/callRecords/*").put("count", 6).put("retryAfterSeconds", 0));
      }
      // And every notification delivered twice.
      h.emulated.post("/emulator/faults", new JsonObject().put("type", "duplicate")
          .put("path", "/communications/callRecords/*").put("count", 5));
      List<String> ids = h.makeRecords(5, null);
      h.awaitStoredCount(5, WAIT);
      h.assertEachStoredOnce(ids);
      long failedFetches = h.emulated.requests("/communications/callRecords/").stream().map(JsonObject.class::cast)
          .filter(r -> r.getInteger("status", 200) >= 429).count();
      assertEquals(12, failedFetches, "every fault was hit, and retried");
      h.assertEveryNotificationAnsweredWithin3Seconds(5);
      TestServer.awaitUntil("nothing pending", WAIT, () -> {
        try {
          return h.ingest().getInteger("pending") == 0;
        } catch (Exception e) {
          return false;
        }
      });

      // An update: stored once more, at the higher version, and announced.
      String updated = ids.get(0);
      h.emulated.post("/emulator/callRecords/" + updated + "/update", new JsonObject()
          .put("network", new JsonObject().put("roundTripMs", 800)));
      TestServer.awaitUntil("version 2 stored", WAIT, () -> {
        try {
          return h.restJson("/records/" + updated).getLong("version") == 2;
        } catch (Exception e) {
          return false;
        }
      });
      JsonObject record = h.restJson("/records/" + updated);
      assertEquals(new io.vertx.core.json.JsonArray().add("roundTrip"), record.getJsonArray("reasons"));
      assertEquals(5, h.storedRecords().size());
      TestServer.awaitUntil("the update's event", WAIT, () -> h.events.size() == 6);
      assertEquals(2, h.events.stream().filter(e -> e.id().equals(updated)).map(e -> e.version()).distinct().count());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void recordsPendingWhenTheServerStopsAreStoredAfterItStartsAgain(String backend) throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Map<String, String> env = new java.util.HashMap<>(NO_PLATFORM_RETRY);
    env.put("SWITCHBOARD_HTTP_PORT", Integer.toString(port));
    try (RecordsHarness h = RecordsHarness.start(home, RecordsIT.database(backend), env)) {
      h.emulated.post("/emulator/faults", new JsonObject().put("type", "unavailable").put("method", "GET")
          .put("path", "/v1.0/communications/callRecords/*").put("count", 100_000).put("retryAfterSeconds", 0));
      List<String> ids = h.makeRecords(3, null);
      TestServer.awaitUntil("three records notified and pending", WAIT, () -> {
        try {
          return h.ingest().getInteger("pending") == 3;
        } catch (Exception e) {
          return false;
        }
      });
      assertEquals(0, h.storedRecords().size(), "Graph answers 503 for every record: nothing stored yet");

      h.restartServer(() -> {
        try {
          TestServer.await(h.emulated.control.deleteAbs(h.emulated.emulator.baseUrl() + "/emulator/faults").send());
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      h.awaitStoredCount(3, WAIT);
      h.assertEachStoredOnce(ids);
    }
  }

  @Test
  void theDatabaseStoppedMidStreamAndStartedAgainLosesNothing() throws Exception {
    String url = RecordsIT.database("postgresql");
    try (RecordsHarness h = RecordsHarness.start(home, url, Map.of())) {
      List<String> ids = new ArrayList<>(h.makeRecords(5, null));
      h.awaitStoredCount(5, WAIT);
      RecordsIT.postgres().stopServer();
      try {
        ids.addAll(h.makeRecords(5, null));
        TestServer.awaitUntil("fetched records wait for the database", WAIT, () -> {
          try {
            JsonObject ingest = h.ingest();
            return ingest.getInteger("pending") == 5;
          } catch (Exception e) {
            return false;
          }
        });
        Thread.sleep(1_500); // a few failed attempts
      } finally {
        RecordsIT.postgres().startServer();
      }
      h.awaitStoredCount(10, Duration.ofSeconds(60));
      h.assertEachStoredOnce(ids);
      h.assertEveryNotificationAnsweredWithin3Seconds(10);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void anUpdateWithTakeoverWhileRecordsArriveStoresEachOnce(String backend) throws Exception {
    try (RecordsHarness h = RecordsHarness.start(home, RecordsIT.database(backend), Map.of())) {
      List<String> ids = new ArrayList<>(h.makeRecords(30, null));
      HttpResponse<Buffer> swapped = h.t.admin(HttpMethod.PUT, "/admin/bundles/records?mode=takeover",
          Buffer.buffer(TestServer.withBundleVersion(RecordsHarness.jar(), "0.1.1")));
      assertEquals(200, swapped.statusCode(), swapped.bodyAsString());
      ids.addAll(h.makeRecords(30, null));
      h.awaitStoredCount(60, Duration.ofSeconds(60));
      h.assertEachStoredOnce(ids);
      TestServer.awaitUntil("nothing pending", WAIT, () -> {
        try {
          return h.ingest().getInteger("pending") == 0;
        } catch (Exception e) {
          return false;
        }
      });
      assertTrue(h.t.admin(HttpMethod.GET, "/admin/bundles", null).bodyAsString().contains("0.1.1"));
    }
  }
}
