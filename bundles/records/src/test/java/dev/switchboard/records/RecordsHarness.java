package dev.switchboard.records;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.records.RecordStored;
import dev.switchboard.emulator.EmulatorOptions;
import dev.switchboard.platform.Emulated;
import dev.switchboard.platform.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real emulator (clock speed 10, call records 2 emulated seconds after a call ends) and a real server with the
 * calling bundle and the records bundle built by this module, storing in H2 or in the given PostgreSQL database; and
 * a recorder of every {@link RecordStored} event.
 */
final class RecordsHarness implements AutoCloseable {

  static final String ADELE = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01";
  static final String ALEX = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e02";
  static final Duration WAIT = Duration.ofSeconds(30);

  final Emulated emulated;
  TestServer t;
  final List<RecordStored> events = new CopyOnWriteArrayList<>();
  /** When (epoch ms, this JVM's clock) each record's first {@link RecordStored} event was seen, by record id. */
  final Map<String, Long> firstStoredAtMs = new java.util.concurrent.ConcurrentHashMap<>();
  final String databaseUrl;
  private final Path home;
  private final Map<String, String> env;

  private RecordsHarness(Emulated emulated, TestServer t, String databaseUrl, Path home, Map<String, String> env) {
    this.emulated = emulated;
    this.t = t;
    this.databaseUrl = databaseUrl;
    this.home = home;
    this.env = env;
  }

  /** @param databaseUrl a PostgreSQL JDBC URL, or {@code null} for the default embedded H2 */
  static RecordsHarness start(Path home, String databaseUrl, Map<String, String> extraEnv) throws Exception {
    Emulated emulated = Emulated.start(new EmulatorOptions().setClockSpeed(10)
        .setCallRecordDelay(Duration.ofSeconds(2)));
    Map<String, String> env = new HashMap<>(emulated.graphEnv());
    env.put("SWITCHBOARD_PLUGINS_CALLING_APPLICATION_INSTANCE_ID", EmulatorOptions.DEFAULT_APPLICATION_INSTANCE_ID);
    env.put("SWITCHBOARD_PLUGINS_RECORDS_RETRY_INITIAL", "200ms");
    env.put("SWITCHBOARD_PLUGINS_RECORDS_RETRY_MAX", "1s");
    if (databaseUrl != null) {
      env.put("SWITCHBOARD_PLUGINS_RECORDS_DATABASE_URL", databaseUrl);
      env.put("SWITCHBOARD_PLUGINS_RECORDS_DATABASE_USER", "postgres");
    }
    env.putAll(extraEnv);
    TestServer t = TestServer.start(home, env);
    emulated.emulator.setBotCallback(t.server.publicUrl() + "/callbacks/calling");
    RecordsHarness h = new RecordsHarness(emulated, t, databaseUrl, home, env);
    h.recordEvents(t.vertx);
    t.install(TestServer.bundle("calling"));
    t.install(jar());
    TestServer.awaitUntil("the callRecords subscription is active", WAIT, h::subscribed);
    return h;
  }

  private void recordEvents(Vertx vertx) {
    try {
      TestServer.await(vertx.eventBus().<JsonObject>consumer(RecordStored.TOPIC,
          m -> {
            RecordStored stored = RecordStored.fromJson(m.body());
            firstStoredAtMs.putIfAbsent(stored.id(), System.currentTimeMillis());
            events.add(stored);
          }).completion());
    } catch (Exception e) {
      throw new IllegalStateException("could not listen to " + RecordStored.TOPIC, e);
    }
  }

  /**
   * Stops the server, runs {@code whileDown}, and starts it again on the same folder (where the bundles are still
   * deployed). Give the harness a fixed {@code SWITCHBOARD_HTTP_PORT}: Graph keeps notifying the URL the subscription
   * was created with.
   */
  void restartServer(Runnable whileDown) throws Exception {
    t.close();
    whileDown.run();
    // Listen before the bundles start: what they stored before the restart may be published at once.
    t = TestServer.start(home, env, this::recordEvents);
    TestServer.awaitUntil("the records plugin serves again", WAIT, () -> {
      try {
        return rest(HttpMethod.GET, "/records/ingest").statusCode() == 200;
      } catch (Exception e) {
        return false;
      }
    });
  }

