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
  private final Map<String, Counter> notifications = new ConcurrentHashMap<>();

  public IngressStats(MeterRegistry registry) {
    this.registry = registry;
  }

  void count(String endpoint, String outcome) {
    counters.computeIfAbsent(endpoint + "|" + outcome, k -> Counter.builder("switchboard.ingress.requests")
        .description("Requests Graph sent to the callback endpoints, by endpoint and outcome")
        .tag("endpoint", endpoint).tag("outcome", outcome).register(registry)).increment();
  }

  /**
   * One notification of an accepted request: {@code handedOver} to its owner, or {@code lost} (accepted, then not
   * handled: the one outcome that must stay at zero). {@code switchboard_ingress_notifications_total} on
   * {@code /metrics}.
   */
  void countNotification(String endpoint, String outcome) {
    notifications.computeIfAbsent(endpoint + "|" + outcome, k -> Counter.builder("switchboard.ingress.notifications")
        .description("Notifications of accepted callbacks, handed over to their owner or lost")
        .tag("endpoint", endpoint).tag("outcome", outcome).register(registry)).increment();
  }

  /** How many notifications of accepted requests to {@code endpoint} ended with {@code outcome}. */
  public long notifications(String endpoint, String outcome) {
    return value(notifications.get(endpoint + "|" + outcome));
  }

  /** How many requests to {@code endpoint} ended with {@code outcome}. */
  public long get(String endpoint, String outcome) {
    return value(counters.get(endpoint + "|" + outcome));
  }

  private static long value(Counter counter) {
    return counter == null ? 0 : (long) counter.count();
  }
}
