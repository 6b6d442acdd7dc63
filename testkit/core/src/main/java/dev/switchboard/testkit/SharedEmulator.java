package dev.switchboard.testkit;

import dev.switchboard.emulator.EmulatorClient;
import dev.switchboard.emulator.EmulatorOptions;
import dev.switchboard.emulator.GraphEmulator;
import dev.switchboard.platform.vertx.SingleNodeVertx;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Graph emulator per clock speed for the whole test run (on a Vert.x of its own), reset before each test: its
 * keys and TLS certificate take a second or more to make, its state is forgotten by {@code POST /emulator/reset}.
 * Kept in JUnit's root store, which closes it when the run ends.
 */
final class SharedEmulator implements ExtensionContext.Store.CloseableResource {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedEmulator.class);

  final Vertx vertx;
  final GraphEmulator emulator;
  final EmulatorClient client;

  private SharedEmulator(Vertx vertx, GraphEmulator emulator) {
    this.vertx = vertx;
    this.emulator = emulator;
    this.client = EmulatorClient.of(vertx, emulator);
  }

  /** The run's emulator at {@code clockSpeed}, started the first time it is asked for. */
  static SharedEmulator of(ExtensionContext context, double clockSpeed) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("emulator@" + clockSpeed, key -> {
      Vertx vertx = SingleNodeVertx.create();
      try {
        return new SharedEmulator(vertx, KitRuntime.await(GraphEmulator.start(vertx, new EmulatorOptions().setPort(0)
            .setClockSpeed(clockSpeed)), "the emulator starts"));
      } catch (Exception e) {
        vertx.close();
        throw new IllegalStateException("The Graph emulator did not start: " + e.getMessage(), e);
      }
    }, SharedEmulator.class);
  }

  /** Forgets everything (calls end silently, users, faults, meetings, records, requests). */
  void reset() throws Exception {
    KitRuntime.await(client.post("/emulator/reset", new JsonObject()), "the emulator resets");
  }

  @Override
  public void close() throws Exception {
    client.close();
    KitRuntime.await(emulator.close(), "the emulator stops");
    KitRuntime.await(vertx.close(), "the emulator's Vert.x closes");
  }
}
