package dev.switchboard.launcher;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code bench/cluster.sh}: three members behind HAProxy with live IVR calls. Failover: {@code kill -9} of one member
 * (each in turn), the callers on its calls press a key at once, and the time from the kill to each moved call's next
 * prompt is measured; the member is started again before the next round. Hang: SIGSTOP of one member, the time until
 * both others removed it, and whether either removed the other as well (a false eviction); then SIGCONT (the member
 * must stop itself, exit code 3) and the member is started again. Prints one line per round and the percentiles.
 * Arguments: kills (default 10), SIGSTOP trials (default 20), calls per round (default 9).
 */
public final class ClusterBenchmark {

  private ClusterBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int kills = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int stops = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int perRound = args.length > 2 ? Integer.parseInt(args[2]) : 9;
    Path dir = Files.createTempDirectory("cluster-bench");
    Vertx vertx = Vertx.vertx();
    int balancerPort = Cli.freePort();
    try (EmulatedCalls graph = EmulatedCalls.start(vertx, "http://127.0.0.1:" + balancerPort + "/callbacks/calling");
        LocalCluster cluster = new LocalCluster(vertx, dir, 3, ClusterIT.baseEnv(dir, graph), balancerPort)) {
      cluster.startBalancer();
      cluster.start(0, 1, 2);
      for (int i = 0; i < 3; i++) {
        awaitReady(cluster, i);
      }
      List<Long> first = new ArrayList<>();
      List<Long> every = new ArrayList<>();
      for (int round = 0; round < kills; round++) {
        int victim = round % 3;
        List<String> calls = graph.dial(perRound);
        graph.awaitAll(calls, "heard the first prompt", id -> graph.prompts(id) >= 1, Duration.ofSeconds(90));
        List<String> moved = new ArrayList<>(cluster.liveCalls(victim));
        long killedAt = System.nanoTime();
        cluster.signal(victim, "KILL");
        for (String id : moved) {
          graph.press(id, "1");
        }
        List<Long> times = new ArrayList<>();
        List<String> waiting = new ArrayList<>(moved);
        while (!waiting.isEmpty() && System.nanoTime() - killedAt < Duration.ofSeconds(60).toNanos()) {
          waiting.removeIf(id -> {
            boolean done = graph.prompts(id) >= 2;
            if (done) {
              times.add((System.nanoTime() - killedAt) / 1_000_000);
            }
            return done;
          });
          Thread.sleep(20);
        }
        Collections.sort(times);
        every.addAll(times);
        if (!times.isEmpty()) {
          first.add(times.get(0));
        }
        System.out.printf("kill %d: member %d owned %d calls; moved call's next prompt after %s ms; %d never%n",
            round + 1, victim, moved.size(), times, waiting.size());
        hangUp(graph, calls);
        cluster.start(victim);
        awaitReady(cluster, victim);
      }
      System.out.printf("failover (kill -9 -> moved call's next prompt): first p50 %d ms p99 %d ms; every moved call "
          + "p50 %d ms p99 %d ms (%d calls, %d kills)%n", pct(first, 50), pct(first, 99), pct(every, 50),
          pct(every, 99), every.size(), kills);

      List<Long> detections = new ArrayList<>();
      int falseEvictions = 0;
      int stoppedThemselves = 0;
      for (int trial = 0; trial < stops; trial++) {
        int victim = trial % 3;
        List<Integer> survivors = new ArrayList<>(List.of(0, 1, 2));
        survivors.remove(Integer.valueOf(victim));
        String victimId = cluster.memberId(victim);
        long[] before = new long[3];
        for (int s : survivors) {
          before[s] = count(cluster.log(s), "Cluster member " + victimId + " left");
        }
        long stoppedAt = System.nanoTime();
        cluster.signal(victim, "STOP");
        long detected = -1;
        while (System.nanoTime() - stoppedAt < Duration.ofSeconds(60).toNanos()) {
          boolean all = true;
          for (int s : survivors) {
            all &= count(cluster.log(s), "Cluster member " + victimId + " left") > before[s];
          }
          if (all) {
            detected = (System.nanoTime() - stoppedAt) / 1_000_000;
            break;
          }
          Thread.sleep(20);
        }
        boolean evicted = cluster.logged(survivors.get(0), "Cluster member " + cluster.memberId(survivors.get(1))
            + " left") || cluster.logged(survivors.get(1), "Cluster member " + cluster.memberId(survivors.get(0))
            + " left");
        falseEvictions += evicted ? 1 : 0;
        if (detected >= 0) {
          detections.add(detected);
        }
        cluster.signal(victim, "CONT");
        boolean stopped = cluster.slots.get(victim).server.process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS);
        boolean fenced = stopped && cluster.slots.get(victim).server.process.exitValue() == 3;
        stoppedThemselves += fenced ? 1 : 0;
        System.out.printf("SIGSTOP %d: member %d removed by both others after %d ms; false eviction: %s; resumed "
            + "member stopped itself (exit 3): %s%n", trial + 1, victim, detected, evicted, fenced);
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
          cluster.start(victim);
          awaitReady(cluster, victim);
        }
      }
      System.out.printf("SIGSTOP detection: p50 %d ms p99 %d ms over %d trials; false evictions %d; resumed member "
          + "stopped itself %d of %d%n", pct(detections, 50), pct(detections, 99), detections.size(), falseEvictions,
          stoppedThemselves, stops);
    } finally {
      vertx.close();
    }
  }

  private static void hangUp(EmulatedCalls graph, List<String> calls) throws Exception {
    for (String id : calls) {
      graph.press(id, "2");
    }
    graph.awaitAll(calls, "hung up", graph::terminated, Duration.ofSeconds(90));
  }

  private static void awaitReady(LocalCluster cluster, int i) throws InterruptedException {
    ClusterIT.awaitTrue("member " + i + " ready", () -> cluster.ready(i), Duration.ofSeconds(90));
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
