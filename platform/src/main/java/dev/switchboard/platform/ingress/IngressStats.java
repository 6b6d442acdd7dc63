package dev.switchboard.platform.ingress;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of what the ingress accepted and refused, by endpoint and outcome, for {@code /metrics}. */
public final class IngressStats {

  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> notifications = new ConcurrentHashMap<>();

  void count(String endpoint, String outcome) {
    counters.computeIfAbsent(endpoint + "|" + outcome, k -> new LongAdder()).increment();
  }

  /**
   * One notification of an accepted request: {@code handedOver} to its owner, or {@code lost} (accepted, then not
   * handled: the one outcome that must stay at zero).
   */
  void countNotification(String endpoint, String outcome) {
    notifications.computeIfAbsent(endpoint + "|" + outcome, k -> new LongAdder()).increment();
  }

  /** How many notifications of accepted requests to {@code endpoint} ended with {@code outcome}. */
  public long notifications(String endpoint, String outcome) {
    LongAdder adder = notifications.get(endpoint + "|" + outcome);
    return adder == null ? 0 : adder.sum();
  }

  /** How many requests to {@code endpoint} ended with {@code outcome}. */
  public long get(String endpoint, String outcome) {
    LongAdder adder = counters.get(endpoint + "|" + outcome);
    return adder == null ? 0 : adder.sum();
  }

  /** The counters in Prometheus text format. */
  public String prometheus() {
    StringBuilder out = new StringBuilder();
    out.append("# HELP switchboard_ingress_requests_total Callbacks received from Graph, by endpoint and outcome.\n");
    out.append("# TYPE switchboard_ingress_requests_total counter\n");
    new TreeMap<>(counters).forEach((key, value) -> {
      String[] parts = key.split("\\|", 2);
      out.append("switchboard_ingress_requests_total{endpoint=\"").append(parts[0]).append("\",outcome=\"")
          .append(parts[1]).append("\"} ").append(value.sum()).append('\n');
    });
    out.append("# HELP switchboard_ingress_notifications_total Notifications of accepted callbacks, handed over to "
        + "their owner or lost.\n");
    out.append("# TYPE switchboard_ingress_notifications_total counter\n");
    new TreeMap<>(notifications).forEach((key, value) -> {
      String[] parts = key.split("\\|", 2);
      out.append("switchboard_ingress_notifications_total{endpoint=\"").append(parts[0]).append("\",outcome=\"")
          .append(parts[1]).append("\"} ").append(value.sum()).append('\n');
    });
    return out.toString();
  }
}
