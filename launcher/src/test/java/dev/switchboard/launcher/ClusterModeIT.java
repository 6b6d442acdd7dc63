package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode on and off in the real distribution: with {@code cluster.enabled: false} the JVM never loads a
 * Hazelcast class (nor the platform's cluster package), with it on (a cluster of one) it does, and
 * {@code switchboard cluster} lists the members either way.
 */
class ClusterModeIT {

  private static final String TOKEN = "cluster-mode-test-token-0123456789";

  @TempDir
  Path dir;

  @Test
  void withClusterModeOffNoHazelcastClassIsLoaded() throws Exception {
    Path classes = dir.resolve("classes-off.log");
    Map<String, String> env = env("off", classes);
    String listed;
    try (Cli.Server server = Cli.Server.start(env)) {
      listed = Cli.run(cli(env), "cluster", "--admin-url", "http://127.0.0.1:" + server.adminPort).out();
    }
    String loaded = Files.readString(classes);
    assertTrue(loaded.contains("dev.switchboard.platform.SwitchboardServer"), "the class-load log works");
    assertFalse(loaded.contains("com.hazelcast."), "no Hazelcast class is loaded with cluster.enabled: false");
    assertFalse(loaded.contains("dev.switchboard.platform.cluster."), "nor the platform's cluster package");
    assertTrue(listed.contains("cluster mode is off"), listed);
  }

  @Test
  void aClusterOfOneLoadsHazelcastAndListsItself() throws Exception {
    Path classes = dir.resolve("classes-on.log");
    Map<String, String> env = env("on", classes);
    int clusterPort = Cli.freePort();
    env.put("SWITCHBOARD_CLUSTER_ENABLED", "true");
    env.put("SWITCHBOARD_CLUSTER_PORT", Integer.toString(clusterPort));
    env.put("SWITCHBOARD_CLUSTER_BUS_PORT", Integer.toString(Cli.freePort()));
    env.put("SWITCHBOARD_CLUSTER_MEMBERS", "127.0.0.1:" + clusterPort);
    env.put("SWITCHBOARD_CLUSTER_NAME", "one-" + clusterPort);
    String listed;
    try (Cli.Server server = Cli.Server.start(env)) {
      Cli.Result result = Cli.run(cli(env), "cluster", "--admin-url", "http://127.0.0.1:" + server.adminPort);
      assertEquals(0, result.exitCode(), result.toString());
      listed = result.out();
    }
    assertTrue(Files.readString(classes).contains("com.hazelcast."), "Hazelcast is loaded in cluster mode");
    assertTrue(listed.contains("cluster 'one-" + clusterPort + "': 1 members"), listed);
    assertTrue(listed.contains("(this)"), listed);
  }

  private Map<String, String> env(String name, Path classLog) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("SWITCHBOARD_HTTP_HOST", "127.0.0.1");
    env.put("SWITCHBOARD_HTTP_PORT", "0");
    env.put("SWITCHBOARD_ADMIN_PORT", "0");
    env.put("SWITCHBOARD_ADMIN_TOKEN", TOKEN);
    env.put("SWITCHBOARD_DEPLOY_DIR", Files.createDirectories(dir.resolve(name).resolve("deploy")).toString());
    env.put("SWITCHBOARD_DATA_DIR", dir.resolve(name).resolve("data").toString());
    env.put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + classLog);
    return env;
  }

  /** The environment of a CLI command: the server's admin token, no class-load log. */
  private static Map<String, String> cli(Map<String, String> env) {
    return Map.of("SWITCHBOARD_ADMIN_TOKEN", env.get("SWITCHBOARD_ADMIN_TOKEN"));
  }
}