  /** The Graph id of the callRecords subscription. */
  String subscriptionId() throws Exception {
    return t.admin(HttpMethod.GET, "/admin/subscriptions", null).bodyAsJsonArray().stream()
        .map(JsonObject.class::cast).filter(s -> s.getString("resource").contains("callRecords")).findFirst()
        .orElseThrow().getString("id");
  }

  /** Makes {@code count} records in the emulator, announced at once; their ids. */
  List<String> makeRecords(int count, JsonObject network) throws Exception {
    JsonObject body = new JsonObject().put("count", count);
    if (network != null) {
      body.put("network", network);
    }
    JsonObject made = emulated.post("/emulator/callRecords", body);
    JsonArray value = made.getJsonArray("value", new JsonArray().add(made));
    return value.stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  /** Makes one record whose GET Graph answers with a broken body ({@code truncated} or {@code wrongTypes}); its id. */
  String makeMalformedRecord(String how) throws Exception {
    return emulated.post("/emulator/callRecords", new JsonObject().put("malformed", how)).getString("id");
  }

  /** Every record made or ended in the emulator is stored exactly once, at its version, and announced once. */
  void assertEachStoredOnce(List<String> ids) throws Exception {
    List<JsonObject> stored = storedRecords();
    assertEquals(stored.size(), stored.stream().map(r -> r.getString("id")).distinct().count(), "no duplicates");
    assertEquals(new java.util.TreeSet<>(ids), new java.util.TreeSet<>(stored.stream().map(r -> r.getString("id"))
        .toList()));
    assertEquals(ids.size(), rowsInDatabase("call_records"));
    TestServer.awaitUntil("one event per record", WAIT, () -> events.size() >= ids.size());
    assertEquals(ids.size(), events.stream().map(RecordStored::id).distinct().count());
    assertEquals(ids.size(), events.size(), "one event per record version");
  }

  /**
   * Graph's 3-second rule, from the emulator's log of the callRecords subscription's deliveries: every change
   * notification was delivered, and each attempt was answered 2xx within 3 s ({@code elapsedMs}, the time from
   * sending it to the answer). At least {@code atLeast} deliveries, so that the check is not vacuous.
   */
  void assertEveryNotificationAnsweredWithin3Seconds(int atLeast) throws Exception {
    String subscription = subscriptionId();
    String url = emulated.emulator.baseUrl() + "/emulator/subscriptions/deliveries?subscriptionId=" + subscription;
    TestServer.awaitUntil("no notification delivery pending", WAIT, () -> emulatorList(url).stream()
        .map(JsonObject.class::cast).noneMatch(d -> "pending".equals(d.getString("state"))));
    List<JsonObject> changes = emulatorList(url).stream().map(JsonObject.class::cast)
        .filter(d -> "change".equals(d.getString("kind"))).toList();
    org.junit.jupiter.api.Assertions.assertTrue(changes.size() >= atLeast, changes.size() + " deliveries");
    for (JsonObject delivery : changes) {
      assertEquals("delivered", delivery.getString("state"), delivery.encode());
      for (Object a : delivery.getJsonArray("attempts")) {
        JsonObject attempt = (JsonObject) a;
        int status = attempt.getInteger("status", 0);
        org.junit.jupiter.api.Assertions.assertTrue(status >= 200 && status < 300, "answered " + attempt.encode());
        org.junit.jupiter.api.Assertions.assertTrue(attempt.getLong("elapsedMs") < 3_000,
            "Graph's 3-second rule: " + attempt.encode());
      }
    }
  }

  /** The {@code value} of an emulator control API list. */
  private JsonArray emulatorList(String url) {
    try {
      return TestServer.await(emulated.control.getAbs(url).send()).bodyAsJsonObject().getJsonArray("value");
    } catch (Exception e) {
      throw new AssertionError("GET " + url + " failed", e);
    }
  }

  /** Waits until {@code GET /records/ingest} lists {@code count} records dropped under {@code failed}. */
  void awaitFailedCount(int count) throws Exception {
    TestServer.awaitUntil(count + " records reported failed", WAIT, () -> {
      try {
        return ingest().getJsonArray("failed").size() == count;
      } catch (Exception e) {
        return false;
      }
    });
  }

  JsonObject ingest() throws Exception {
    return restJson("/records/ingest");
  }

  /** The records bundle built by this module. */
  static Path jar() {
    return Path.of(System.getProperty("records.jar", "target/records-0.1.0-SNAPSHOT.jar"));
  }

  private boolean subscribed() {
    try {
      return t.admin(HttpMethod.GET, "/admin/subscriptions", null).bodyAsJsonArray().stream()
          .map(JsonObject.class::cast).anyMatch(s -> s.getString("resource").contains("callRecords")
              && "active".equals(s.getString("status")));
    } catch (Exception e) {
      return false;
    }
  }

  HttpResponse<Buffer> rest(HttpMethod method, String path) throws Exception {
    return t.http(method, "/api/v1" + path);
  }

  HttpResponse<Buffer> rest(HttpMethod method, String path, String accept) throws Exception {
    return TestServer.await(t.client.request(method, t.server.httpPort(), "127.0.0.1", "/api/v1" + path)
        .putHeader("Authorization", "Bearer " + t.apiKey()).putHeader("Accept", accept).send());
  }

  JsonObject restJson(String path) throws Exception {
    HttpResponse<Buffer> response = rest(HttpMethod.GET, path);
    assertEquals(200, response.statusCode(), path + ": " + response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  /** A call from {@code from} that the bot answers; its id once established. */
  String answeredCall(String from) throws Exception {
    String id = emulated.post("/emulator/calls/incoming", new JsonObject().put("from", from)).getString("id");
    TestServer.awaitUntil("call " + id + " is known to calling", WAIT, () -> {
      try {
        return rest(HttpMethod.GET, "/calls/" + id).statusCode() == 200;
      } catch (Exception e) {
        return false;
      }
    });
    var answered = TestServer.await(t.client.request(HttpMethod.POST, t.server.httpPort(), "127.0.0.1",
        "/api/v1/calls/" + id + "/answer").putHeader("Authorization", "Bearer " + t.apiKey())
        .sendJsonObject(new JsonObject()));
    assertEquals(200, answered.statusCode(), answered.bodyAsString());
    TestServer.awaitUntil("call " + id + " established", WAIT, () -> "established".equals(emulatorCall(id)
        .getString("state")));
    return id;
  }

  JsonObject emulatorCall(String id) {
    try {
      return TestServer.await(emulated.control.getAbs(emulated.emulator.baseUrl() + "/emulator/calls/" + id).send())
          .bodyAsJsonObject();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The emulator's list of call records. */
  JsonArray emulatorRecords() throws Exception {
    return TestServer.await(emulated.control.getAbs(emulated.emulator.baseUrl() + "/emulator/callRecords").send())
        .bodyAsJsonObject().getJsonArray("value");
  }

  /** Every stored record (all pages). */
  List<JsonObject> storedRecords() throws Exception {
    List<JsonObject> all = new java.util.ArrayList<>();
    String cursor = null;
    do {
      JsonObject page = restJson("/records?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor));
      page.getJsonArray("value").forEach(o -> all.add((JsonObject) o));
      cursor = page.getString("next");
    } while (cursor != null);
    return all;
  }

  JsonObject awaitStored(String id) throws Exception {
    TestServer.awaitUntil("record " + id + " stored", WAIT, () -> {
      try {
        return rest(HttpMethod.GET, "/records/" + id).statusCode() == 200;
      } catch (Exception e) {
        return false;
      }
    });
    return restJson("/records/" + id);
  }

  void awaitStoredCount(int count, Duration timeout) throws Exception {
    TestServer.awaitUntil(count + " records stored", timeout, () -> {
      try {
        return storedRecords().size() >= count;
      } catch (Exception e) {
        return false;
      }
    });
  }

  /**
   * Counts the rows of {@code table} straight from the database the bundle writes to (the PostgreSQL one, or the H2
   * file in the data folder through H2's automatic server mode), to prove where records went.
   */
  long rowsInDatabase(String table) throws Exception {
    String url = databaseUrl != null ? databaseUrl
        : "jdbc:h2:file:" + t.home.resolve("data/records/records").toAbsolutePath() + ";AUTO_SERVER=TRUE";
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, databaseUrl != null ? "postgres" : "sa", "");
        java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() throws Exception {
    t.close();
    emulated.close();
  }
}
