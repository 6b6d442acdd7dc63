package dev.switchboard.records;

import static dev.switchboard.records.RecordsHarness.ADELE;
import static dev.switchboard.records.RecordsHarness.ALEX;
import static dev.switchboard.records.RecordsHarness.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.records.QualityReason;
import dev.switchboard.api.records.RecordStored;
import dev.switchboard.platform.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Call records end to end, on the embedded H2 database and on a real PostgreSQL (skipped, saying so, when its
 * binaries are missing; failed instead when {@code CI=true}): calls placed and ended in the emulator, some on bad networks, stored with their verdicts;
 * a record of 60 sessions read page by page; PSTN logs; bad input.
 */
class RecordsIT {

  private static PostgresCluster postgres;
  private static int databases;

  @TempDir
  Path home;

  /** A fresh database of the backend: {@code null} (the default H2 in the data folder) or a new PostgreSQL one. */
  static String database(String backend) throws Exception {
    if (backend.equals("h2")) {
      return null;
    }
    if (!PostgresCluster.available() && "true".equalsIgnoreCase(System.getenv("CI"))) {
      org.junit.jupiter.api.Assertions.fail(PostgresCluster.MISSING_ON_CI);
    }
    Assumptions.assumeTrue(PostgresCluster.available(), PostgresCluster.MISSING);
    if (postgres == null) {
      postgres = PostgresCluster.start();
    }
    return postgres.createDatabase("records_" + (++databases));
  }

