package dev.switchboard.launcher;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench/cluster.sh}: three members behind HAProxy with live IVR calls. Failover: {@code kill -9} of one member
 * (each in turn), the callers on its calls press a key at once, and the time from the kill to each moved call's next
 * prompt is measured; the member is started again before the next round. Hang: SIGSTOP of one member under the same
 * kind of traffic: the time to each of its calls' next prompt, the time until both others removed it, and whether
 * either removed the other as well (a false eviction); then SIGCONT (the member must stop itself, exit code 3) and the
 * member is started again. Every survivor's lost lease (a false fencing: a healthy member that stopped acting for a
 * moment) is counted. Prints one line per round and the percentiles.
 * Arguments: kills (default 10), SIGSTOP trials (default 20), calls per round (default 9).
 */
public final class ClusterBenchmark {

  private static final String LEASE_LOST = "lost its lease";

  private final EmulatedCalls graph;
  private final LocalCluster cluster;
  private int falseFencings;
  private int lostCalls;

  private ClusterBenchmark(EmulatedCalls graph, LocalCluster cluster) {
    this.graph = graph;
    this.cluster = cluster;
  }

  public static void main(String[] args) throws Exception {
    int kills = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int stops = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int perRound = args.length > 2 ? Integer.parseInt(args[2]) : 9;
    Path dir = Files.createTempDirectory("cluster-bench");
    Vertx vertx = Vertx.vertx();
    int balancerPort = Cli.freePort();
    try (EmulatedCalls graph = EmulatedCalls.start(vertx, "http://127.0.0.1:" + balancerPort + "/callbacks/calling");
        LocalCluster cluster = new LocalCluster(vertx, dir, 3, env(dir, graph), balancerPort)) {
      cluster.startBalancer();
      cluster.start(0, 1, 2);
      for (int i = 0; i < 3; i++) {
        awaitReady(cluster, i);
      }
      ClusterBenchmark bench = new ClusterBenchmark(graph, cluster);
      bench.kills(kills, perRound);
      bench.stops(stops, perRound);
      System.out.printf("false fencings (a survivor lost its lease) over all rounds: %d; new calls that never heard "
          + "their first prompt: %d%n", bench.falseFencings, bench.lostCalls);
    } finally {
      vertx.close();
    }
  }

  /** The members' environment; {@code SWITCHBOARD_CLUSTER_LEASE} of the bench's own is passed on (a lease to try). */
  private static java.util.Map<String, String> env(Path dir, EmulatedCalls graph) throws Exception {
    java.util.Map<String, String> env = ClusterIT.baseEnv(dir, graph);
    String lease = System.getenv("SWITCHBOARD_CLUSTER_LEASE");
    if (lease != null) {
      env.put("SWITCHBOARD_CLUSTER_LEASE", lease);
      System.out.printf("cluster.lease: %s%n", lease);
    }
    return env;
  }

