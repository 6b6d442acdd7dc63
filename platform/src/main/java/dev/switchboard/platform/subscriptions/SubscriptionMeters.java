package dev.switchboard.platform.subscriptions;

import dev.switchboard.platform.metrics.SwitchboardMetrics;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code switchboard_subscriptions{status}}: the Graph subscriptions the platform keeps, by status ({@code creating},
 * {@code stored}, {@code active}, {@code failing}: a bounded set; the reason of a failure is not a label), read from the
 * manager's context at each scrape (which runs on a worker; it waits at most a second).
 */
final class SubscriptionMeters {

  private SubscriptionMeters() {
  }

  static void register(SwitchboardMetrics metrics, SubscriptionManager manager) {
    MultiGauge gauge = MultiGauge.builder("switchboard.subscriptions")
        .description("Graph subscriptions kept for plugins, by status (creating, stored, active, failing; why one "
            + "fails is in the log and GET /admin/subscriptions)")
        .register(metrics.registry());
    metrics.beforeScrape(() -> {
      Map<String, Integer> counts;
      try {
        counts = manager.countByStatus().toCompletionStage().toCompletableFuture().get(1, TimeUnit.SECONDS);
      } catch (Exception e) {
        return; // keeps the previous values
      }
      gauge.register(counts.entrySet().stream()
          .<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(Tags.of("status", e.getKey()), e.getValue())).toList(), true);
    });
  }
}
