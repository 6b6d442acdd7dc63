package dev.switchboard.launcher;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Benchmark (not a test), run by {@code bench/cluster-rolling.sh}: keyed notifications through HAProxy (signed as
 * Graph signs them, each call's next one sent once the previous was answered) to real members running the sequence
 * recorder, or with {@code BENCH_SOURCE=commands} keyed commands that the members' sequence senders send to it
 * ({@link CommandLoad}: each key opened by the next member, the next command once the previous was handled). (1) A rolling update across three members at a steady rate: steady state, an update with drain, steady
 * state, an update with takeover, a rollback with drain; per window p50/p99/max from send to handled, and over the
 * run the lost, duplicated and reordered notifications. (2) Throughput on three members, then on one, in the same
 * run: as fast as the answers come (128 calls at once) and paced at the rate. Arguments: [rate per second, default
 * 2000] [seconds per phase, default 4] [seconds per throughput run, default 10].
 */
public final class ClusterRollingBenchmark {

  private static final int MESSAGES = 10;
  private static final int FAST_CALLS = 128;

  /** What the keyed traffic is. */
  private enum Source {
    NOTIFICATIONS("notifications through HAProxy"), COMMANDS("commands sent by the members (sendToKey)");

    final String what;

    Source(String what) {
      this.what = what;
    }

    KeyedLoad load(Vertx vertx, RollingCluster cluster, String name, int chains, int rate) {
      return this == NOTIFICATIONS ? cluster.load(vertx, name, MESSAGES, chains, rate)
          : cluster.commands(vertx, name, MESSAGES, chains, rate);
    }
  }

  /** One throughput run's outcome. */
  private record Rate(double perSecond, double p50, double p99, DeliveryReports.Tally tally) {
  }

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int phaseSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int runSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    Source source = Source.valueOf(System.getenv().getOrDefault("BENCH_SOURCE", "notifications").toUpperCase());
    Vertx vertx = Vertx.vertx();
    Path home = Files.createTempDirectory("cluster-rolling-bench");
    boolean clean;
    Rate threeFast;
    Rate threePaced;
    try (RollingCluster three = RollingCluster.start(vertx, home.resolve("three"), 3)) {
      clean = rollingUpdate(vertx, three, source, rate, phaseSeconds);
      threeFast = throughput(vertx, three, source, "three-fast", 0, runSeconds);
      threePaced = throughput(vertx, three, source, "three-paced", rate, runSeconds);
    }
    Rate oneFast;
    Rate onePaced;
    try (RollingCluster one = RollingCluster.start(vertx, home.resolve("one"), 1)) {
      oneFast = throughput(vertx, one, source, "one-fast", 0, runSeconds);
      onePaced = throughput(vertx, one, source, "one-paced", rate, runSeconds);
    }
    System.out.printf("%nkeyed %s, %d s per run (load average %s)%n", source.what, runSeconds, load());
    System.out.printf("%-44s %12s %9s %9s%n", "run", "handled/s", "p50 ms", "p99 ms");
    print("one member, as fast as possible (128 calls)", oneFast);
    print("three members, as fast as possible (128 calls)", threeFast);
    print("one member, paced at " + rate + "/s", onePaced);
    print("three members, paced at " + rate + "/s", threePaced);
    System.out.printf("three/one: throughput %.2f, paced p99 %.2f%n", threeFast.perSecond() / oneFast.perSecond(),
        threePaced.p99() / onePaced.p99());
    for (Rate r : List.of(oneFast, threeFast, onePaced, threePaced)) {
      clean &= r.tally().exactlyOnceInOrder();
    }
    EmulatedCalls.await(vertx.close());
    System.exit(clean ? 0 : 1);
  }

  /** The rolling update under {@code rate} messages/s; whether nothing was lost, repeated or reordered. */
  private static boolean rollingUpdate(Vertx vertx, RollingCluster cluster, Source source, int rate, int phaseSeconds)
      throws Exception {
    KeyedLoad load = source.load(vertx, cluster, "rolling", calls(rate), rate).start();
    List<RollingCluster.Window> windows;
    try {
      Thread.sleep(2000); // warm-up, not counted
      windows = cluster.rollingUpdate(phaseSeconds);
    } finally {
      EmulatedCalls.await(load.stop());
    }
    List<NotificationLoad.Sent> sent = load.sent();
    cluster.reports.awaitReported(sent, Duration.ofSeconds(60));
    DeliveryReports.Tally tally = cluster.reports.tally(sent, 0, Long.MAX_VALUE);
    System.out.printf("%nrolling update across 3 members at %d keyed %s/s, %d keys live (load average %s)%n", rate,
        source.name().toLowerCase(), calls(rate), load());
    System.out.printf("%-36s %9s %9s %9s %9s %9s%n", "window", "handled", "per s", "p50 ms", "p99 ms", "max ms");
    for (RollingCluster.Window w : windows) {
      double[] latencies = cluster.reports.latencies(sent, w.from(), w.to());
      System.out.printf("%-36s %9d %9.0f %9.2f %9.2f %9.2f%n", w.name(), latencies.length,
          latencies.length * 1e6 / (w.to() - w.from()), DeliveryReports.percentile(latencies, 50), DeliveryReports.percentile(latencies, 99),
          DeliveryReports.percentile(latencies, 100));
    }
    System.out.printf("whole run: %s; %d sent again after a failure%s%n", tally.counts(), load.retries(),
        load instanceof CommandLoad commands ? " " + commands.failures() : "");
    for (String key : tally.anomalous().stream().limit(10).toList()) {
      System.out.println(cluster.reports.story(key, sent));
    }
    return tally.exactlyOnceInOrder() && tally.keysAcrossMembers() == 0;
  }

  /** Messages for {@code seconds} after 3 s of warm-up, paced at {@code rate} (0: as fast as answered). */
  private static Rate throughput(Vertx vertx, RollingCluster cluster, Source source, String name, int rate,
      int seconds) throws Exception {
    KeyedLoad load = source.load(vertx, cluster, name, rate == 0 ? FAST_CALLS : calls(rate), rate).start();
    long from;
    long to;
    try {
      Thread.sleep(3000);
      from = NotificationLoad.micros();
      Thread.sleep(seconds * 1000L);
      to = NotificationLoad.micros();
    } finally {
      EmulatedCalls.await(load.stop());
    }
    List<NotificationLoad.Sent> sent = load.sent();
    cluster.reports.awaitReported(sent, Duration.ofSeconds(60));
    double[] latencies = cluster.reports.latencies(sent, from, to);
    DeliveryReports.Tally tally = cluster.reports.tally(sent, 0, Long.MAX_VALUE);
    System.out.printf("%s: %s; %d sent again (load average %s)%n", name, tally.counts(), load.retries(), load());
    return new Rate(latencies.length * 1e6 / (to - from), DeliveryReports.percentile(latencies, 50),
        DeliveryReports.percentile(latencies, 99), tally);
  }

  /**
   * Calls (keys) live at once for a paced rate: {@code BENCH_KEYS} if set, else a message of each every 100 ms (if
   * answered by then).
   */
  private static int calls(int rate) {
    String keys = System.getenv("BENCH_KEYS");
    return keys != null ? Integer.parseInt(keys) : Math.max(20, rate / 10);
  }

  private static void print(String name, Rate r) {
    System.out.printf("%-44s %12.0f %9.2f %9.2f%s%n", name, r.perSecond(), r.p50(), r.p99(),
        r.tally().exactlyOnceInOrder() ? "" : "  NOT exactly once in order: " + r.tally().counts());
  }

  private static String load() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private ClusterRollingBenchmark() {
  }
}
