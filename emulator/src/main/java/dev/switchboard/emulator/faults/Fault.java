package dev.switchboard.emulator.faults;

import dev.switchboard.emulator.http.PathPattern;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One injected fault: a {@link FaultType} applied to requests (method + path) or notifications
 * (the notification's {@code resourceUrl}) that match, for a number of times ({@code count}) or a
 * fraction of them ({@code rate}), or both (each match applies with probability {@code rate}
 * until {@code count} applications have happened), notifications optionally only of one {@code changeType}; with
 * {@code forMs}, only for that long (real milliseconds from
 * when it was added), to every match unless {@code count} or {@code rate} say otherwise: an outage.
 */
public final class Fault {

  private final String id;
  private final FaultType type;
  private final String method;
  private final PathPattern path;
  private final Double rate;
  private final double retryAfterSeconds;
  private final long latencyMs;
  private final Long forMs;
  private final String changeType;
  private final long expiresAtNanos;
  private Integer remaining;
  private int applied;
  /** Requests or notifications the fault matched before its rate was drawn: what it could have applied to. */
  private int matched;

  Fault(String id, FaultType type, String method, PathPattern path, Integer count, Double rate,
      double retryAfterSeconds, long latencyMs, Long forMs, String changeType) {
    this.forMs = forMs;
    this.changeType = changeType;
    this.expiresAtNanos = forMs == null ? Long.MAX_VALUE : System.nanoTime() + forMs * 1_000_000;
    this.id = id;
    this.type = type;
    this.method = method;
    this.path = path;
    this.remaining = count;
    this.rate = rate;
    this.retryAfterSeconds = retryAfterSeconds;
    this.latencyMs = latencyMs;
  }

  public String id() {
    return id;
  }

  public FaultType type() {
    return type;
  }

  /** Seconds for the {@code Retry-After} header of throttle and unavailable faults. */
  public double retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** Real milliseconds for latency, delay and reorder faults. */
  public long latencyMs() {
    return latencyMs;
  }

  /** Whether its period ({@code forMs}, real time from when it was added) is over. */
  boolean expired() {
    return System.nanoTime() - expiresAtNanos > 0;
  }

  /**
   * Whether it matches; if so and it fires, counts one application.
   *
   * @param notificationChangeType the notification's {@code changeType} ({@code null} for requests)
   */
  boolean tryApply(String requestMethod, String requestPath, String notificationChangeType) {
    if (remaining != null && remaining <= 0 || expired()) {
      return false;
    }
    if (changeType != null && !changeType.equals(notificationChangeType)) {
      return false;
    }
    if (method != null && requestMethod != null && !method.equalsIgnoreCase(requestMethod)) {
      return false;
    }
    if (!path.matches(requestPath)) {
      return false;
    }
    matched++;
    if (rate != null && ThreadLocalRandom.current().nextDouble() >= rate) {
      return false;
    }
    if (remaining != null) {
      remaining--;
    }
    applied++;
    return true;
  }

  /** The JSON form served by {@code GET /emulator/faults}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("type", type.json())
        .put("method", method)
        .put("path", path.toString())
        .put("remaining", remaining)
        .put("rate", rate)
        .put("retryAfterSeconds", retryAfterSeconds)
        .put("latencyMs", latencyMs)
        .put("forMs", forMs)
        .put("changeType", changeType)
        .put("expired", expired())
        .put("applied", applied)
        .put("matched", matched);
  }
}
