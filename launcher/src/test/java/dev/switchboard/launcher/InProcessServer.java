package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallsClient;
import dev.switchboard.emulator.EmulatorOptions;
import dev.switchboard.emulator.GraphEmulator;
import dev.switchboard.platform.SwitchboardServer;
import dev.switchboard.platform.config.ConfigLoader;
import dev.switchboard.platform.metrics.SwitchboardMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The emulator and a server in this JVM (its Vert.x made with the metrics SPI) with first-party bundles from the
 * assembled distribution's {@code deploy/}, on free loopback ports in {@code dir}; for the console and metrics tests.
 */
final class InProcessServer implements AutoCloseable {

  static final String TOKEN = "console-test-admin-token-0123456789";

  final Vertx emulatorVertx = Vertx.vertx();
  final Vertx vertx = SwitchboardMetrics.vertx();
  final Path dir;
  GraphEmulator emulator;
  SwitchboardServer server;
  WebClient control;
  WebClient web;

  private InProcessServer(Path dir) {
    this.dir = dir;
  }

  /** Starts both; {@code bundles} are names of jars in the distribution's deploy folder ({@code calling}, ...). */
  static InProcessServer start(Path dir, List<String> bundles, Map<String, String> extraEnv) throws Exception {
    InProcessServer s = new InProcessServer(dir);
    try {
      int port = Cli.freePort();
      String publicUrl = "http://127.0.0.1:" + port;
      s.emulator = await(GraphEmulator.start(s.emulatorVertx, new EmulatorOptions().setPort(0).setClockSpeed(1)
          .setBotCallback(publicUrl + "/callbacks/calling")));
      s.control = WebClient.create(s.emulatorVertx, new WebClientOptions().setSsl(true).setTrustOptions(
          new PemTrustOptions().addCertValue(Buffer.buffer(s.emulator.graphConfig().getString("tlsCertificatePem")))));
      Map<String, String> env = serverEnv(s.emulator, dir, bundles, port, TOKEN);
      env.put("SWITCHBOARD_DEPLOY_POLL_INTERVAL", "200ms");
      env.putAll(extraEnv);
      s.server = await(SwitchboardServer.start(s.vertx, ConfigLoader.load(null, env, dir)));
      s.web = WebClient.create(s.vertx);
      return s;
    } catch (Exception | AssertionError e) {
      s.close();
      throw e;
    }
  }

  /**
   * The SWITCHBOARD_* variables of a server on {@code port} (admin port any) against {@code emulator}, with
   * {@code bundles} copied from the distribution's {@code deploy/} into {@code dir/deploy} and its data in
   * {@code dir/data}.
   */
  static Map<String, String> serverEnv(GraphEmulator emulator, Path dir, List<String> bundles, int port, String token)
      throws java.io.IOException {
    Path deploy = Files.createDirectories(dir.resolve("deploy"));
    Path dist = Path.of(System.getProperty("switchboard.dist", "target/switchboard"));
    for (String bundle : bundles) {
      Files.copy(dist.resolve("deploy").resolve(bundle + ".jar"), deploy.resolve(bundle + ".jar"));
    }
    Map<String, String> env = new HashMap<>(ConfigLoader.environmentOf("graph", emulator.graphConfig()));
    env.put("SWITCHBOARD_HTTP_HOST", "127.0.0.1");
    env.put("SWITCHBOARD_HTTP_PORT", Integer.toString(port));
    env.put("SWITCHBOARD_HTTP_PUBLIC_URL", "http://127.0.0.1:" + port);
    env.put("SWITCHBOARD_ADMIN_PORT", "0");
    env.put("SWITCHBOARD_ADMIN_TOKEN", token);
    env.put("SWITCHBOARD_DEPLOY_DIR", deploy.toString());
    env.put("SWITCHBOARD_DATA_DIR", dir.resolve("data").toString());
    return env;
  }

  /** Answers call {@code id} as {@code by} through the calling bundle, once its notification has reached it. */
  void answer(String id, String by) throws InterruptedException {
    CallsClient calls = CallsClient.of(vertx.eventBus()).withTimeout(30_000);
    awaitUntil("call " + id + " answered", Duration.ofSeconds(30), () -> {
      try {
        return await(calls.send(CallCommand.Answer.of(id, by, false))) != null;
      } catch (Exception e) {
        return false; // its notification is still on the way
      }
    });
  }

  String adminUrl() {
    return "http://127.0.0.1:" + server.adminPort();
  }

  /** A request to the admin API with the token. */
  HttpResponse<Buffer> admin(HttpMethod method, String path, Buffer body) throws Exception {
    var request = web.request(method, server.adminPort(), "127.0.0.1", path).putHeader("Authorization",
        "Bearer " + TOKEN);
    return await(body == null ? request.send() : request.sendBuffer(body));
  }

  /** A request to the emulator's control API that must succeed; its JSON answer (empty when none). */
  JsonObject emulator(String path, JsonObject body) throws Exception {
    HttpResponse<Buffer> response = await(control.postAbs(emulator.baseUrl() + path).sendJsonObject(body));
    assertTrue(response.statusCode() / 100 == 2, path + " answered " + response.statusCode() + ": "
        + response.bodyAsString());
    return response.bodyAsString() == null || response.bodyAsString().isEmpty() ? new JsonObject()
        : response.bodyAsJsonObject();
  }

  /** A person calls the bot; the call's id. */
  String incomingCall(String from) throws Exception {
    return emulator("/emulator/calls/incoming", new JsonObject().put("from", from)).getString("id");
  }

  @Override
  public void close() throws Exception {
    if (server != null) {
      await(server.close());
    }
    await(vertx.close());
    if (emulator != null) {
      await(emulator.close());
    }
    await(emulatorVertx.close());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** Waits for {@code value} to give something other than null (checked every 200 ms); that. */
  static <T> T awaitValue(String what, Duration timeout, java.util.function.Supplier<T> value)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (T got = value.get(); ; got = value.get()) {
      if (got != null) {
        return got;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
      }
      Thread.sleep(200);
    }
  }

  /** Waits for {@code condition}, checking every 100 ms; fails naming {@code what} after {@code timeout}. */
  static void awaitUntil(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
      }
      Thread.sleep(100);
    }
  }
}
