package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling update across three real members behind HAProxy under keyed traffic that enters as Graph's does (signed
 * notifications to the calling callback, each call's next one sent once the previous was answered): the recorder is
 * updated with drain through one member's admin API, then with takeover through another's, then rolled back through a
 * third's, while calls come and go. Every notification accepted is handled exactly once, in order per call, and the
 * state-store count of each call carries across versions. Then one member is stopped with SIGTERM under the same
 * traffic: its calls go on on the others, with the notifications queued for them handed over, still exactly once and in
 * order. The long form at 2,000/s is {@code bench/cluster-rolling.sh}.
 */
class ClusterRollingIT {

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();

  @BeforeEach
  void needsHaproxy() {
    assumeTrue(LocalCluster.haproxyInstalled(), "HAProxy is not installed (.ci/run installs Debian's haproxy); the "
        + "cluster tests need it as the load balancer and are skipped");
  }

  @AfterEach
  void close() throws Exception {
    EmulatedCalls.await(vertx.close());
  }

  @Test
  void aRollingUpdateWithDrainTakeoverAndRollbackThenASigtermLoseNothingAndKeepOrder() throws Exception {
    try (RollingCluster rolling = RollingCluster.start(vertx, dir, 3)) {
      // 50 calls live at once, 10 notifications each, 500 notifications/s in all.
      NotificationLoad load = rolling.load(vertx, "rolling", 10, 50, 500).start();
      List<RollingCluster.Window> windows;
      long sigterm;
      long leaver = rolling.cluster.slots.get(2).pid();
      try {
        ClusterIT.awaitTrue("100 calls begun", () -> load.callsStarted() >= 100, Duration.ofSeconds(60));
        windows = rolling.rollingUpdate(2);
        for (int i = 0; i < 3; i++) {
          int member = i;
          ClusterIT.awaitTrue("member " + i + " sees the recorder rolled back to 2.0.0 on every member",
              () -> List.of("2.0.0", "2.0.0", "2.0.0").equals(rolling.versionsSeenBy(member)), Duration.ofSeconds(30));
        }
        // Then SIGTERM of member 2 under the same traffic: it gives its lease up, the others take its calls at once,
        // and the notifications queued for them there are handed to their new owners (ClusterMember.leave).
        sigterm = NotificationLoad.micros();
        rolling.cluster.signal(2, "TERM");
        assertTrue(rolling.cluster.slots.get(2).server.process.waitFor(60, TimeUnit.SECONDS), "member 2 stopped on "
            + "SIGTERM");
        long after = load.callsStarted();
        ClusterIT.awaitTrue("50 more calls begun after member 2 left", () -> load.callsStarted() >= after + 50,
            Duration.ofSeconds(60));
      } finally {
        EmulatedCalls.await(load.stop());
      }
      List<NotificationLoad.Sent> sent = load.sent();
      DeliveryReports.Tally tally = tally(rolling, "notifications", load, sent, windows);
      assertRollingUpdateHeld(tally, "notifications");
      // Each member updates its own calls: none moves to another member during the update (a key handed over to the
      // new version keeps this member's claim). Only member 2's calls move, once it left.
      assertTrue(tally.keysAcrossMembers() > 0, "member 2's live calls went on on the others: " + tally.counts());
      Map<String, List<DeliveryReports.Delivery>> byKey = rolling.reports.deliveries().stream()
          .collect(Collectors.groupingBy(DeliveryReports.Delivery::key));
      for (String key : tally.moved()) {
        Set<Long> before = byKey.get(key).stream().filter(d -> d.handledAt() < sigterm)
            .map(DeliveryReports.Delivery::member).collect(Collectors.toSet());
        assertTrue(before.isEmpty() || before.equals(Set.of(leaver)), "call " + key + " moved between members before "
            + "member 2 left: " + rolling.reports.story(key, sent));
      }
    }
  }

