package dev.switchboard.emulator.faults;

import dev.switchboard.emulator.http.GraphErrors;
import dev.switchboard.emulator.http.GraphException;
import dev.switchboard.emulator.http.PathPattern;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The faults a test has asked for ({@code POST /emulator/faults}), checked against every incoming
 * Graph or token request and every outgoing notification. When several match, the oldest applies.
 *
 * <p>Not thread-safe: used on the emulator's event-loop context only.
 */
public final class Faults {

  private static final Logger LOG = LoggerFactory.getLogger(Faults.class);
  private static final Set<String> FIELDS =
      Set.of("type", "method", "path", "count", "rate", "retryAfterSeconds", "latencyMs", "forMs",
          "changeType");

  private final List<Fault> faults = new ArrayList<>();

  /**
   * Adds a fault from its JSON: {@code type} (throttle, unavailable, latency, drop, duplicate,
   * redeliver, reorder, delay), {@code path} (glob, default {@code **}; for call notifications it matches the
   * {@code resourceUrl}, for change notifications the {@code resource}, for lifecycle notifications
   * {@code /subscriptions/{id}/{lifecycleEvent}}), {@code method} (requests only), {@code count} and/or {@code rate}
   * (default: count 1), {@code retryAfterSeconds} (default 1), {@code latencyMs} (default 1000), {@code forMs} (an outage: every match for
   * that many real milliseconds, then the fault expires), {@code changeType} (notifications only: only those of this
   * {@code changeType}, e.g. {@code updated} to spare the {@code created} of an incoming call).
   *
   * @throws IllegalArgumentException naming the offending field
   */
  public Fault add(JsonObject spec) {
    for (String f : spec.fieldNames()) {
      if (!FIELDS.contains(f)) {
        throw new IllegalArgumentException("unknown field '" + f + "'; expected " + FIELDS);
      }
    }
    try {
      if (spec.getString("type") == null) {
        throw new IllegalArgumentException("'type' is required: throttle, unavailable, latency, drop, duplicate, redeliver, reorder or delay");
      }
      FaultType type = FaultType.parse(spec.getString("type"));
      String path = spec.getString("path", "**");
      if (!path.startsWith("/") && !path.startsWith("*")) {
        throw new IllegalArgumentException("path must start with / (for example /v1.0/communications/calls/*/playPrompt)");
      }
      Integer count = spec.getInteger("count");
      Double rate = spec.getDouble("rate");
      Long forMs = spec.getLong("forMs");
      if (forMs != null && forMs < 1) {
        throw new IllegalArgumentException("forMs must be >= 1");
      }
      if (count == null && rate == null && forMs == null) {
        count = 1;
      }
      if (count != null && count < 1) {
        throw new IllegalArgumentException("count must be >= 1");
      }
      if (rate != null && (rate <= 0 || rate > 1)) {
        throw new IllegalArgumentException("rate must be in (0, 1]");
      }
      double retryAfter = spec.getDouble("retryAfterSeconds", 1.0);
      long latency = spec.getLong("latencyMs", 1000L);
      if (retryAfter < 0 || latency < 0) {
        throw new IllegalArgumentException("retryAfterSeconds and latencyMs must be >= 0");
      }
      Fault fault = new Fault(UUID.randomUUID().toString(), type, spec.getString("method"), new PathPattern(path),
          count, rate, retryAfter, latency, forMs, spec.getString("changeType"));
      faults.add(fault);
      LOG.info("Fault added: {}", fault.toJson().encode());
      return fault;
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("a fault field has the wrong type: type/method/path are strings,"
          + " count/rate/retryAfterSeconds/latencyMs/forMs numbers", e);
    }
  }

  /** Every fault, oldest first, with how often it applied (expired outages included, marked). */
  public JsonArray list() {
    JsonArray out = new JsonArray();
    faults.forEach(f -> out.add(f.toJson()));
    return out;
  }

  /** Removes one fault; returns whether it existed. */
  public boolean remove(String id) {
    return faults.removeIf(f -> f.id().equals(id));
  }

  /** Removes every fault. */
  public void clear() {
    faults.clear();
  }

  /** The request fault that applies to this request now, if any (counting it as applied). */
  public Optional<Fault> takeRequestFault(String method, String path) {
    return take(false, method, path, null);
  }

  /** The notification fault that applies to a notification about {@code resourceUrl}, if any. */
  public Optional<Fault> takeNotificationFault(String resourceUrl) {
    return takeNotificationFault(resourceUrl, null);
  }

  /** The notification fault that applies to a notification of {@code changeType} about {@code resourceUrl}, if any. */
  public Optional<Fault> takeNotificationFault(String resourceUrl, String changeType) {
    return take(true, null, resourceUrl.startsWith("/") ? resourceUrl : "/" + resourceUrl, changeType);
  }

  /** Applies request faults: answers 429/503 itself, or delays, then continues. */
  public Handler<RoutingContext> requestInterceptor(Vertx vertx) {
    return ctx -> {
      Optional<Fault> fault = takeRequestFault(ctx.request().method().name(), ctx.request().path());
      if (fault.isEmpty()) {
        ctx.next();
        return;
      }
      Fault f = fault.get();
      String retryAfter = formatSeconds(f.retryAfterSeconds());
      switch (f.type()) {
        case LATENCY -> vertx.setTimer(Math.max(1, f.latencyMs()), t -> ctx.next());
        case THROTTLE -> {
          JsonObject body = GraphErrors.body("TooManyRequests", "Please retry again later.", GraphErrors.requestId(ctx),
              ctx.request().getHeader("client-request-id"));
          body.getJsonObject("error").getJsonObject("innerError")
              .put("code", "429").put("message", "Please retry after").put("status", "429");
          ctx.response().setStatusCode(429).putHeader("Retry-After", retryAfter)
              .putHeader("Content-Type", "application/json").end(body.encode());
        }
        default -> GraphErrors.send(ctx, new GraphException(503, "serviceNotAvailable",
            "Service Unavailable. Retry after " + retryAfter + " seconds.", Map.of("Retry-After", retryAfter)));
      }
    };
  }

  private Optional<Fault> take(boolean notification, String method, String path, String changeType) {
    for (Fault f : faults) {
      if (f.type().appliesToNotifications() == notification && f.tryApply(method, path, changeType)) {
        LOG.debug("Fault {} applies to {} {}", f.id(), method == null ? "notification" : method, path);
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  private static String formatSeconds(double s) {
    return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
  }
}
