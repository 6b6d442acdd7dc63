package dev.switchboard.ivr;

import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.media.MediaEvent;
import dev.switchboard.emulator.EmulatorOptions;
import dev.switchboard.platform.Emulated;
import dev.switchboard.platform.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real emulator and a real server with the calling, media and ivr bundles installed from their jars, flows read from
 * a folder of the test's, and a recorder of the ivr plugin's events and of the calling and media bundles' (each with
 * the address it came on, under {@code address}).
 */
final class IvrHarness implements AutoCloseable {

  final Emulated emulated;
  final TestServer t;
  final Path flows;
  final List<JsonObject> events = new CopyOnWriteArrayList<>();

  private IvrHarness(Emulated emulated, TestServer t, Path flows) {
    this.emulated = emulated;
    this.t = t;
    this.flows = flows;
  }

  /** Starts everything with {@code flow} as {@code flows/main.yaml}; {@code env} holds extra settings. */
  static IvrHarness start(Path home, String flow, Map<String, String> env) throws Exception {
    return start(home, flow, env, 10);
  }

  /** As {@link #start(Path, String, Map)}, the emulator's clock running {@code clockSpeed} times real time. */
  static IvrHarness start(Path home, String flow, Map<String, String> env, double clockSpeed) throws Exception {
    return start(home, flow, env, new EmulatorOptions().setClockSpeed(clockSpeed));
  }

  /** As {@link #start(Path, String, Map)}, with an emulator of these {@code options}. */
  static IvrHarness start(Path home, String flow, Map<String, String> env, EmulatorOptions options) throws Exception {
    Path flows = Files.createDirectories(home.resolve("flows"));
    Files.writeString(flows.resolve("main.yaml"), flow);
    Emulated emulated = Emulated.start(options);
    Map<String, String> all = new HashMap<>(emulated.graphEnv());
    all.put("SWITCHBOARD_PLUGINS_IVR_FLOWS_DIR", flows.toString());
    all.put("SWITCHBOARD_PLUGINS_IVR_RELOAD_INTERVAL_MS", "100");
    all.putAll(env);
    TestServer t = TestServer.start(home, all);
    emulated.emulator.setBotCallback(t.server.publicUrl() + "/callbacks/calling");
    IvrHarness h = new IvrHarness(emulated, t, flows);
    for (String address : Stream.of(List.of(IvrEvents.ADDRESS), CallEvent.TOPICS, MediaEvent.TOPICS)
        .flatMap(List::stream).toList()) {
      TestServer.await(t.vertx.eventBus().<JsonObject>consumer(address, m -> h.events.add(m.body().copy()
          .put("address", address))).completion());
    }
    h.t.install(TestServer.bundle("calling"));
    h.t.install(TestServer.bundle("media"));
    h.t.install(ivrJar());
    return h;
  }

  static Path ivrJar() {
    return Path.of(System.getProperty("ivr.bundle.jar", "target/ivr-0.1.0-SNAPSHOT.jar"));
  }

  /** Someone calls the bot; the call's id. */
  String call() throws Exception {
    return call("+14255550123");
  }

  /** {@code from} calls the bot; the call's id. */
  String call(String from) throws Exception {
    return emulated.post("/emulator/calls/incoming", new JsonObject().put("from", from)).getString("id");
  }

  void press(String call, String keys) throws Exception {
    // Keys pressed before the media bundle has started the gather's prompt are not collected: give it a moment.
    Thread.sleep(500);
    emulated.post("/emulator/calls/" + call + "/tones", new JsonObject().put("tones", keys));
  }

  /** The events so far on {@code address} (a topic, or {@link IvrEvents#ADDRESS}) of {@code call} of {@code type}. */
  List<JsonObject> events(String address, String call, String type) {
    return events.stream().filter(e -> address.equals(e.getString("address")) && call.equals(e.getString("callId"))
        && (type == null || type.equals(e.getString("type")))).toList();
  }

  /** Forgets the events recorded of {@code call} (a soak checks each call once it ended, then lets them go). */
  void forget(String call) {
    events.removeIf(e -> call.equals(e.getString("callId")));
  }

  /** The first ivr event of {@code call} of {@code type} that {@code test} accepts, once there is one. */
  JsonObject await(String call, String type, Predicate<JsonObject> test) throws InterruptedException {
    TestServer.awaitUntil(type + " on " + call + " in " + events, Duration.ofSeconds(15),
        () -> events(IvrEvents.ADDRESS, call, type).stream().anyMatch(test));
    return events(IvrEvents.ADDRESS, call, type).stream().filter(test).findFirst().orElseThrow();
  }

  /** The first event of {@code call} on {@code address}, once there is one. */
  JsonObject awaitOn(String call, String address) throws InterruptedException {
    TestServer.awaitUntil(address + " on " + call, Duration.ofSeconds(15),
        () -> !events(address, call, null).isEmpty());
    return events(address, call, null).get(0);
  }

  @Override
  public void close() throws Exception {
    t.close();
    emulated.close();
  }
}
