package dev.switchboard.platform.vertx;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event-bus addresses that plugins of this server consume, counted: in a cluster, a point-to-point message to
 * one of them is delivered here rather than on another member (see the cluster's node selector). Kept by the
 * plugin contexts as they register and release their consumers. Thread-safe.
 */
public final class LocalConsumers {

  private static final Map<String, Integer> COUNTS = new ConcurrentHashMap<>();

  private LocalConsumers() {
  }

  public static void added(String address) {
    COUNTS.merge(address, 1, Integer::sum);
  }

  public static void removed(String address) {
    COUNTS.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
  }

  /** Whether some plugin of this server consumes {@code address}. */
  public static boolean has(String address) {
    return COUNTS.containsKey(address);
  }
}
