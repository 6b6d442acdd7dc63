package dev.switchboard.platform.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The console's "last minutes": every 5 s (when the page asks), the live calls ({@code switchboard_calls_active}
 * summed) and the callbacks Graph sent ({@code switchboard_ingress_requests_total} summed) since the previous sample,
 * read from the meter registry; the last 10 minutes are kept.
 */
public final class ConsoleSeries {

  private static final long EVERY_MS = 5_000;
  private static final int KEPT = 120;

  private final MeterRegistry registry;
  private final Deque<JsonObject> samples = new ArrayDeque<>();
  private long lastAt;
  private double lastCallbacks = Double.NaN;

  public ConsoleSeries(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The samples, oldest first; takes a new one when the last is 5 s old. */
  public synchronized JsonArray sample() {
    long now = System.currentTimeMillis();
    if (now - lastAt >= EVERY_MS) {
      double callbacks = registry.find("switchboard.ingress.requests").counters().stream()
          .mapToDouble(Counter::count).sum();
      double active = registry.find("switchboard.calls.active").gauges().stream().mapToDouble(Gauge::value)
          .filter(v -> !Double.isNaN(v)).sum();
      double perSecond = Double.isNaN(lastCallbacks) ? 0 : (callbacks - lastCallbacks) * 1000.0 / (now - lastAt);
      samples.addLast(new JsonObject().put("at", now).put("callsActive", (long) active)
          .put("callbacksPerSecond", Math.round(perSecond * 10) / 10.0));
      if (samples.size() > KEPT) {
        samples.removeFirst();
      }
      lastAt = now;
      lastCallbacks = callbacks;
    }
    return new JsonArray(java.util.List.copyOf(samples));
  }
}