  static PostgresCluster postgres() {
    return postgres;
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
      postgres = null;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void callsOnGoodAndBadNetworksAreStoredWithTheirVerdicts(String backend) throws Exception {
    try (RecordsHarness h = RecordsHarness.start(home, database(backend), Map.of())) {
      String good = h.answeredCall(ADELE);
      String lossy = h.answeredCall(ALEX);
      String laggy = h.answeredCall("+14255550123");
      h.emulated.post("/emulator/calls/" + lossy + "/network", new JsonObject().put("packetLossRate", 0.15)
          .put("jitterMs", 45));
      h.emulated.post("/emulator/calls/" + laggy + "/network", new JsonObject().put("roundTripMs", 650)
          .put("connectionType", "wifi").put("subnet", "192.168.7.0"));
      Thread.sleep(1_500); // 15 emulated seconds: more than 500 packets per stream
      for (String call : List.of(good, lossy, laggy)) {
        h.emulated.post("/emulator/calls/" + call + "/hangup", new JsonObject());
      }

      JsonObject goodRecord = h.awaitStored(h.emulatorCall(good).getString("callChainId"));
      JsonObject lossyRecord = h.awaitStored(h.emulatorCall(lossy).getString("callChainId"));
      JsonObject laggyRecord = h.awaitStored(h.emulatorCall(laggy).getString("callChainId"));
      assertFalse(goodRecord.getBoolean("poor"), goodRecord.encode());
      assertEquals(new JsonArray(), goodRecord.getJsonArray("reasons"));
      assertTrue(lossyRecord.getBoolean("poor"));
      assertEquals(new JsonArray().add("packetLoss").add("jitter"), lossyRecord.getJsonArray("reasons"));
      assertEquals(new JsonArray().add("roundTrip"), laggyRecord.getJsonArray("reasons"));
      JsonObject stream = lossyRecord.getJsonArray("sessions").getJsonObject(0).getJsonArray("segments")
          .getJsonObject(0).getJsonArray("streams").getJsonObject(0);
      assertEquals(45.0, stream.getDouble("averageJitterMs"), 0.001, stream.encode());
      assertEquals(0.15, stream.getDouble("averagePacketLossRate"), 0.001);
      assertTrue(stream.getLong("packets") > 500, stream.encode());
      assertEquals("wired", stream.getString("connectionType"));
      assertNotNull(lossyRecord.getJsonObject("raw").getString("lastModifiedDateTime"));
      assertTrue(lossyRecord.getJsonArray("participants").stream().map(p -> ((JsonObject) p).getString("id"))
          .anyMatch(ALEX::equals), lossyRecord.encode());

      // One event per stored record, with the same verdict.
      TestServer.awaitUntil("three events", WAIT, () -> h.events.size() >= 3);
      RecordStored event = h.events.stream().filter(e -> e.id().equals(lossyRecord.getString("id"))).findFirst()
          .orElseThrow();
      assertTrue(event.poor());
      assertEquals(List.of(QualityReason.PACKET_LOSS, QualityReason.JITTER), event.reasons());
      assertTrue(event.duration().toSeconds() >= 10, event.toString());

      // Filters, paging, CSV.
      assertEquals(2, h.restJson("/records?poor=true").getJsonArray("value").size());
      assertEquals(Set.of(lossyRecord.getString("id")), ids(h.restJson("/records?participant=" + ALEX)));
      assertEquals(Set.of(laggyRecord.getString("id")), ids(h.restJson("/records?participant=%2B14255550123")));
      JsonObject first = h.restJson("/records?limit=2");
      assertEquals(2, first.getJsonArray("value").size());
      JsonObject second = h.restJson("/records?limit=2&cursor=" + first.getString("next"));
      assertEquals(1, second.getJsonArray("value").size());
      assertEquals(null, second.getString("next"));
      HttpResponse<Buffer> csv = h.rest(HttpMethod.GET, "/records", "text/csv");
      assertEquals(200, csv.statusCode());
      assertTrue(csv.getHeader("Content-Type").startsWith("text/csv"));
      String[] lines = csv.bodyAsString().split("\r\n");
      assertEquals(4, lines.length, csv.bodyAsString());
      assertTrue(lines[0].startsWith("id,version,type,startDateTime"), lines[0]);
      assertTrue(csv.bodyAsString().contains(lossyRecord.getString("id") + ",1,peerToPeer,"), csv.bodyAsString());

      // Summary and aggregates.
      String today = LocalDate.now(ZoneOffset.UTC).toString();
      String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
      JsonObject summary = h.restJson("/records/summary?from=" + today + "&to=" + tomorrow);
      assertEquals(3, summary.getLong("calls"), summary.encode());
      assertEquals(2.0 / 3, summary.getDouble("poorRatio"), 0.0001);
      assertEquals(new JsonObject().put("roundTrip", 1L).put("packetLoss", 1L).put("jitter", 1L),
          summary.getJsonObject("byReason"));
      JsonObject byConnection = summary.getJsonObject("byConnectionType");
      assertEquals(4, byConnection.getJsonObject("wired").getLong("streams"), summary.encode());
      assertEquals(2, byConnection.getJsonObject("wired").getLong("poorStreams"));
      assertEquals(new JsonObject().put("streams", 2L).put("poorStreams", 2L).put("poorRatio", 1.0),
          byConnection.getJsonObject("wifi"));
      assertEquals(6.0, summary.getJsonObject("jitterMs").getDouble("p50"), 0.001, summary.encode());
      assertTrue(summary.getJsonObject("roundTripMs").getDouble("p95") > 500, summary.encode());
      JsonArray participants = h.restJson("/records/participants").getJsonArray("value");
      JsonObject alex = participants.stream().map(JsonObject.class::cast).filter(p -> ALEX.equals(p.getString("id")))
          .findFirst().orElseThrow();
      assertEquals(1, alex.getLong("poorCalls"));
      JsonArray networks = h.restJson("/records/networks").getJsonArray("value");
      assertEquals(2, networks.size(), networks.encode());
      assertEquals("10.150.0.0", networks.getJsonObject(0).getString("subnet"), networks.encode());
      assertEquals("wired", networks.getJsonObject(0).getString("connectionType"));
      assertEquals(2, networks.getJsonObject(0).getLong("poorStreams"));
      assertEquals("192.168.7.0", networks.getJsonObject(1).getString("subnet"));
      assertEquals("wifi", networks.getJsonObject(1).getString("connectionType"));
      assertEquals(650.0, networks.getJsonObject(1).getDouble("averageRoundTripMs"), 0.001);
      assertEquals(3, h.rowsInDatabase("call_records"));
      assertEquals(6, h.rowsInDatabase("record_streams"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void aRecordOfSixtySessionsIsReadPageByPageAndPstnLogsAreStored(String backend) throws Exception {
    try (RecordsHarness h = RecordsHarness.start(home, database(backend), Map.of())) {
      JsonObject made = h.emulated.post("/emulator/callRecords", new JsonObject().put("sessions", 60)
          .put("participants", new JsonArray().add(ADELE).add("+14255550199")));
      JsonObject stored = h.awaitStored(made.getString("id"));
      assertEquals(60, stored.getInteger("sessionCount"));
      assertEquals(Set.of(made.getString("id")), ids(h.restJson("/records?type=groupCall")));
      assertEquals(Set.of(), ids(h.restJson("/records?type=peerToPeer")));
      assertEquals(60, stored.getJsonArray("sessions").size());
      assertEquals(60, stored.getJsonArray("sessions").stream().map(s -> ((JsonObject) s).getString("id"))
          .distinct().count());
      assertEquals(2, h.emulated.requests("/callRecords/" + made.getString("id") + "/sessions").size(),
          "two more pages of sessions after the first 20");

      String from = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
      String to = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
      HttpResponse<Buffer> fetched = h.rest(HttpMethod.POST, "/records/pstn?from=" + from + "&to=" + to);
      assertEquals(200, fetched.statusCode(), fetched.bodyAsString());
      assertEquals(1, fetched.bodyAsJsonObject().getInteger("pstn"), fetched.bodyAsString());
      JsonArray rows = h.restJson("/records/pstn?from=" + from + "&to=" + to).getJsonArray("value");
      assertEquals(1, rows.size(), rows.encode());
      assertEquals("+14255550199", rows.getJsonObject(0).getJsonObject("row").getString("callerNumber")
          + rows.getJsonObject(0).getJsonObject("row").getString("calleeNumber").replace(
              rows.getJsonObject(0).getJsonObject("row").getString("calleeNumber"), ""), rows.encode());
      // Fetching the same range again replaces the rows: still one.
      assertEquals(200, h.rest(HttpMethod.POST, "/records/pstn?from=" + from + "&to=" + to).statusCode());
      assertEquals(1, h.restJson("/records/pstn").getJsonArray("value").size());
      assertEquals(60, h.rowsInDatabase("record_sessions"));

      // A 'missed' lifecycle event: the PSTN and Direct Routing logs since the last notification are fetched again.
      int before = h.emulated.requests("getDirectRoutingCalls").size();
      h.emulated.post("/emulator/subscriptions/" + h.subscriptionId() + "/lifecycle",
          new JsonObject().put("event", "missed"));
      TestServer.awaitUntil("the logs are fetched again", WAIT, () -> {
        try {
          return h.emulated.requests("getDirectRoutingCalls").size() > before;
        } catch (Exception e) {
          return false;
        }
      });
      assertEquals(1, h.restJson("/records/pstn?kind=pstn").getJsonArray("value").size());
      assertEquals(1, h.rowsInDatabase("pstn_calls"));
    }
  }

  static Set<String> ids(JsonObject page) {
    return page.getJsonArray("value").stream().map(o -> ((JsonObject) o).getString("id")).collect(Collectors.toSet());
  }
}
