package dev.switchboard.platform.ingress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the ingress accepted and refused, by endpoint ({@code calling}, {@code notifications}, {@code lifecycle}) and
 * outcome: the counter {@code switchboard_ingress_requests_total} on {@code /metrics}. Each counter is registered
 * once; counting then costs two lookups in small maps (the endpoints' and outcomes' names are constants, whose hash
 * codes are cached) and an atomic add on the event loop, and allocates nothing.
 */
public final class IngressStats {

  private final MeterRegistry registry;
  /** By endpoint, then by outcome. */
  private final Map<String, Map<String, Counter>> counters = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Counter>> notifications = new ConcurrentHashMap<>();

  public IngressStats(MeterRegistry registry) {
    this.registry = registry;
  }

  void count(String endpoint, String outcome) {
    counter(counters, endpoint, outcome, "switchboard.ingress.requests",
        "Requests Graph sent to the callback endpoints, by endpoint and outcome").increment();
  }

  /**
   * One notification of an accepted request: {@code handedOver} to its owner, or {@code lost} (accepted, then not
   * handled: the one outcome that must stay at zero). {@code switchboard_ingress_notifications_total} on
   * {@code /metrics}.
   */
  void countNotification(String endpoint, String outcome) {
    counter(notifications, endpoint, outcome, "switchboard.ingress.notifications",
        "Notifications of accepted callbacks, handed over to their owner or lost").increment();
  }

  private Counter counter(Map<String, Map<String, Counter>> counters, String endpoint, String outcome, String name,
      String description) {
    Map<String, Counter> byOutcome = counters.get(endpoint);
    Counter counter = byOutcome == null ? null : byOutcome.get(outcome);
    if (counter != null) {
      return counter;
    }
    return counters.computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>()).computeIfAbsent(outcome,
        o -> Counter.builder(name).description(description).tag("endpoint", endpoint).tag("outcome", outcome)
            .register(registry));
  }

  /** How many notifications of accepted requests to {@code endpoint} ended with {@code outcome}. */
  public long notifications(String endpoint, String outcome) {
    return value(notifications.getOrDefault(endpoint, Map.of()).get(outcome));
  }

  /** How many requests to {@code endpoint} ended with {@code outcome}. */
  public long get(String endpoint, String outcome) {
    return value(counters.getOrDefault(endpoint, Map.of()).get(outcome));
  }

  private static long value(Counter counter) {
    return counter == null ? 0 : (long) counter.count();
  }
}
