package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.emulator.EmulatorOptions;
import dev.switchboard.emulator.GraphEmulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server killed with {@code kill -9} while 100 calls sit in IVR flows, then started again on its folder: every
 * call goes on where it was (the keys pressed after the restart move each flow on, and the flows hang up), with
 * nothing left behind. The server is the real distribution in its own process; the emulator plays Graph.
 */
class CrashRecoveryIT {

  private static final String TOKEN = "crash-test-token-0123456789";
  private static final int CALLS = 100;
  private static final String FLOW = """
      name: crash
      default: true
      start: first
      nodes:
        first:
          type: gather
          say: One.
          timeout: 120s
          retries: 0
          branches:
            "1": second
          default: bye
        second:
          type: gather
          say: Two.
          timeout: 120s
          retries: 0
          branches:
            "2": bye
          default: bye
        bye:
          type: hangup
          say: Bye.
      """;

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private GraphEmulator emulator;
  private WebClient control;

  @AfterEach
  void close() throws Exception {
    if (emulator != null) {
      await(emulator.close());
    }
    await(vertx.close());
  }

  @Test
  void callsInIvrFlowsGoOnAfterTheServerIsKilledAndStartedAgain() throws Exception {
    assumeTrue(onPath("espeak-ng"), "the flow's prompts are text (say:), which needs espeak-ng; .ci/run installs it");
    int port = Cli.freePort();
    String publicUrl = "http://127.0.0.1:" + port;
    emulator = await(GraphEmulator.start(vertx, new EmulatorOptions().setClockSpeed(1)
        .setBotCallback(publicUrl + "/callbacks/calling")));
    control = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustOptions(new PemTrustOptions()
        .addCertValue(Buffer.buffer(emulator.graphConfig().getString("tlsCertificatePem")))));
    Map<String, String> env = serverEnv(port);

    List<String> calls = new ArrayList<>();
    try (Cli.Server server = Cli.Server.start(env)) {
      for (int i = 0; i < CALLS; i++) {
        calls.add(post("/emulator/calls/incoming", new JsonObject().put("from", String.format("+1425555%04d", i)))
            .getString("id"));
      }
      awaitAll(calls, "heard the first prompt", id -> prompts(id) >= 1, Duration.ofSeconds(90));
      server.process.destroyForcibly(); // SIGKILL: no shutdown hook, no last write
      assertTrue(server.process.waitFor(10, TimeUnit.SECONDS));
    }

    try (Cli.Server server = Cli.Server.start(env)) {
      for (String id : calls) {
        post("/emulator/calls/" + id + "/tones", new JsonObject().put("tones", "1"));
      }
      awaitAll(calls, "moved to the second menu after the restart", id -> prompts(id) >= 2, Duration.ofSeconds(90));
      for (String id : calls) {
        post("/emulator/calls/" + id + "/tones", new JsonObject().put("tones", "2"));
      }
      awaitAll(calls, "hung up by its flow", id -> "terminated".equals(emulatorCall(id).getString("state")),
          Duration.ofSeconds(90));
      for (String id : calls) {
        assertEquals(3, prompts(id), "call " + id + " heard One, Two and Bye, each once");
      }
      assertTrue(!server.log().contains("Exception in thread"), server.log());
    }
  }

  private Map<String, String> serverEnv(int port) throws Exception {
    Path flows = Files.createDirectories(dir.resolve("flows"));
    Files.writeString(flows.resolve("crash.yaml"), FLOW);
    Map<String, String> env = InProcessServer.serverEnv(emulator, dir, List.of("calling", "media", "ivr"), port, TOKEN);
    env.put("SWITCHBOARD_PLUGINS_IVR_FLOWS_DIR", flows.toString());
    return env;
  }

  /** How many prompts the bot played on call {@code id}, as the emulator saw them. */
  private int prompts(String id) {
    try {
      JsonArray sent = await(control.getAbs(emulator.baseUrl() + "/emulator/requests?method=POST&path=/communications/calls/"
          + id + "/playPrompt").send()).bodyAsJsonObject().getJsonArray("value");
      return sent.size();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private JsonObject emulatorCall(String id) {
    try {
      return await(control.getAbs(emulator.baseUrl() + "/emulator/calls/" + id).send()).bodyAsJsonObject();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private JsonObject post(String path, JsonObject body) throws Exception {
    HttpResponse<Buffer> response = await(control.postAbs(emulator.baseUrl() + path).sendJsonObject(body));
    assertTrue(response.statusCode() / 100 == 2, path + " answered " + response.statusCode() + ": "
        + response.bodyAsString());
    return response.bodyAsString().isEmpty() ? new JsonObject() : response.bodyAsJsonObject();
  }

  private static void awaitAll(List<String> calls, String what, Predicate<String> done, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> waiting = new ArrayList<>(calls);
    while (System.nanoTime() < deadline) {
      waiting.removeIf(done);
      if (waiting.isEmpty()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(waiting.size() + " of " + calls.size() + " calls never " + what + ", e.g. "
        + waiting.get(0));
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    return path != null && List.of(path.split(java.io.File.pathSeparator)).stream()
        .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
