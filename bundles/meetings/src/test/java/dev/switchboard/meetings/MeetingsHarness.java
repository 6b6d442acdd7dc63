package dev.switchboard.meetings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.media.MediaEvent;
import dev.switchboard.api.meetings.MeetingEvent;
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
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real emulator (at a given clock speed) and a real server with the calling bundle and the meetings bundle built by
 * this module (and, when a test installs them, the media bundle and the greeter of docs/meetings.md), the emulator's bot callback pointing at the server, the application access policy granted, and a
 * recorder of every meeting and call event. Tests act as an app over REST and as people over the emulator's control
 * API.
 */
final class MeetingsHarness implements AutoCloseable {

  static final String ADELE = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01";
  static final String ALEX = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e02";
  static final String MEGAN = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e03";

  /** The greeting the greeter bundle plays (a WAV the emulator serves, as Graph would fetch one). */
  static final java.util.function.Function<Emulated, String> GREETING =
      e -> e.emulator.baseUrl() + "/emulator/samples/prompt.wav?seconds=1";

  final Emulated emulated;
  final double clockSpeed;
  final Map<String, String> env;
  TestServer t;
  final List<JsonObject> events = new CopyOnWriteArrayList<>();

  private MeetingsHarness(Emulated emulated, double clockSpeed, Map<String, String> env) {
    this.emulated = emulated;
    this.clockSpeed = clockSpeed;
    this.env = env;
  }

  static MeetingsHarness start(Path home, double clockSpeed, Map<String, String> extraEnv) throws Exception {
    Emulated emulated = Emulated.start(new EmulatorOptions().setClockSpeed(clockSpeed));
    Map<String, String> env = new HashMap<>(emulated.graphEnv());
    env.put("SWITCHBOARD_PLUGINS_MEETINGS_GRAPH_CLOCK_SPEED", Double.toString(clockSpeed));
    env.put("SWITCHBOARD_PLUGINS_GREETER_GREETING", GREETING.apply(emulated)); // read only when the greeter is installed
    env.putAll(extraEnv);
    MeetingsHarness h = new MeetingsHarness(emulated, clockSpeed, env);
    emulated.post("/emulator/access-policies", new JsonObject().put("global", true));
    h.startServer(home, true);
    return h;
  }

  /** Starts the server in {@code home}; installs the bundles unless they are there from an earlier run. */
  void startServer(Path home, boolean install) throws Exception {
    // Listen before the bundles already deployed start: a join that fell due meanwhile happens at once.
    t = TestServer.start(home, env, this::recordEvents);
    emulated.emulator.setBotCallback(t.server.publicUrl() + "/callbacks/calling");
    if (install) {
      t.install(TestServer.bundle("calling"));
      t.install(jar());
    }
  }

  private void recordEvents(Vertx vertx) {
    for (String address : Stream.of(MeetingEvent.TOPICS, CallEvent.TOPICS, MediaEvent.TOPICS).flatMap(List::stream)
        .toList()) {
      try {
        TestServer.await(vertx.eventBus().<JsonObject>consumer(address, m -> events.add(m.body())).completion());
      } catch (Exception e) {
        throw new IllegalStateException("could not listen to " + address, e);
      }
    }
  }

  /** The meetings bundle built by this module. */
  static Path jar() {
    return Path.of(System.getProperty("meetings.jar", "target/meetings-0.1.0-SNAPSHOT.jar"));
  }

  HttpResponse<Buffer> rest(HttpMethod method, String path, JsonObject body) throws Exception {
    var request = t.client.request(method, t.server.httpPort(), "127.0.0.1", "/api/v1" + path)
        .putHeader("Authorization", "Bearer " + t.apiKey());
    return TestServer.await(body == null ? request.send() : request.sendJsonObject(body));
  }

  /** Creates a meeting of Adele over REST; the meeting. */
  JsonObject createMeeting(JsonObject body) throws Exception {
    HttpResponse<Buffer> created = rest(HttpMethod.POST, "/meetings", new JsonObject().put("organizerId", ADELE)
        .mergeIn(body));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    return created.bodyAsJsonObject();
  }

  /** The emulator's date now (Graph's clock). */
  Instant graphNow() throws Exception {
    return Instant.parse(TestServer.await(emulated.control.getAbs(emulated.emulator.baseUrl() + "/emulator/clock")
        .send()).bodyAsJsonObject().getString("now"));
  }

  /** A person joins ({@code true}) or leaves the emulated meeting. */
  void move(String meetingId, String userId, boolean join) throws Exception {
    emulated.post("/emulator/meetings/" + meetingId + "/participants", new JsonObject().put("userId", userId)
        .put("action", join ? "join" : "leave"));
  }

  List<JsonObject> events(String type, String key, Predicate<JsonObject> condition) {
    return events.stream().filter(e -> type.equals(e.getString("type"))
        && (key.equals(e.getString("meetingId")) || key.equals(e.getString("callId")))).filter(condition).toList();
  }

  JsonObject awaitEvent(String type, String key, Duration timeout, Predicate<JsonObject> condition)
      throws InterruptedException {
    TestServer.awaitUntil(type + " of " + key, timeout, () -> !events(type, key, condition).isEmpty());
    return events(type, key, condition).get(0);
  }

  /** The bot's create-call requests that joined the meeting whose chat thread is {@code threadId}. */
  JsonArray joins(String threadId) throws Exception {
    JsonArray out = new JsonArray();
    emulated.requests("/v1.0/communications/calls").stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("method").equals("POST") && r.getString("path").equals("/v1.0/communications/calls"))
        .filter(r -> r.getJsonObject("body").getJsonObject("chatInfo") != null
            && threadId.equals(r.getJsonObject("body").getJsonObject("chatInfo").getString("threadId")))
        .forEach(out::add);
    return out;
  }

  @Override
  public void close() throws Exception {
    if (t != null) {
      t.close();
    }
    emulated.close();
  }
}