  private void kills(int kills, int perRound) throws Exception {
    List<Long> first = new ArrayList<>();
    List<Long> every = new ArrayList<>();
    for (int round = 0; round < kills; round++) {
      int victim = round % 3;
      List<String> calls = dial(perRound);
      List<String> moved = new ArrayList<>(cluster.liveCalls(victim));
      List<Integer> perMember = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        perMember.add(cluster.liveCalls(i).size());
      }
      System.out.printf("kill %d: calls per member %s%n", round + 1, perMember);
      long[] leaseLost = leaseLosses();
      long killedAt = System.nanoTime();
      cluster.signal(victim, "KILL");
      List<Long> times = nextPromptTimes(moved, killedAt, () -> true, () -> true);
      countFalseFencings(leaseLost, victim);
      every.addAll(times);
      if (!times.isEmpty()) {
        first.add(times.get(0));
      }
      System.out.printf("kill %d: member %d owned %d of %d calls; moved call's next prompt after %s ms; %d never%n",
          round + 1, victim, moved.size(), calls.size(), times, moved.size() - times.size());
      hangUp(calls);
      cluster.start(victim);
      awaitReady(cluster, victim);
    }
    if (kills > 0) {
      System.out.printf("failover (kill -9 -> moved call's next prompt): first p50 %d ms p99 %d ms; every moved call "
          + "p50 %d ms p99 %d ms (%d calls, %d kills)%n", pct(first, 50), pct(first, 99), pct(every, 50),
          pct(every, 99), every.size(), kills);
    }
  }

  private void stops(int stops, int perRound) throws Exception {
    List<Long> detections = new ArrayList<>();
    List<Long> first = new ArrayList<>();
    List<Long> every = new ArrayList<>();
    int falseEvictions = 0;
    int stoppedThemselves = 0;
    for (int trial = 0; trial < stops; trial++) {
      int victim = trial % 3;
      List<Integer> survivors = new ArrayList<>(List.of(0, 1, 2));
      survivors.remove(Integer.valueOf(victim));
      List<String> calls = dial(perRound);
      List<String> moved = new ArrayList<>(cluster.liveCalls(victim));
      String left = "Cluster member " + cluster.memberId(victim) + " left";
      long[] before = new long[3];
      for (int s : survivors) {
        before[s] = count(cluster.log(s), left);
      }
      long[] leaseLost = leaseLosses();
      long stoppedAt = System.nanoTime();
      long[] detected = {-1};
      cluster.signal(victim, "STOP");
      // The moved calls' next prompts, and (polled alongside) when both survivors logged the frozen member's removal.
      // The keys are pressed once HAProxy's health check (every 300 ms, down after 2 failed or 2 s slow checks) has
      // taken the member out: a callback it had already sent there waits in the frozen process's socket until the
      // emulator gives up (10 s), and the emulator, unlike Graph, does not send it again.
      List<Long> times = nextPromptTimes(moved, stoppedAt, () -> !cluster.balancerSeesUp(victim), () -> {
        if (detected[0] < 0 && survivors.stream().allMatch(s -> count(log(s), left) > before[s])) {
          detected[0] = (System.nanoTime() - stoppedAt) / 1_000_000;
        }
        return detected[0] >= 0;
      });
      ClusterIT.awaitTrue("both survivors removed the frozen member", () -> survivors.stream()
          .allMatch(s -> count(log(s), left) > before[s]), Duration.ofSeconds(60));
      if (detected[0] < 0) {
        detected[0] = (System.nanoTime() - stoppedAt) / 1_000_000;
      }
      countFalseFencings(leaseLost, victim);
      boolean evicted = cluster.logged(survivors.get(0), "Cluster member " + cluster.memberId(survivors.get(1))
          + " left") || cluster.logged(survivors.get(1), "Cluster member " + cluster.memberId(survivors.get(0))
          + " left");
      falseEvictions += evicted ? 1 : 0;
      detections.add(detected[0]);
      every.addAll(times);
      if (!times.isEmpty()) {
        first.add(times.get(0));
      }
      cluster.signal(victim, "CONT");
      boolean stopped = cluster.slots.get(victim).server.process.waitFor(15, TimeUnit.SECONDS);
      boolean fenced = stopped && cluster.slots.get(victim).server.process.exitValue() == 3;
      stoppedThemselves += fenced ? 1 : 0;
      System.out.printf("SIGSTOP %d: member %d owned %d of %d calls; moved call's next prompt after %s ms (%d never); "
          + "removed by both others after %d ms; false eviction: %s; resumed member stopped itself (exit 3): %s%n",
          trial + 1, victim, moved.size(), calls.size(), times, moved.size() - times.size(), detected[0], evicted,
          fenced);
      if (!stopped) {
        cluster.signal(victim, "KILL"); // it did not stop itself (docs/cluster.md, "Known limits")
        cluster.slots.get(victim).server.process.waitFor();
      }
      if (evicted) {
        for (int i = 0; i < 3; i++) {
          cluster.slots.get(i).server.process.destroyForcibly().waitFor();
        }
        cluster.start(0, 1, 2);
        for (int i = 0; i < 3; i++) {
          awaitReady(cluster, i);
        }
      } else {
        try {
          hangUp(calls);
        } catch (AssertionError e) {
          // What the members and the balancer said, for the next engineer (their folders go with the run).
          for (int i = 0; i < 3; i++) {
            String log = cluster.log(i);
            System.out.printf("--- member %d, last 60 lines of its log:%n%s%n", i,
                String.join("\n", log.lines().skip(Math.max(0, log.lines().count() - 60)).toList()));
          }
          throw e;
        }
        cluster.start(victim);
        awaitReady(cluster, victim);
      }
    }
    if (stops > 0) {
      System.out.printf("SIGSTOP -> moved call's next prompt: first p50 %d ms p99 %d ms; every moved call p50 %d ms "
          + "p99 %d ms (%d calls); removal by both others p50 %d ms p99 %d ms over %d trials; false evictions %d; "
          + "resumed member stopped itself %d of %d%n", pct(first, 50), pct(first, 99), pct(every, 50),
          pct(every, 99), every.size(), pct(detections, 50), pct(detections, 99), detections.size(), falseEvictions,
          stoppedThemselves, stops);
    }
  }

  /** Dials {@code count} calls through the balancer and waits until each heard its first prompt. */
  private List<String> dial(int count) throws Exception {
    List<String> calls = new ArrayList<>(graph.dial(count));
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline && !calls.stream().allMatch(id -> graph.prompts(id) >= 1)) {
      Thread.sleep(100);
    }
    List<String> silent = calls.stream().filter(id -> graph.prompts(id) < 1).toList();
    if (!silent.isEmpty()) {
      // Counted and left out, so that one lost callback does not end the run; the report line says how many.
      lostCalls += silent.size();
      System.out.printf("  %d of %d new calls never heard their first prompt (lost work), e.g. %s%n", silent.size(),
          count, silent.get(0));
      calls.removeAll(silent);
    }
    return calls;
  }

  /**
   * The callers of {@code moved} press 1 as soon as {@code pressWhen} holds; the ms from {@code since} to each one's
   * next prompt, sorted, as they come (at most 60 s), while {@code alsoDone} is polled until it holds too.
   */
  private List<Long> nextPromptTimes(List<String> moved, long since, java.util.function.BooleanSupplier pressWhen,
      java.util.function.BooleanSupplier alsoDone) throws Exception {
    boolean pressed = false;
    List<Long> times = new ArrayList<>();
    List<String> waiting = new ArrayList<>(moved);
    boolean other = false;
    while ((!waiting.isEmpty() || !other) && System.nanoTime() - since < Duration.ofSeconds(60).toNanos()) {
      if (!pressed && pressWhen.getAsBoolean()) {
        pressed = true;
        for (String id : moved) {
          press(id, "1", waiting);
        }
      }
      waiting.removeIf(id -> {
        boolean done = graph.prompts(id) >= 2;
        if (done) {
          times.add((System.nanoTime() - since) / 1_000_000);
        }
        return done;
      });
      other = alsoDone.getAsBoolean();
      Thread.sleep(20);
    }
    Collections.sort(times);
    return times;
  }

  private long[] leaseLosses() {
    long[] counts = new long[cluster.slots.size()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = count(log(i), LEASE_LOST);
    }
    return counts;
  }

  /** A member other than the victim that lost its lease during the round was fenced needlessly. */
  private void countFalseFencings(long[] before, int victim) {
    long[] after = leaseLosses();
    for (int i = 0; i < after.length; i++) {
      if (i != victim && after[i] > before[i]) {
        falseFencings += (int) (after[i] - before[i]);
        System.out.printf("  member %d lost its lease %d time(s) this round%n", i, after[i] - before[i]);
      }
    }
  }

  private void hangUp(List<String> calls) throws Exception {
    List<String> live = new ArrayList<>(calls);
    for (String id : calls) {
      press(id, "2", live);
    }
    graph.awaitAll(live, "hung up", graph::terminated, Duration.ofSeconds(120));
  }

  /**
   * Presses {@code digit} on call {@code id}; a call that has ended (the emulator ends a call whose bot never
   * answered, e.g. when its first callback was lost in a kill) is reported and dropped from {@code still}.
   */
  private void press(String id, String digit, List<String> still) {
    try {
      graph.press(id, digit);
    } catch (Throwable e) {
      still.remove(id);
      System.out.printf("  call %s could not take tone %s (%s)%n", id, digit, e.getMessage().lines().findFirst()
          .orElse(""));
    }
  }

  private String log(int i) {
    try {
      return cluster.log(i);
    } catch (Exception e) {
      return "";
    }
  }

  private static void awaitReady(LocalCluster cluster, int i) throws InterruptedException {
    ClusterIT.awaitTrue("member " + i + " ready and seen so by HAProxy", () -> cluster.routable(i),
        Duration.ofSeconds(90));
  }

  private static long count(String text, String needle) {
    long n = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      n++;
    }
    return n;
  }

  private static long pct(List<Long> values, int p) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
