package dev.switchboard.platform.routing;

import dev.switchboard.platform.metrics.SwitchboardMetrics;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keyed routing on {@code /metrics}, refreshed at each scrape from snapshots: {@code switchboard_routing_queue_depth
 * {address}} (messages waiting for their key's owner) and {@code switchboard_routing_keys{address,plugin,version,state}}
 * (keys each plugin version owns: during a drain the old version's count falls to zero).
 */
final class RoutingMeters {

  private RoutingMeters() {
  }

  static void register(SwitchboardMetrics metrics, KeyRouter router) {
    MultiGauge depth = MultiGauge.builder("switchboard.routing.queue.depth")
        .description("Keyed messages waiting for their key's owner, by address").register(metrics.registry());
    MultiGauge keys = MultiGauge.builder("switchboard.routing.keys")
        .description("Keys owned by each plugin version consuming a keyed address, by state (active, draining, "
            + "handing_over)").register(metrics.registry());
    metrics.beforeScrape(() -> {
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      router.queued().forEach((address, n) -> rows.add(MultiGauge.Row.of(Tags.of("address", address), n)));
      depth.register(rows, true);
      Map<Tags, Integer> owned = new java.util.HashMap<>();
      for (Member m : router.members()) {
        owned.merge(Tags.of("address", m.address(), "plugin", m.pluginName(), "version", m.version(), "state",
            m.state().name().toLowerCase(java.util.Locale.ROOT)), m.ownedKeys(), Integer::sum);
      }
      List<MultiGauge.Row<?>> keyRows = new ArrayList<>();
      owned.forEach((tags, n) -> keyRows.add(MultiGauge.Row.of(tags, n)));
      keys.register(keyRows, true);
    });
  }
}
