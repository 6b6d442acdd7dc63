package dev.switchboard.platform.cluster;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * The cluster's counters, for {@code GET /admin/cluster} and {@code /metrics}: the one place that knows them, so that
 * a metrics library can take them over from here.
 */
final class ClusterStats {

  private final AtomicLong migrations = new AtomicLong();
  private final AtomicLong forwarded = new AtomicLong();
  private final IntSupplier members;

  ClusterStats(IntSupplier members) {
    this.members = members;
  }

  /** A key moved here from a member that left. */
  void migrated() {
    migrations.incrementAndGet();
  }

  /** A message was handed to its key's owner on another member. */
  void forwarded() {
    forwarded.incrementAndGet();
  }

  long migrations() {
    return migrations.get();
  }

  long forwardedCount() {
    return forwarded.get();
  }

  /** Prometheus text exposition of the counters. */
  String prometheus() {
    return "# HELP switchboard_cluster_members Members this node sees in its cluster.\n"
        + "# TYPE switchboard_cluster_members gauge\n"
        + "switchboard_cluster_members " + members.getAsInt() + "\n"
        + "# HELP switchboard_cluster_key_migrations_total Keys this node took over from members that left.\n"
        + "# TYPE switchboard_cluster_key_migrations_total counter\n"
        + "switchboard_cluster_key_migrations_total " + migrations.get() + "\n"
        + "# HELP switchboard_cluster_forwarded_total Keyed messages this node handed to their owner on another node.\n"
        + "# TYPE switchboard_cluster_forwarded_total counter\n"
        + "switchboard_cluster_forwarded_total " + forwarded.get() + "\n";
  }
}
