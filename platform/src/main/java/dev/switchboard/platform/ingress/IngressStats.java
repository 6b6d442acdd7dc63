package dev.switchboard.platform.ingress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the ingress accepted and refused, by endpoint ({@code calling}, {@code notifications}, {@code lifecycle}) and
 * outcome: the counter {@code switchboard_ingress_requests_total} on {@code /metrics}. Counting costs a map lookup and
 * an atomic add on the event loop.
 */
public final class IngressStats {

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public IngressStats(MeterRegistry registry) {
    this.registry = registry;
  }

  void count(String endpoint, String outcome) {
    counters.computeIfAbsent(endpoint + "|" + outcome, k -> Counter.builder("switchboard.ingress.requests")
        .description("Requests Graph sent to the callback endpoints, by endpoint and outcome")
        .tag("endpoint", endpoint).tag("outcome", outcome).register(registry)).increment();
  }

  /** How many requests to {@code endpoint} ended with {@code outcome}. */
  public long get(String endpoint, String outcome) {
    Counter counter = counters.get(endpoint + "|" + outcome);
    return counter == null ? 0 : (long) counter.count();
  }
}
