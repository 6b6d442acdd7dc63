package dev.switchboard.platform.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.IntSupplier;

/**
 * The cluster's meters, for {@code GET /admin/cluster} and {@code /metrics}: {@code switchboard_cluster_members}
 * (members this node sees), {@code switchboard_cluster_key_migrations_total} (keys taken over from members that left)
 * and {@code switchboard_cluster_forwarded_total} (keyed messages handed to their owner on another node).
 */
final class ClusterStats {

  private final Counter migrations;
  private final Counter forwarded;

  ClusterStats(MeterRegistry registry, IntSupplier members) {
    Gauge.builder("switchboard.cluster.members", members::getAsInt)
        .description("Members this node sees in its cluster").register(registry);
    this.migrations = Counter.builder("switchboard.cluster.key.migrations")
        .description("Keys this node took over from members that left").register(registry);
    this.forwarded = Counter.builder("switchboard.cluster.forwarded")
        .description("Keyed messages this node handed to their owner on another node").register(registry);
  }

  /** A key moved here from a member that left. */
  void migrated() {
    migrations.increment();
  }

  /** A message was handed to its key's owner on another member. */
  void forwarded() {
    forwarded.increment();
  }

  long migrations() {
    return (long) migrations.count();
  }

  long forwardedCount() {
    return (long) forwarded.count();
  }
}