  /**
   * The same rolling update under keyed commands that the members send each other with {@code sendToKey}
   * ({@link CommandLoad}: the sequence sender on every member, each key opened by the next member so that nine of its
   * ten commands are forwarded to their owner): every command handled once, in order per key, its key's state-store
   * count carried across versions, no key moved to another member. The long form at 2,000/s is
   * {@code BENCH_SOURCE=commands bench/cluster-rolling.sh}.
   */
  @Test
  void aRollingUpdateUnderKeyedCommandsBetweenMembersLosesNothingAndKeepsOrder() throws Exception {
    try (RollingCluster rolling = RollingCluster.start(vertx, dir, 3)) {
      // 60 keys at once over the three members, 10 commands each, 500 commands/s in all.
      CommandLoad commands = rolling.commands(vertx, "commands", 10, 60, 500).start();
      List<RollingCluster.Window> windows;
      try {
        ClusterIT.awaitTrue("1000 commands handled", () -> rolling.reports.deliveries().size() >= 1000,
            Duration.ofSeconds(60));
        windows = rolling.rollingUpdate(2);
      } finally {
        EmulatedCalls.await(commands.stop());
      }
      DeliveryReports.Tally tally = tally(rolling, "commands", commands, commands.sent(), windows);
      System.out.println("ClusterRollingIT: commands' failed sends " + commands.failures());
      assertRollingUpdateHeld(tally, "commands");
      assertEquals(0, tally.keysAcrossMembers(), "a key stays with the member that claimed it: " + tally.counts());
    }
  }

  /**
   * What a rolling update under keyed traffic must show: every accepted message handled once, in order per key, its
   * key's state-store count carried on; each version handled some; some keys went on from one version to the next;
   * every member owned keys.
   */
  private static void assertRollingUpdateHeld(DeliveryReports.Tally tally, String what) {
    assertTrue(tally.accepted() > 1000, tally.counts());
    assertTrue(tally.exactlyOnceInOrder(), "every accepted " + what + " handled once, in order per key, its key's "
        + "state-store count carried on: " + tally.counts());
    assertEquals(List.of("1.0.0", "2.0.0", "3.0.0"), List.copyOf(tally.versions().keySet()),
        "each version handled some " + what + ": " + tally.counts());
    assertTrue(tally.keysAcrossVersions() > 0, "some keys went on from one version to the next, their state carried: "
        + tally.counts());
    assertEquals(3, tally.members().size(), "every member owned keys: " + tally.counts());
  }

  /**
   * Waits for the reports of what {@code load} sent, tallies and prints them, with the story of the first keys that
   * went wrong or moved between members.
   */
  private static DeliveryReports.Tally tally(RollingCluster rolling, String what, KeyedLoad load,
      List<NotificationLoad.Sent> sent, List<RollingCluster.Window> windows) throws Exception {
    rolling.reports.awaitReported(sent, Duration.ofSeconds(60));
    DeliveryReports.Tally tally = rolling.reports.tally(sent, 0, Long.MAX_VALUE);
    System.out.printf("ClusterRollingIT: %s: %s; %d sent again after a failure; p50 %.1f ms, p99 %.1f ms%n", what,
        tally.counts(), load.retries(), tally.percentile(50), tally.percentile(99));
    for (RollingCluster.Window w : windows) {
      double[] latencies = rolling.reports.latencies(sent, w.from(), w.to());
      System.out.printf("ClusterRollingIT: %s, %-34s %6d handled, p99 %.1f ms%n", what, w.name(), latencies.length,
          DeliveryReports.percentile(latencies, 99));
    }
    // What happened to the first keys that went wrong or moved between members, for the failure report.
    List<String> toShow = new ArrayList<>(tally.anomalous().stream().limit(5).toList());
    toShow.addAll(tally.moved().stream().limit(3).toList());
    for (String key : toShow) {
      System.out.println("ClusterRollingIT: " + rolling.reports.story(key, sent));
      for (int i = 0; i < 3; i++) {
        for (String line : rolling.cluster.log(i).split("\n")) {
          if (line.contains(key + " ") || line.contains(key + ")") || line.contains(key + ",") || line.endsWith(key)) {
            System.out.println("  member " + i + " (" + rolling.cluster.slots.get(i).pid() + "): " + line);
          }
        }
      }
    }
    return tally;
  }
}
