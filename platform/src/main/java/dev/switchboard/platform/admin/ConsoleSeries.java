package dev.switchboard.platform.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The console's "last minutes", sampled on a server timer from {@link #start} on, whether or not a page is open: every
 * 5 s the live calls ({@code switchboard_calls_active} summed) and the callbacks per second Graph sent
 * ({@code switchboard_ingress_requests_total} summed, since the previous sample), read from the meter registry. The
 * last 10 minutes (120 samples) are kept; a page that opens gets them all at once.
 */
public final class ConsoleSeries {

  static final long EVERY_MS = 5_000;
  static final int KEPT = 120;

  private final MeterRegistry registry;
  private final Deque<JsonObject> samples = new ArrayDeque<>();
  private long lastAt;
  private double lastCallbacks = Double.NaN;
  private Vertx vertx;
  private long timer = -1;

  public ConsoleSeries(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Takes a sample now and one every 5 s until {@link #stop}. */
  public synchronized void start(Vertx vertx) {
    this.vertx = vertx;
    take(System.currentTimeMillis());
    timer = vertx.setPeriodic(EVERY_MS, id -> take(System.currentTimeMillis()));
  }

  /** Stops sampling; the samples stay. Idempotent. */
  public synchronized void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** The samples kept, oldest first: {@code at} (epoch ms), {@code callsActive}, {@code callbacksPerSecond}. */
  public synchronized JsonArray samples() {
    return new JsonArray(List.copyOf(samples));
  }

  /** Takes one sample at {@code now} (epoch ms), dropping the oldest beyond {@value #KEPT}. */
  synchronized void take(long now) {
    double callbacks = registry.find("switchboard.ingress.requests").counters().stream()
        .mapToDouble(Counter::count).sum();
    double active = registry.find("switchboard.calls.active").gauges().stream().mapToDouble(Gauge::value)
        .filter(v -> !Double.isNaN(v)).sum();
    double perSecond = Double.isNaN(lastCallbacks) || now <= lastAt ? 0
        : (callbacks - lastCallbacks) * 1000.0 / (now - lastAt);
    samples.addLast(new JsonObject().put("at", now).put("callsActive", (long) active)
        .put("callbacksPerSecond", Math.round(perSecond * 10) / 10.0));
    if (samples.size() > KEPT) {
      samples.removeFirst();
    }
    lastAt = now;
    lastCallbacks = callbacks;
  }
}
