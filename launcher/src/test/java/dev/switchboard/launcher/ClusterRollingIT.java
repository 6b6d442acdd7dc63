package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling update across three real members behind HAProxy under keyed traffic that enters as Graph's does (signed
 * notifications to the calling callback, each call's next one sent once the previous was answered): the recorder is
 * updated with drain through one member's admin API, then with takeover through another's, then rolled back through a
 * third's, while calls come and go. Every notification accepted is handled exactly once, in order per call, and the
 * state-store count of each call carries across versions. The long form at 2,000/s is {@code bench/cluster-rolling.sh}.
 */
class ClusterRollingIT {

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    EmulatedCalls.await(vertx.close());
  }

  @Test
  void aRollingUpdateWithDrainThenTakeoverThenRollbackLosesNothingAndKeepsOrder() throws Exception {
    assumeTrue(LocalCluster.haproxyInstalled(), "HAProxy is not installed (.ci/run installs Debian's haproxy); the "
        + "cluster tests need it as the load balancer and are skipped");
    try (RollingCluster rolling = RollingCluster.start(vertx, dir, 3)) {
      // 50 calls live at once, 10 notifications each, 500 notifications/s in all.
      NotificationLoad load = rolling.load(vertx, "rolling", 10, 50, 500).start();
      List<RollingCluster.Window> windows;
      try {
        ClusterIT.awaitTrue("100 calls begun", () -> load.callsStarted() >= 100, Duration.ofSeconds(60));
        windows = rolling.rollingUpdate(2);
      } finally {
        EmulatedCalls.await(load.stop());
      }
      List<NotificationLoad.Sent> sent = load.sent();
      DeliveryReports.Tally tally = tally(rolling, "notifications", load, sent, windows);
      assertTrue(tally.accepted() > 1000, tally.counts());
      assertTrue(tally.exactlyOnceInOrder(), "every accepted notification handled once, in order, its call's "
          + "state-store count carried on: " + tally.counts());
      assertEquals(List.of("1.0.0", "2.0.0", "3.0.0"), List.copyOf(tally.versions().keySet()),
          "each version handled some notifications: " + tally.counts());
      assertTrue(tally.keysAcrossVersions() > 0, "some calls went on from one version to the next, their state "
          + "carried: " + tally.counts());
      assertEquals(3, tally.members().size(), "every member handled calls: " + tally.counts());
      assertEquals(0, tally.keysAcrossMembers(), "each member updates its own calls: none moves to another member "
          + "(a key handed over to the new version keeps this member's claim): " + tally.counts());
      for (int i = 0; i < 3; i++) {
        int member = i;
        ClusterIT.awaitTrue("member " + i + " sees the recorder rolled back to 2.0.0 on every member",
            () -> List.of("2.0.0", "2.0.0", "2.0.0").equals(rolling.versionsSeenBy(member)), Duration.ofSeconds(30));
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
    assumeTrue(LocalCluster.haproxyInstalled(), "HAProxy is not installed (.ci/run installs Debian's haproxy); the "
        + "cluster tests need it as the load balancer and are skipped");
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
      assertTrue(tally.accepted() > 1000, tally.counts());
      assertTrue(tally.exactlyOnceInOrder(), "every command handled once, in order per key, its key's state-store "
          + "count carried on: " + tally.counts());
      assertEquals(List.of("1.0.0", "2.0.0", "3.0.0"), List.copyOf(tally.versions().keySet()),
          "each version handled some commands: " + tally.counts());
      assertTrue(tally.keysAcrossVersions() > 0, "some keys went on from one version to the next: " + tally.counts());
      assertEquals(3, tally.members().size(), "every member owned keys: " + tally.counts());
      assertEquals(0, tally.keysAcrossMembers(), "a key stays with the member that claimed it: " + tally.counts());
    }
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
