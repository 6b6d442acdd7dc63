package dev.switchboard.calling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.calls.CallsClient;
import dev.switchboard.api.SwitchboardException;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real emulator and a real server with the calling bundle built by this module installed, the emulator's bot
 * callback pointing at the server, and a recorder of every call event. Tests act as the bot over the bus and as
 * an app over REST.
 */
final class CallingHarness implements AutoCloseable {

  static final String ADELE = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01";
  static final String ALEX = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e02";
  static final String MEGAN = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e03";

  final Emulated emulated;
  TestServer t;
  final String callbackUri;
  final List<JsonObject> events = new CopyOnWriteArrayList<>();
  private final Path home;
  private final Map<String, String> env;

  private CallingHarness(Emulated emulated, TestServer t, String callbackUri, Path home, Map<String, String> env) {
    this.emulated = emulated;
    this.t = t;
    this.callbackUri = callbackUri;
    this.home = home;
    this.env = env;
  }

  static CallingHarness start(Path home, double clockSpeed, Map<String, String> extraEnv) throws Exception {
    return start(home, clockSpeed, extraEnv, true);
  }

  /**
   * As {@link #start(Path, double, Map)}; without the recorder of call events when not {@code recordEvents}
   * ({@link #events} stays empty): for a benchmark, where copying every event to one more consumer and keeping it
   * would be counted as the server's work.
   */
  static CallingHarness start(Path home, double clockSpeed, Map<String, String> extraEnv, boolean recordEvents)
      throws Exception {
    Emulated emulated = Emulated.start(new EmulatorOptions().setClockSpeed(clockSpeed));
    Map<String, String> env = new HashMap<>(emulated.graphEnv());
    env.put("SWITCHBOARD_PLUGINS_CALLING_APPLICATION_INSTANCE_ID", EmulatorOptions.DEFAULT_APPLICATION_INSTANCE_ID);
    env.putAll(extraEnv);
    TestServer t = TestServer.start(home, env);
    // The plugin's default callback URI is the server's public URL + /callbacks/calling.
    String callback = t.server.publicUrl() + "/callbacks/calling";
    emulated.emulator.setBotCallback(callback);
    CallingHarness h = new CallingHarness(emulated, t, callback, home, env);
    if (recordEvents) {
      h.recordEvents(t.vertx);
    }
    HttpResponse<Buffer> installed = t.admin(HttpMethod.POST, "/admin/bundles", Buffer.buffer(Files.readAllBytes(jar())));
    assertEquals(201, installed.statusCode(), installed.bodyAsString());
    return h;
  }

  private void recordEvents(Vertx vertx) {
    for (String address : CallEvent.TOPICS) {
      try {
        TestServer.await(vertx.eventBus().<JsonObject>consumer(address, m -> events.add(m.body())).completion());
      } catch (Exception e) {
        throw new IllegalStateException("could not listen to " + address, e);
      }
    }
  }

  /**
   * Stops the server, runs {@code whileDown} (the emulator keeps going: what it sends meanwhile is lost), and starts
   * the server again on the same folder, where the calling bundle is still deployed. Give the harness a fixed
   * {@code SWITCHBOARD_HTTP_PORT}: live calls keep the callback URL they were answered with.
   */
  void restartServer(ThrowingRunnable whileDown) throws Exception {
    t.close();
    whileDown.run();
    // Listen before the bundle starts: it reads its stored calls again at once and may publish their ends.
    t = TestServer.start(home, env, vertx -> recordEvents(vertx));
    TestServer.awaitUntil("the calling plugin is active again", Duration.ofSeconds(20), () -> {
      try {
        return t.http(HttpMethod.GET, "/api/v1/calls").statusCode() == 200;
      } catch (Exception e) {
        return false;
      }
    });
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** The calling bundle built by this module. */
  static Path jar() {
    return Path.of(System.getProperty("calling.jar", "target/calling-0.1.0-SNAPSHOT.jar"));
  }

  /** Runs a command on the bus; its reply. */
  JsonObject command(JsonObject command) throws Exception {
    return TestServer.await(t.vertx.eventBus().<JsonObject>request(CallCommand.ADDRESS, command)).body();
  }

  /** Runs the command {@code name} (read with the contract, so a malformed one fails here) on the bus; its reply. */
  JsonObject command(String name, String callId, JsonObject fields) throws Exception {
    return command(CallCommand.fromJson(name, callId, fields).toJson());
  }

  /** Runs a typed command; its typed reply. */
  <R> R send(CallCommand<R> command) throws Exception {
    return TestServer.await(CallsClient.of(t.vertx.eventBus()).send(command));
  }

  /** Runs a command that must fail; the failure as the platform's exception. */
  SwitchboardException failure(JsonObject command) throws Exception {
    try {
      t.vertx.eventBus().request(CallCommand.ADDRESS, command).toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return SwitchboardException.from(e.getCause());
    }
    throw new AssertionError("command " + command.encode() + " succeeded");
  }

  HttpResponse<Buffer> rest(HttpMethod method, String path, Object body) throws Exception {
    var request = t.client.request(method, t.server.httpPort(), "127.0.0.1", "/api/v1" + path)
        .putHeader("Authorization", "Bearer " + t.apiKey());
    if (body == null) {
      return TestServer.await(request.send());
    }
    return TestServer.await(request.putHeader("Content-Type", "application/json").sendBuffer(
        body instanceof JsonObject o ? o.toBuffer() : Buffer.buffer(body.toString())));
  }

  /** The call as {@code GET /api/v1/calls/{id}} answers it. */
  JsonObject call(String id) {
    try {
      return rest(HttpMethod.GET, "/calls/" + id, null).bodyAsJsonObject();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Places an incoming call from {@code from}; its id. */
  String incoming(String from) throws Exception {
    return emulated.post("/emulator/calls/incoming", new JsonObject().put("from", from)).getString("id");
  }

  List<JsonObject> events(String type, String callId) {
    return events.stream().filter(e -> e.getString("type").equals(type) && callId.equals(e.getString("callId")))
        .toList();
  }

  JsonObject awaitEvent(String type, String callId) throws InterruptedException {
    return awaitEvent(type, callId, e -> true);
  }

  JsonObject awaitEvent(String type, String callId, Predicate<JsonObject> condition) throws InterruptedException {
    TestServer.awaitUntil(type + " of " + callId, Duration.ofSeconds(15),
        () -> events(type, callId).stream().anyMatch(condition));
    return events(type, callId).stream().filter(condition).findFirst().orElseThrow();
  }

  /** The emulator's view of a call. */
  JsonObject emulatorCall(String callId) throws Exception {
    return TestServer.await(emulated.control.getAbs(emulated.emulator.baseUrl() + "/emulator/calls/" + callId).send())
        .bodyAsJsonObject();
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
