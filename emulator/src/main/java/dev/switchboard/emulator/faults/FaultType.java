package dev.switchboard.emulator.faults;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a {@link Fault} does to the request or notification it matches. */
public enum FaultType {
  /** Answer the request 429 {@code TooManyRequests} with {@code Retry-After}. */
  THROTTLE("throttle", false),
  /** Answer the request 503 {@code serviceNotAvailable} with {@code Retry-After}. */
  UNAVAILABLE("unavailable", false),
  /** Hold the request {@code latencyMs} before handling it. */
  LATENCY("latency", false),
  /** Never deliver the notification. */
  DROP("drop", true),
  /** Deliver the notification twice. */
  DUPLICATE("duplicate", true),
  /**
   * Deliver the notification, then the very same one again {@code latencyMs} later, as Graph redelivers a
   * notification whose acknowledgement it did not see (the bot must not act on it twice).
   */
  REDELIVER("redeliver", true),
  /** Deliver the notification after the next one for the same call (or after {@code latencyMs}). */
  REORDER("reorder", true),
  /** Hold the notification, and those after it for the same call, {@code latencyMs}. */
  DELAY("delay", true);

  private final String json;
  private final boolean notification;

  FaultType(String json, boolean notification) {
    this.json = json;
    this.notification = notification;
  }

  /** The JSON spelling. */
  public String json() {
    return json;
  }

  /** Whether it applies to outgoing notifications (else to incoming requests). */
  public boolean appliesToNotifications() {
    return notification;
  }

  static FaultType parse(String s) {
    for (FaultType t : values()) {
      if (t.json.equalsIgnoreCase(s)) {
        return t;
      }
    }
    throw new IllegalArgumentException("type must be one of "
        + Arrays.stream(values()).map(FaultType::json).collect(Collectors.joining(", ")) + "; got '" + s + "'");
  }
}
