package dev.switchboard.platform.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import dev.switchboard.platform.config.SwitchboardConfig;
import java.time.Duration;

/**
 * The programmatic Hazelcast configuration of a member: TCP/IP join on {@code cluster.members} only (no multicast, no
 * auto-detection), bound to {@code cluster.host:cluster.port} only, the phi-accrual failure detector, replicated maps
 * with {@code cluster.backups} synchronous backups, and split-brain protection on them so that a side of a partition
 * smaller than {@code cluster.quorum} can neither read nor write them. See docs/cluster.md for why these values.
 */
final class HazelcastSettings {

  /** Every replicated map of the platform starts with this; they share backups and split-brain protection. */
  static final String MAP_PREFIX = "switchboard.";
  static final String QUORUM = "switchboard-quorum";
  /** The phi-accrual detector's suspicion threshold: measured in bench/cluster.sh (docs/cluster.md). */
  static final String PHI_THRESHOLD = "10";

  private HazelcastSettings() {
  }

  static Config of(SwitchboardConfig.Cluster c) {
    // Set as a system property as well: the first lines Hazelcast logs come before it reads its Config.
    System.setProperty("hazelcast.logging.type", "slf4j");
    Config config = new Config();
    config.setClusterName(c.name());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.heartbeat.failuredetector.type", "phi-accrual");
    config.setProperty("hazelcast.heartbeat.interval.seconds", seconds(c.heartbeat()));
    // For the phi-accrual detector this is the acceptable pause: it is added to the mean heartbeat interval, so a
    // silent member is suspected at about suspectAfter + heartbeat + 5 standard deviations (bench/cluster.sh).
    config.setProperty("hazelcast.max.no.heartbeat.seconds", seconds(c.suspectAfter()));
    config.setProperty("hazelcast.heartbeat.phiaccrual.failuredetector.threshold", PHI_THRESHOLD);
    config.setProperty("hazelcast.heartbeat.phiaccrual.failuredetector.min.std.dev.millis", "200");
    // A resumed or partitioned member merges back within ~10 s instead of 5 minutes.
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "10");

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(c.port()).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface(c.host());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(c.members());

    MapConfig maps = new MapConfig(MAP_PREFIX + "*").setBackupCount(c.backups()).setAsyncBackupCount(0);
    int quorum = c.effectiveQuorum();
    if (quorum >= 2) {
      config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(QUORUM, true, quorum));
      maps.setSplitBrainProtectionName(QUORUM);
    }
    config.addMapConfig(maps);
    return config;
  }

  private static String seconds(Duration d) {
    return Long.toString(Math.max(1, (d.toMillis() + 999) / 1000));
  }
}
