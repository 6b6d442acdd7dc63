package dev.switchboard.ivr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallEvents;
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
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ivr bundle in a real server with the calling and media bundles and the emulator: flows answer calls, a flow
 * edited while a call is in it changes the next call only, and a broken edit leaves the old flow serving.
 */
class IvrFlowIT {

  private static final String FLOW = """
      default: true
      nodes:
        menu:
          type: gather
          say: Menu VERSION. Press 1.
          timeout: 10s
          branches:
            "1": bye
        bye:
          type: hangup
          say: Goodbye from VERSION.
      """;

  @TempDir
  Path home;

  private Emulated emulated;
  private TestServer t;
  private Path flows;
  private final List<JsonObject> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    flows = Files.createDirectories(home.resolve("flows"));
    Files.writeString(flows.resolve("main.yaml"), FLOW.replace("VERSION", "one"));
    emulated = Emulated.start(new EmulatorOptions().setClockSpeed(10));
    Map<String, String> env = new HashMap<>(emulated.graphEnv());
    env.put("SWITCHBOARD_PLUGINS_IVR_FLOWS_DIR", flows.toString());
    env.put("SWITCHBOARD_PLUGINS_IVR_RELOAD_INTERVAL_MS", "100");
    t = TestServer.start(home, env);
    emulated.emulator.setBotCallback(t.server.publicUrl() + "/callbacks/calling");
    for (String address : List.of(IvrEvents.ADDRESS, CallEvents.TERMINATED, CallEvents.ESTABLISHED)) {
      TestServer.await(t.vertx.eventBus().<JsonObject>consumer(address, m -> events.add(m.body().copy()
          .put("address", address))).completion());
    }
    install(TestServer.bundle("calling"));
    install(TestServer.bundle("media"));
    install(Path.of(System.getProperty("ivr.bundle.jar", "target/ivr-0.1.0-SNAPSHOT.jar")));
  }

  @AfterEach
  void stop() throws Exception {
    if (t != null) {
      t.close();
    }
    if (emulated != null) {
      emulated.close();
    }
  }

  @Test
  void aFlowEditedMidCallChangesTheNextCallOnlyAndABrokenEditLeavesTheOldFlowServing() throws Exception {
    String first = call();
    JsonObject started = await(first, "flowStarted", e -> true);
    String v1 = started.getString("flowVersion");
    await(first, "gathering", e -> e.getString("prompt").equals("\"Menu one. Press 1.\""));

    // Edit the file while the first call sits in the menu.
    Files.writeString(flows.resolve("main.yaml"), FLOW.replace("VERSION", "two"));
    String v2 = awaitFlowVersion(v -> !v.equals(v1));

    press(first, "1");
    JsonObject firstBye = await(first, "playing", e -> "bye".equals(e.getString("node")));
    assertEquals("\"Goodbye from one.\"", firstBye.getString("prompt"), "the call in progress keeps its version");
    assertEquals(v1, firstBye.getString("flowVersion"));
    awaitCall(first, CallEvents.TERMINATED);

    String second = call();
    assertEquals(v2, await(second, "flowStarted", e -> true).getString("flowVersion"));
    await(second, "gathering", e -> e.getString("prompt").equals("\"Menu two. Press 1.\""));
    press(second, "1");
    assertEquals("\"Goodbye from two.\"", await(second, "playing", e -> "bye".equals(e.getString("node")))
        .getString("prompt"));
    awaitCall(second, CallEvents.TERMINATED);

    // A broken edit: refused with file and line, the previous version keeps serving.
    Files.writeString(flows.resolve("main.yaml"), FLOW.replace("VERSION", "three").replace("type: hangup",
        "type: hangpu"));
    TestServer.awaitUntil("the broken file is reported", Duration.ofSeconds(10), () -> flowFile().containsKey("errors"));
    JsonObject file = flowFile();
    assertEquals(v2, file.getString("version"));
    assertEquals("main.yaml:10:11: node 'bye' has unknown type 'hangpu' (types: gather, hangup, invite, play, record, "
        + "redirect, transfer)", file.getJsonArray("errors").getJsonObject(0).getString("text"));
    String third = call();
    assertEquals(v2, await(third, "flowStarted", e -> true).getString("flowVersion"));
    await(third, "gathering", e -> e.getString("prompt").equals("\"Menu two. Press 1.\""));
    emulated.post("/emulator/calls/" + third + "/hangup", new JsonObject());
    awaitCall(third, CallEvents.TERMINATED);
  }

  @Test
  void noInputIsAskedAgainThenTheDefaultIsTaken() throws Exception {
    Files.writeString(flows.resolve("main.yaml"), """
        default: true
        nodes:
          menu:
            type: gather
            say: Press 1.
            timeout: 1s
            retries: 1
            retrySay: Sorry.
            branches:
              "1": menu
            default: bye
          bye:
            type: hangup
        """);
    String before = flowFile().getString("version");
    awaitFlowVersion(v -> !v.equals(before));
    String call = call();
    await(call, "retry", e -> "timeout".equals(e.getString("endedBy")));
    JsonObject fallback = await(call, "digits", e -> e.getBoolean("fallback", false));
    assertEquals("bye", fallback.getString("next"));
    await(call, "hangingUp", e -> true);
    JsonObject ended = awaitCall(call, CallEvents.TERMINATED);
    assertTrue(ended.getString("reason") != null, ended.encode());
  }

  private void install(Path jar) throws Exception {
    HttpResponse<Buffer> installed = t.admin(HttpMethod.POST, "/admin/bundles", Buffer.buffer(Files.readAllBytes(jar)));
    assertEquals(201, installed.statusCode(), installed.bodyAsString());
  }

  private String call() throws Exception {
    return emulated.post("/emulator/calls/incoming", new JsonObject().put("from", "+14255550123")).getString("id");
  }

  private void press(String call, String keys) throws Exception {
    // Keys pressed before the media bundle has started the gather's prompt are not collected: give it a moment.
    Thread.sleep(500);
    emulated.post("/emulator/calls/" + call + "/tones", new JsonObject().put("tones", keys));
  }

  private JsonObject flowFile() {
    try {
      JsonArray files = TestServer.json(t.http(HttpMethod.GET, "/api/v1/ivr/flows")).getJsonArray("flows");
      return files.isEmpty() ? new JsonObject() : files.getJsonObject(0);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private String awaitFlowVersion(Predicate<String> test) throws InterruptedException {
    TestServer.awaitUntil("the flow file is reloaded", Duration.ofSeconds(10), () -> {
      String v = flowFile().getString("version");
      return v != null && test.test(v);
    });
    return flowFile().getString("version");
  }

  private JsonObject await(String call, String type, Predicate<JsonObject> test) throws InterruptedException {
    Predicate<JsonObject> match = e -> IvrEvents.ADDRESS.equals(e.getString("address"))
        && call.equals(e.getString("callId")) && type.equals(e.getString("type")) && test.test(e);
    TestServer.awaitUntil(type + " on " + call + " in " + events, Duration.ofSeconds(15),
        () -> events.stream().anyMatch(match));
    return events.stream().filter(match).findFirst().orElseThrow();
  }

  private JsonObject awaitCall(String call, String address) throws InterruptedException {
    Predicate<JsonObject> match = e -> address.equals(e.getString("address")) && call.equals(e.getString("callId"));
    TestServer.awaitUntil(address + " on " + call, Duration.ofSeconds(15), () -> events.stream().anyMatch(match));
    return events.stream().filter(match).findFirst().orElseThrow();
  }
}
