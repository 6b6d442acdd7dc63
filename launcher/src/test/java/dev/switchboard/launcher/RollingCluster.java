package dev.switchboard.launcher;

import dev.switchboard.platform.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A cluster of real members behind HAProxy running the sequence recorder (1.0.0) and the sequence sender, the
 * emulator as Graph (its keys sign the notifications), and where the recorders report: for keyed traffic (Graph's
 * notifications through the balancer, or keyed commands the members send) while the recorder is updated member by
 * member. Used by {@code ClusterRollingIT} and {@code ClusterRollingBenchmark}.
 */
final class RollingCluster implements AutoCloseable {

  static final String BUNDLE = "dev.switchboard.test.sequence";

  /** A span of a run (epoch µs) whose latencies are reported apart. */
  record Window(String name, long from, long to) {
  }

  final EmulatedCalls graph;
  final DeliveryReports reports;
  final LocalCluster cluster;
  /** A REST key of each member for the sequence sender's runs ({@code sequence:write}). */
  private final List<String> senderKeys = new ArrayList<>();

  private RollingCluster(EmulatedCalls graph, DeliveryReports reports, LocalCluster cluster) {
    this.graph = graph;
    this.reports = reports;
    this.cluster = cluster;
  }

  /** Starts {@code members} members (a majority quorum), waits until HAProxy routes to each, installs 1.0.0. */
  static RollingCluster start(Vertx vertx, Path dir, int members) throws Exception {
    int balancerPort = Cli.freePort();
    EmulatedCalls graph = EmulatedCalls.start(vertx, "http://127.0.0.1:" + balancerPort + "/callbacks/calling");
    DeliveryReports reports = new DeliveryReports(vertx);
    Map<String, String> env = new HashMap<>(ConfigLoader.environmentOf("graph", graph.emulator.graphConfig()));
    env.put("SWITCHBOARD_ADMIN_TOKEN", ClusterIT.TOKEN);
    env.put("SWITCHBOARD_DEPLOY_DIR", Files.createDirectories(dir.resolve("deploy")).toString());
    env.put("SWITCHBOARD_PLUGINS_SEQUENCE_REPORT_URL", reports.url());
    env.put("SWITCHBOARD_ROUTING_DRAIN_TIMEOUT", "60s");
    LocalCluster cluster = new LocalCluster(vertx, dir, members, env, balancerPort);
    cluster.quorum = members / 2 + 1;
    RollingCluster rolling = new RollingCluster(graph, reports, cluster);
    try {
      cluster.startBalancer();
      int[] all = IntStream.range(0, members).toArray();
      cluster.start(all);
      for (int i : all) {
        ClusterIT.awaitTrue("member " + i + " ready and seen so by HAProxy", () -> cluster.routable(i),
            Duration.ofSeconds(90));
      }
      cluster.admin(0, HttpMethod.POST, "/admin/bundles", jar(1));
      cluster.admin(0, HttpMethod.POST, "/admin/bundles",
          Buffer.buffer(Files.readAllBytes(Cli.testBundle("sequence-sender"))));
      for (int i : all) {
        JsonObject key = new JsonObject().put("name", "sequence-sender-" + i).put("scopes",
            new JsonArray().add("sequence:write"));
        rolling.senderKeys.add(cluster.admin(i, HttpMethod.POST, "/admin/keys", key.toBuffer()).bodyAsJsonObject()
            .getString("secret"));
      }
      return rolling;
    } catch (Exception | Error e) {
      rolling.close();
      throw e;
    }
  }

  static Buffer jar(int version) throws Exception {
    return Buffer.buffer(Files.readAllBytes(Cli.testBundle("sequence-recorder-v" + version)));
  }

  /** Notifications through HAProxy, signed by the emulator's notification key. */
  NotificationLoad load(Vertx vertx, String prefix, int messages, int chains, int ratePerSecond) {
    return new NotificationLoad(vertx, cluster.balancerPort, graph.emulator.notificationToken(), prefix, messages,
        chains, ratePerSecond);
  }

  /**
   * Keyed commands sent by the members' sequence senders (installed on every member), each key opened by the next
   * member and continued by the one before it.
   */
  CommandLoad commands(Vertx vertx, String name, int messages, int chains, int ratePerSecond) {
    return new CommandLoad(vertx, cluster.slots, senderKeys, name, messages, chains, ratePerSecond);
  }

  /**
   * Under the running {@code load}: steady state on 1.0.0; an update with drain to 2.0.0 through member 1's admin API;
   * steady state; an update with takeover to 3.0.0 through the last member's; a rollback with drain (to 2.0.0)
   * through member 0's. Each change's window runs from its request to a second after its answer.
   */
  List<Window> rollingUpdate(int phaseSeconds) throws Exception {
    List<Window> windows = new ArrayList<>();
    int last = cluster.slots.size() - 1;
    long begin = NotificationLoad.micros();
    Thread.sleep(phaseSeconds * 1000L);
    windows.add(new Window("steady state (1.0.0)", begin, NotificationLoad.micros()));
    windows.add(change("update, drain (1.0.0 -> 2.0.0)", Math.min(1, last), HttpMethod.PUT, "?mode=drain", 2,
        phaseSeconds));
    long steady = NotificationLoad.micros();
    Thread.sleep(phaseSeconds * 1000L);
    windows.add(new Window("steady state (2.0.0)", steady, NotificationLoad.micros()));
    windows.add(change("update, takeover (2.0.0 -> 3.0.0)", last, HttpMethod.PUT, "?mode=takeover", 3, phaseSeconds));
    windows.add(change("rollback, drain (3.0.0 -> 2.0.0)", 0, HttpMethod.POST, "/rollback?mode=drain", 0,
        phaseSeconds));
    return windows;
  }

  private Window change(String name, int member, HttpMethod method, String suffix, int version, int phaseSeconds)
      throws Exception {
    long from = NotificationLoad.micros();
    cluster.admin(member, method, "/admin/bundles/" + BUNDLE + suffix, version == 0 ? null : jar(version));
    long answered = NotificationLoad.micros();
    System.out.printf("%s through member %d: answered in %d ms%n", name, member, (answered - from) / 1000);
    Thread.sleep(Math.max(1000L, phaseSeconds * 250L));
    return new Window(name, from, answered + 1_000_000L);
  }

  /**
   * The recorder's version on each member, as member {@code i}'s {@code GET /admin/bundles} shows them (every
   * version listed, a draining one too); empty when it cannot be read.
   */
  List<String> versionsSeenBy(int i) {
    try {
      return cluster.bundleList(i).stream().map(b -> (JsonObject) b).filter(b -> BUNDLE.equals(b.getString("name")))
          .flatMap(b -> b.getJsonArray("members").stream().map(m -> ((JsonObject) m).getString("version"))).toList();
    } catch (Exception e) {
      return List.of();
    }
  }

  @Override
  public void close() throws Exception {
    try {
      cluster.close();
    } finally {
      try {
        reports.close();
      } finally {
        graph.close();
      }
    }
  }
}
