package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server killed with {@code kill -9} while 100 calls sit in IVR flows, then started again on its folder: every
 * call goes on where it was (the keys pressed after the restart move each flow on, and the flows hang up), with
 * nothing left behind. The server is the real distribution in its own process; the emulator plays Graph.
 */
class CrashRecoveryIT {

  private static final int CALLS = 100;

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private EmulatedCalls graph;

  @AfterEach
  void close() throws Exception {
    if (graph != null) {
      graph.close();
    }
    EmulatedCalls.await(vertx.close());
  }

  @Test
  void callsInIvrFlowsGoOnAfterTheServerIsKilledAndStartedAgain() throws Exception {
    assumeTrue(ClusterIT.onPath("espeak-ng"),
        "the flow's prompts are text (say:), which needs espeak-ng; .ci/run installs it");
    int port = Cli.freePort();
    String publicUrl = "http://127.0.0.1:" + port;
    graph = EmulatedCalls.start(vertx, publicUrl + "/callbacks/calling");
    Map<String, String> env = serverEnv(port, publicUrl);

    List<String> calls;
    try (Cli.Server server = Cli.Server.start(env)) {
      calls = graph.dial(CALLS);
      graph.awaitAll(calls, "heard the first prompt", id -> graph.prompts(id) >= 1, Duration.ofSeconds(90));
      server.process.destroyForcibly(); // SIGKILL: no shutdown hook, no last write
      assertTrue(server.process.waitFor(10, TimeUnit.SECONDS));
    }

    try (Cli.Server server = Cli.Server.start(env)) {
      for (String id : calls) {
        graph.press(id, "1");
      }
      graph.awaitAll(calls, "moved to the second menu after the restart", id -> graph.prompts(id) >= 2,
          Duration.ofSeconds(90));
      for (String id : calls) {
        graph.press(id, "2");
      }
      graph.awaitAll(calls, "hung up by its flow", graph::terminated, Duration.ofSeconds(90));
      for (String id : calls) {
        assertEquals(3, graph.prompts(id), "call " + id + " heard One, Two and Bye, each once");
      }
      assertTrue(!server.log().contains("Exception in thread"), server.log());
    }
  }

  private Map<String, String> serverEnv(int port, String publicUrl) throws Exception {
    Map<String, String> env = new HashMap<>(ClusterIT.baseEnv(dir, graph));
    env.put("SWITCHBOARD_HTTP_HOST", "127.0.0.1");
    env.put("SWITCHBOARD_HTTP_PORT", Integer.toString(port));
    env.put("SWITCHBOARD_HTTP_PUBLIC_URL", publicUrl);
    env.put("SWITCHBOARD_ADMIN_PORT", "0");
    env.put("SWITCHBOARD_DATA_DIR", dir.resolve("data").toString());
    return env;
  }
}
