package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.platform.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real cluster: three (then four) {@code switchboard run} processes on the loopback interface, each with its own
 * data folder, joined over Hazelcast, behind a real HAProxy to which the emulator (Graph) sends every callback. Live
 * IVR calls go on, in order and exactly once, while members are killed ({@code kill -9}), frozen (SIGSTOP), stopped
 * with SIGTERM, or join later. A tone delivered twice, lost or out of order would send a flow down another branch
 * (a second "1" in the second menu hangs up early, a lost one leaves it waiting), so every call hearing One, Two and
 * Bye exactly once, in order, is the check.
 */
class ClusterIT {

  static final String TOKEN = "cluster-test-token-0123456789";

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private EmulatedCalls graph;
  private LocalCluster cluster;

  @BeforeEach
  void needs() {
    assumeTrue(LocalCluster.haproxyInstalled(), "HAProxy is not installed (.ci/run installs Debian's haproxy); the "
        + "cluster tests need it as the load balancer and are skipped");
    assumeTrue(onPath("espeak-ng"), "the flow's prompts are text (say:), which needs espeak-ng; .ci/run installs it");
  }

  @AfterEach
  void close() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (graph != null) {
      graph.close();
    }
    EmulatedCalls.await(vertx.close());
  }

  @Test
  void callsGoOnWhenMembersDieLeaveAndJoin() throws Exception {
    startCluster(4, 3);
    cluster.seededSlots = 3;
    JsonObject view = cluster.clusterView(0);
    assertEquals(3, view.getJsonArray("members").size(), view.encodePrettily());

    // 30 calls arrive through HAProxy, round robin: each member takes the calls whose first callback it got.
    List<String> calls = graph.dial(30);
    graph.awaitAll(calls, "heard the first prompt", id -> graph.prompts(id) >= 1, Duration.ofSeconds(90));
    Map<Integer, Set<String>> owned = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      owned.put(i, cluster.liveCalls(i));
    }
    for (int i = 0; i < 3; i++) {
      assertFalse(owned.get(i).isEmpty(), "member " + i + " owns some of the calls: " + owned);
      for (int j = i + 1; j < 3; j++) {
        Set<String> both = new HashSet<>(owned.get(i));
        both.retainAll(owned.get(j));
        assertTrue(both.isEmpty(), "no call is owned by two members: " + both);
      }
    }

    // kill -9 of member 1 while the callers press 1: every call moves on to the second menu, the moved ones too.
    long killedAt = System.nanoTime();
    cluster.signal(1, "KILL");
    for (String id : calls) {
      graph.press(id, "1");
    }
    List<String> moved = new ArrayList<>(owned.get(1));
    graph.awaitAll(moved.subList(0, 1), "of the killed member reached the second menu", id -> graph.prompts(id) >= 2,
        Duration.ofSeconds(60));
    System.out.printf("ClusterIT: kill -9 -> first moved call handled its tone in %d ms%n",
        (System.nanoTime() - killedAt) / 1_000_000);
    graph.awaitAll(calls, "moved to the second menu", id -> graph.prompts(id) >= 2, Duration.ofSeconds(90));
    for (String id : calls) {
      assertEquals(2, graph.prompts(id), "call " + id + " is in the second menu, having heard One and Two once each");
    }

    // A member started later, with an empty deploy folder, joins, gets the cluster's bundles and takes new calls.
    cluster.start(3);
    awaitTrue("member 3 ready and seen so by HAProxy", () -> cluster.routable(3), Duration.ofSeconds(60));
    List<String> later = graph.dial(12);
    graph.awaitAll(later, "heard the first prompt", id -> graph.prompts(id) >= 1, Duration.ofSeconds(90));
    assertFalse(cluster.liveCalls(3).isEmpty(), "the member that joined later took some of the new calls");

    // A bundle change on one member's admin API is made on every member.
    List<Integer> running = List.of(0, 2, 3);
    cluster.admin(2, HttpMethod.POST, "/admin/bundles", Buffer.buffer(Files.readAllBytes(Cli.testBundle("hello-v1"))));
    assertHelloEverywhere(running, "1.0.0");
    cluster.admin(3, HttpMethod.PUT, "/admin/bundles/hello?mode=drain",
        Buffer.buffer(Files.readAllBytes(Cli.testBundle("hello-v2"))));
    assertHelloEverywhere(running, "2.0.0");
    cluster.admin(0, HttpMethod.POST, "/admin/bundles/hello/rollback?mode=takeover", null);
    assertHelloEverywhere(running, "1.0.0");
    cluster.admin(2, HttpMethod.DELETE, "/admin/bundles/hello", null);
    for (int i : running) {
      assertFalse(bundles(i).contains("dev.switchboard.test.hello"), "hello is gone from member " + i);
    }

    // SIGTERM of member 0: it leaves gracefully, announcing it, and its keys move at once (no failure detection).
    assertFalse(cluster.liveCalls(0).isEmpty(), "member 0 owns calls when it is stopped");
    cluster.signal(0, "TERM");
    assertTrue(cluster.slots.get(0).server.process.waitFor(60, TimeUnit.SECONDS), "member 0 stopped on SIGTERM");
    awaitTrue("the others heard member 0 announce its leaving",
        () -> cluster.logged(2, "is leaving; its keys move now"), Duration.ofSeconds(30));

    for (String id : calls) {
      graph.press(id, "2");
    }
    for (String id : later) {
      graph.press(id, "1");
    }
    graph.awaitAll(later, "moved to the second menu", id -> graph.prompts(id) >= 2, Duration.ofSeconds(90));
    for (String id : later) {
      graph.press(id, "2");
    }
    List<String> all = new ArrayList<>(calls);
    all.addAll(later);
    assertEveryCallHeardOneTwoByeOnce(all);
    for (int i : List.of(2, 3)) {
      assertFalse(cluster.logged(i, "Exception in thread"), cluster.log(i));
    }
  }

  @Test
  void aHungMemberIsFencedItsCallsMoveAndItStopsInsteadOfActingTwice() throws Exception {
    startCluster(3, 3);
    List<String> calls = dialUntilMember1OwnsSome();

    // SIGSTOP: what a dead host or a long pause looks like. The others notice by heartbeat only.
    long stoppedAt = System.nanoTime();
    cluster.signal(1, "STOP");
    awaitTrue("the others removed the frozen member", () -> cluster.logged(0, "left (2 members)")
        && cluster.logged(2, "left (2 members)"), Duration.ofSeconds(60));
    System.out.printf("ClusterIT: SIGSTOP -> member removed in %d ms%n", (System.nanoTime() - stoppedAt) / 1_000_000);
    for (String id : calls) {
      graph.press(id, "1");
    }
    graph.awaitAll(calls, "moved to the second menu while member 1 was frozen", id -> graph.prompts(id) >= 2,
        Duration.ofSeconds(90));

    // Resumed, its lease lapsed long ago: it must not act on the calls that moved. It should stop itself (exit code
    // 3); that is reported, not asserted (docs/cluster.md, "Known limits"): a supervisor restarts it in any case.
    cluster.signal(1, "CONT");
    boolean stoppedItself = cluster.slots.get(1).server.process.waitFor(20, TimeUnit.SECONDS);
    System.out.printf("ClusterIT: the resumed member stopped itself: %s%n", stoppedItself);
    assertFalse(cluster.logged(0, "Cluster member " + cluster.memberId(2) + " left"), "no survivor was evicted");
    assertFalse(cluster.logged(2, "Cluster member " + cluster.memberId(0) + " left"), "no survivor was evicted");
    for (String id : calls) {
      assertEquals(2, graph.prompts(id), "call " + id + " heard One and Two once each: nobody acted twice on its tone");
    }
    if (!stoppedItself) {
      cluster.signal(1, "KILL");
      assertTrue(cluster.slots.get(1).server.process.waitFor(20, TimeUnit.SECONDS));
    }
    cluster.start(1);
    awaitTrue("member 1 back as a new member", () -> cluster.ready(1), Duration.ofSeconds(60));
    for (String id : calls) {
      assertEquals(2, graph.prompts(id), "call " + id + " heard One and Two once each: nobody acted twice on its tone");
      graph.press(id, "2");
    }
    assertEveryCallHeardOneTwoByeOnce(calls);
  }

  /**
   * A stall shorter than failure detection (a long GC, a starved CPU): member 1 is frozen just after its callers pressed
   * a key, for longer than its lease (2 s) but well under the time the others take to remove it. Its lease lapses, so
   * on waking it acts on nothing until confirmed again; then each of its calls whose claim is still its own goes on
   * here with what it held (docs/cluster.md, "Fencing"). Every call must hear One, Two and Bye exactly once, in order.
   */
  @Test
  void aStallShorterThanDetectionHoldsTheMembersWorkAndLosesNothing() throws Exception {
    startCluster(3, 3);
    List<String> calls = dialUntilMember1OwnsSome();
    List<String> held = List.copyOf(cluster.liveCalls(1));

    for (String id : held) {
      graph.press(id, "1");
    }
    cluster.signal(1, "STOP");
    Thread.sleep(3_000); // the stall itself: longer than the lease, shorter than failure detection
    cluster.signal(1, "CONT");
    awaitTrue("member 1 confirmed again, its held calls checked", () -> cluster.logged(1, "is confirmed again"),
        Duration.ofSeconds(60));
    assertTrue(cluster.logged(1, "lost its lease"), cluster.log(1));
    assertTrue(cluster.slots.get(1).server.process.isAlive(), "a member stalled under failure detection stays");
    graph.awaitAll(held, "moved to the second menu after the stall", id -> graph.prompts(id) >= 2,
        Duration.ofSeconds(90));
    for (String id : calls) {
      graph.press(id, held.contains(id) ? "2" : "1");
    }
    graph.awaitAll(calls, "moved to the second menu", id -> graph.prompts(id) >= 2, Duration.ofSeconds(90));
    for (String id : calls) {
      if (!held.contains(id)) {
        graph.press(id, "2");
      }
    }
    assertEveryCallHeardOneTwoByeOnce(calls);
    for (int i = 0; i < 3; i++) {
      assertFalse(cluster.logged(i, "left (2 members)"), "nobody was removed by a stall under detection: "
          + cluster.log(i));
    }
  }

  /**
   * Dials 15 calls, and more until member 1 owns some: HAProxy spreads calls over the members its health checks have
   * seen up, and on a slow machine its first checks of member 1 may come after the first calls.
   */
  private List<String> dialUntilMember1OwnsSome() throws Exception {
    List<String> calls = graph.dial(15);
    graph.awaitAll(calls, "heard the first prompt", id -> graph.prompts(id) >= 1, Duration.ofSeconds(90));
    for (int round = 0; round < 3 && cluster.liveCalls(1).isEmpty(); round++) {
      List<String> more = graph.dial(15);
      graph.awaitAll(more, "heard the first prompt", id -> graph.prompts(id) >= 1, Duration.ofSeconds(90));
      calls.addAll(more);
    }
    assertFalse(cluster.liveCalls(1).isEmpty(), "member 1 owns some calls");
    return calls;
  }

  /** Each member runs hello {@code version}, and its {@code GET /admin/bundles} shows the same on every member. */
  private void assertHelloEverywhere(List<Integer> members, String version) throws Exception {
    for (int i : members) {
      JsonObject hello = cluster.bundleList(i).stream().map(b -> (JsonObject) b)
          .filter(b -> "dev.switchboard.test.hello".equals(b.getString("name"))).findFirst().orElseThrow();
      assertEquals(version, hello.getString("version"), "hello on member " + i);
      assertEquals(members.size(), hello.getJsonArray("members").size(), hello.encode());
      hello.getJsonArray("members").forEach(m -> assertEquals(version, ((JsonObject) m).getString("version"),
          "member " + i + " shows hello " + version + " on every member: " + hello.encode()));
    }
  }

  private String bundles(int member) throws Exception {
    return cluster.bundleList(member).encode();
  }

  private void assertEveryCallHeardOneTwoByeOnce(List<String> calls) throws Exception {
    graph.awaitAll(calls, "hung up by its flow", graph::terminated, Duration.ofSeconds(90));
    List<String> expected = graph.promptUris(calls.get(0));
    assertEquals(3, Set.copyOf(expected).size(), "One, Two and Bye are three prompt files: " + expected);
    for (String id : calls) {
      assertEquals(expected, graph.promptUris(id), "call " + id + " heard One, Two and Bye, each once and in order");
    }
  }

  /** Emulator, HAProxy in front of {@code slots} member slots, the first {@code started} of them running. */
  private void startCluster(int slots, int started) throws Exception {
    int balancerPort = Cli.freePort();
    graph = EmulatedCalls.start(vertx, "http://127.0.0.1:" + balancerPort + "/callbacks/calling");
    cluster = new LocalCluster(vertx, dir, slots, baseEnv(dir, graph), balancerPort);
    cluster.startBalancer();
    int[] members = IntStream.range(0, started).toArray();
    cluster.start(members);
    for (int i : members) {
      awaitTrue("member " + i + " ready (in the cluster, holding its lease) and seen so by HAProxy",
          () -> cluster.routable(i),
          Duration.ofSeconds(60));
    }
  }

  /**
   * A server's environment (every member's, in a cluster): Graph is the emulator, the calling, media and ivr bundles
   * in {@code dir/deploy}, the two-menu flow, the admin token.
   */
  static Map<String, String> baseEnv(Path dir, EmulatedCalls graph) throws Exception {
    Path deploy = Files.createDirectories(dir.resolve("deploy"));
    Path dist = Path.of(System.getProperty("switchboard.dist", "target/switchboard"));
    for (String bundle : List.of("calling", "media", "ivr")) {
      Files.copy(dist.resolve("deploy").resolve(bundle + ".jar"), deploy.resolve(bundle + ".jar"));
    }
    Path flows = Files.createDirectories(dir.resolve("flows"));
    Files.writeString(flows.resolve("cluster.yaml"), EmulatedCalls.FLOW);
    Map<String, String> env = new HashMap<>(ConfigLoader.environmentOf("graph", graph.emulator.graphConfig()));
    env.put("SWITCHBOARD_ADMIN_TOKEN", TOKEN);
    env.put("SWITCHBOARD_DEPLOY_DIR", deploy.toString());
    env.put("SWITCHBOARD_PLUGINS_IVR_FLOWS_DIR", flows.toString());
    return env;
  }

  static void awaitTrue(String what, BooleanSupplier done, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (done.getAsBoolean()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("never " + what + " within " + timeout.toSeconds() + " s");
  }

  static boolean onPath(String command) {
    String path = System.getenv("PATH");
    return path != null && List.of(path.split(java.io.File.pathSeparator)).stream()
        .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
  }
}
