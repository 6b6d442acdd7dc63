package dev.switchboard.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.presence.PresenceClient;
import dev.switchboard.api.presence.PresenceEvent;
import dev.switchboard.emulator.EmulatorOptions;
import dev.switchboard.platform.Emulated;
import dev.switchboard.platform.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real emulator with {@code users} directory users (all Available), a real server watching {@code watched} of them
 * by configuration, the presence bundle built by this module installed, and a recorder of every presence event.
 */
final class PresenceHarness implements AutoCloseable {

  final Emulated emulated;
  final TestServer t;
  final List<String> users;
  final List<PresenceEvent.PresenceChanged> events = new CopyOnWriteArrayList<>();

  private PresenceHarness(Emulated emulated, TestServer t, List<String> users) {
    this.emulated = emulated;
    this.t = t;
    this.users = users;
  }

  static PresenceHarness start(Path home, int users, int watched) throws Exception {
    return start(home, users, watched, Map.of());
  }

  static PresenceHarness start(Path home, int users, int watched, Map<String, String> extraEnv) throws Exception {
    Emulated emulated = Emulated.start(new EmulatorOptions());
    List<String> ids = new ArrayList<>();
    JsonArray directory = new JsonArray();
    for (int i = 0; i < users; i++) {
      String id = String.format("7a000000-0000-4000-8000-%012d", i);
      ids.add(id);
      directory.add(new JsonObject().put("id", id).put("displayName", "User " + i)
          .put("presence", new JsonObject().put("availability", "Available").put("activity", "Available")));
    }
    emulated.post("/emulator/users", new JsonObject().put("value", directory));
    Map<String, String> env = new HashMap<>(emulated.graphEnv());
    if (watched > 0) {
      env.put("SWITCHBOARD_PLUGINS_PRESENCE_WATCH", String.join(",", ids.subList(0, watched)));
    }
    env.putAll(extraEnv);
    TestServer t = TestServer.start(home, env);
    PresenceHarness h = new PresenceHarness(emulated, t, List.copyOf(ids));
    TestServer.await(t.vertx.eventBus().<JsonObject>consumer(PresenceEvent.PresenceChanged.TOPIC,
        m -> h.events.add((PresenceEvent.PresenceChanged) PresenceEvent.fromJson(m.body()))).completion());
    HttpResponse<Buffer> installed = t.admin(HttpMethod.POST, "/admin/bundles", Buffer.buffer(Files.readAllBytes(jar())));
    assertEquals(201, installed.statusCode(), installed.bodyAsString());
    return h;
  }

  /** The presence bundle built by this module. */
  static Path jar() {
    return Path.of(System.getProperty("presence.bundle.jar", "target/presence-0.1.0-SNAPSHOT.jar"));
  }

  PresenceClient client() {
    return PresenceClient.of(t.vertx.eventBus());
  }

  /** What the user's Teams client reports (the emulator notifies the subscriptions when what the user shows changes). */
  void report(String userId, String availability, String activity) throws Exception {
    emulated.post("/emulator/users/" + userId + "/presence", new JsonObject().put("availability", availability)
        .put("activity", activity));
  }

  HttpResponse<Buffer> rest(HttpMethod method, String path, JsonObject body) throws Exception {
    var request = t.client.request(method, t.server.httpPort(), "127.0.0.1", "/api/v1" + path)
        .putHeader("Authorization", "Bearer " + t.apiKey());
    return TestServer.await(body == null ? request.send() : request.sendJsonObject(body));
  }

  /** The active presence subscriptions as the platform keeps them. */
  List<JsonObject> subscriptions() throws Exception {
    return t.admin(HttpMethod.GET, "/admin/subscriptions", null).bodyAsJsonArray().stream()
        .map(JsonObject.class::cast).filter(s -> s.getString("resource").contains("presences"))
        .filter(s -> "active".equals(s.getString("status"))).toList();
  }

  /** Every attempt of the notification deliveries the emulator still lists (it keeps the latest 2,000), oldest first. */
  List<JsonObject> deliveryAttempts() throws Exception {
    JsonArray deliveries = TestServer.await(emulated.control.getAbs(emulated.emulator.baseUrl()
        + "/emulator/subscriptions/deliveries").send()).bodyAsJsonObject().getJsonArray("value");
    List<JsonObject> attempts = new ArrayList<>();
    for (Object d : deliveries) {
      ((JsonObject) d).getJsonArray("attempts", new JsonArray()).forEach(a -> attempts.add((JsonObject) a));
    }
    return attempts;
  }

  /** The outcome of a delivery attempt: {@code status 202}, {@code error no answer within 3 s}... */
  static String outcome(JsonObject attempt) {
    return attempt.getValue("status") != null ? "status " + attempt.getValue("status")
        : "error " + attempt.getString("error");
  }

  /** For a failure message: how the emulator's deliveries went, and what failed attempts mean for the order. */
  String deliveryReport() {
    try {
      Map<String, Integer> outcomes = new TreeMap<>();
      deliveryAttempts().forEach(a -> outcomes.merge(outcome(a), 1, Integer::sum));
      return "The emulator's latest delivery attempts by outcome: " + outcomes + ". A delivery not answered 2xx within"
          + " 3 s is retried 10 s later, after the user's later changes, and then arrives out of order (docs/presence.md,"
          + " Limits): many 'no answer within 3 s' mean the machine was too loaded for the server to answer in time.";
    } catch (Exception e) {
      return "The emulator's deliveries could not be read: " + e;
    }
  }

  int graphRequests(String pathPart) throws Exception {
    return emulated.requests(pathPart).size();
  }

  @Override
  public void close() throws Exception {
    try {
      t.close();
    } finally {
      emulated.close();
    }
  }
}
