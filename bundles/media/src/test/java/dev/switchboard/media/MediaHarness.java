package dev.switchboard.media;

import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.calls.CallsClient;
import dev.switchboard.api.media.MediaClient;
import dev.switchboard.api.media.MediaEvent;
import dev.switchboard.emulator.EmulatorOptions;
import dev.switchboard.platform.Emulated;
import dev.switchboard.platform.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A real emulator and a real server with the calling bundle and the media bundle installed from their jars, the
 * emulator's bot callback pointing at the server, and a recorder of every call and media event.
 */
final class MediaHarness implements AutoCloseable {

  static final String ADELE = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01";
  static final long MAX_PROMPT_BYTES = 2L << 20;
  static final int MAX_BODY_BYTES = 8 << 20;

  final Emulated emulated;
  final TestServer t;
  final List<JsonObject> events = new CopyOnWriteArrayList<>();

  private MediaHarness(Emulated emulated, TestServer t) {
    this.emulated = emulated;
    this.t = t;
  }

  static MediaHarness start(Path home, double clockSpeed) throws Exception {
    return start(home, new EmulatorOptions().setClockSpeed(clockSpeed));
  }

  /** Starts with an emulator of these options (e.g. an app granted fewer Graph permissions). */
  static MediaHarness start(Path home, EmulatorOptions options) throws Exception {
    return start(home, options, Map.of());
  }

  /** Starts with an emulator of these options and more of the server's environment. */
  static MediaHarness start(Path home, EmulatorOptions options, Map<String, String> extraEnv) throws Exception {
    Emulated emulated = Emulated.start(options);
    Map<String, String> env = new HashMap<>(emulated.graphEnv());
    env.put("SWITCHBOARD_HTTP_MAX_BODY_BYTES", Integer.toString(MAX_BODY_BYTES));
    env.put("SWITCHBOARD_PLUGINS_MEDIA_MAX_PROMPT_BYTES", Long.toString(MAX_PROMPT_BYTES));
    env.put("SWITCHBOARD_PLUGINS_MEDIA_RECORDING_DOWNLOAD_BACKOFF_MS", "100");
    env.put("SWITCHBOARD_PLUGINS_MEDIA_DROP_SCAN_INTERVAL_MS", "200");
    env.putAll(extraEnv);
    // No callback, prompt URL or certificate settings: the plugins default to the server's public URL and the
    // platform's Graph trust (which includes the emulator's certificate).
    TestServer t = TestServer.start(home, env);
    emulated.emulator.setBotCallback(t.server.publicUrl() + "/callbacks/calling");
    MediaHarness h = new MediaHarness(emulated, t);
    for (String address : CallEvent.TOPICS) {
      TestServer.await(t.vertx.eventBus().<JsonObject>consumer(address, m -> h.events.add(m.body())).completion());
    }
    for (String address : MediaEvent.TOPICS) {
      TestServer.await(t.vertx.eventBus().<JsonObject>consumer(address, m -> h.events.add(m.body())).completion());
    }
    h.t.install(TestServer.bundle("calling"));
    h.t.install(mediaJar());
    return h;
  }

  static Path mediaJar() {
    return Path.of(System.getProperty("media.bundle.jar", "target/media-0.1.0-SNAPSHOT.jar"));
  }

  Path dataDir() {
    return t.home.resolve("data");
  }

  CallsClient calls() {
    return CallsClient.of(t.vertx.eventBus());
  }

  MediaClient media() {
    return MediaClient.of(t.vertx.eventBus());
  }

  /** A caller dials the bot, the bot answers; the established call's id. */
  String answeredCall(JsonObject behavior) throws Exception {
    JsonObject incoming = new JsonObject().put("from", ADELE);
    if (behavior != null) {
      incoming.put("behavior", behavior);
    }
    String id = emulated.post("/emulator/calls/incoming", incoming).getString("id");
    awaitEvent("incoming", id, e -> true);
    TestServer.await(calls().send(CallCommand.Answer.of(id, "media-test", false)));
    awaitEvent("established", id, e -> true);
    return id;
  }

  HttpResponse<Buffer> rest(HttpMethod method, String path, Object body) throws Exception {
    boolean promptFile = path.startsWith("/media/prompts/") && path.endsWith(".wav"); // public: Graph fetches it
    var request = t.client.request(method, t.server.httpPort(), "127.0.0.1", promptFile ? path : "/api/v1" + path);
    if (!promptFile) {
      request.putHeader("Authorization", "Bearer " + t.apiKey());
    }
    if (body == null) {
      return TestServer.await(request.send());
    }
    if (body instanceof byte[] bytes) {
      return TestServer.await(request.putHeader("Content-Type", "audio/wav").sendBuffer(Buffer.buffer(bytes)));
    }
    return TestServer.await(request.putHeader("Content-Type", "application/json").sendBuffer(
        body instanceof JsonObject o ? o.toBuffer() : Buffer.buffer(body.toString())));
  }

  List<JsonObject> events(String type, String callId) {
    return events.stream().filter(e -> type.equals(e.getString("type")) && callId.equals(e.getString("callId")))
        .toList();
  }

  JsonObject awaitEvent(String type, String callId, Predicate<JsonObject> condition) throws InterruptedException {
    TestServer.awaitUntil(type + " of " + callId, Duration.ofSeconds(20),
        () -> events(type, callId).stream().anyMatch(condition));
    return events(type, callId).stream().filter(condition).findFirst().orElseThrow();
  }

  /** The media event of an operation. */
  JsonObject awaitOperation(String type, String callId, String operationId) throws InterruptedException {
    return awaitEvent(type, callId, e -> operationId.equals(e.getString("operationId")));
  }

  JsonArray requests(String pathPart) throws Exception {
    return emulated.requests(pathPart);
  }

  @Override
  public void close() throws Exception {
    t.close();
    emulated.close();
  }
}
