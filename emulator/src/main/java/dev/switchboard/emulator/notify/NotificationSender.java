package dev.switchboard.emulator.notify;

import dev.switchboard.emulator.faults.Fault;
import dev.switchboard.emulator.faults.Faults;
import dev.switchboard.emulator.http.OutboundClients;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs {@code commsNotifications} to bots, as Graph does: JSON body, {@code Authorization: Bearer
 * <JWT>} from the notification-token supplier.
 *
 * <p>Ordering: notifications with the same ordering key (a call id) are delivered one at a time, in
 * the order {@link #send} was called, each after the previous POST has been answered or has failed
 * (10 s timeout); there are no retries. Notification {@linkplain Faults faults} may drop, duplicate,
 * reorder or delay them. Every delivery attempt is kept for {@code GET /emulator/notifications}.
 *
 * <p>Not thread-safe: used on the emulator's event-loop context only.
 */
public final class NotificationSender {

  private static final Logger LOG = LoggerFactory.getLogger(NotificationSender.class);
  private static final long TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final OutboundClients clients;
  private final Supplier<String> token;
  private final Faults faults;
  private final Map<String, Lane> lanes = new HashMap<>();
  private final Deque<JsonObject> deliveries = new ArrayDeque<>();
  private final int logCapacity;
  private long sequence;

  /** A notification on its way; {@code createdAt} is when Graph made it (the log shows how long it waited). */
  private record Pending(String url, String resourceUrl, JsonObject envelope, String fault, Instant createdAt) {

    Pending(String url, String resourceUrl, JsonObject envelope, String fault) {
      this(url, resourceUrl, envelope, fault, Instant.now());
    }
  }

  /** The queue of one ordering key. */
  private final class Lane {
    final String key;
    final Deque<Pending> queue = new ArrayDeque<>();
    boolean busy;
    boolean paused;
    Pending held;
    long heldTimer = -1;

    Lane(String key) {
      this.key = key;
    }
  }

  /** A sender that keeps the most recent {@code logCapacity} deliveries for {@code GET /emulator/notifications}. */
  public NotificationSender(Vertx vertx, OutboundClients clients, Supplier<String> token, Faults faults,
      int logCapacity) {
    this.logCapacity = logCapacity;
    this.vertx = vertx;
    this.clients = clients;
    this.token = token;
    this.faults = faults;
  }

  /**
   * Queues one notification.
   *
   * @param orderingKey notifications with the same key are delivered in order (a call id)
   * @param url the bot's callback URL (http or https)
   * @param resourceUrl the notification's {@code resourceUrl}, matched against notification faults
   * @param envelope the {@code commsNotifications} body
   */
  public void send(String orderingKey, String url, String resourceUrl, JsonObject envelope) {
    Lane lane = lanes.computeIfAbsent(orderingKey, Lane::new);
    JsonObject first = envelope.getValue("value") instanceof io.vertx.core.json.JsonArray a && !a.isEmpty()
        && a.getValue(0) instanceof JsonObject o ? o : new JsonObject();
    Optional<Fault> fault = faults.takeNotificationFault(resourceUrl, first.getString("changeType"));
    if (fault.isEmpty()) {
      enqueue(lane, new Pending(url, resourceUrl, envelope, null));
      return;
    }
    Fault f = fault.get();
    switch (f.type()) {
      case DROP -> record(new Pending(url, resourceUrl, envelope, "drop"), null, "dropped by fault " + f.id());
      case DUPLICATE -> {
        enqueue(lane, new Pending(url, resourceUrl, envelope, "duplicate"));
        enqueue(lane, new Pending(url, resourceUrl, envelope, "duplicate"));
      }
      case REDELIVER -> {
        enqueue(lane, new Pending(url, resourceUrl, envelope, "redeliver"));
        vertx.setTimer(Math.max(1, f.latencyMs()), t -> enqueue(lanes.computeIfAbsent(orderingKey, Lane::new),
            new Pending(url, resourceUrl, envelope, "redeliver")));
      }
      case DELAY -> {
        lane.paused = true; // hold the lane: this one and those queued behind it wait
        lane.queue.addLast(new Pending(url, resourceUrl, envelope, "delay"));
        vertx.setTimer(Math.max(1, f.latencyMs()), t -> {
          lane.paused = false;
          pump(lane);
        });
      }
      default -> hold(lane, new Pending(url, resourceUrl, envelope, "reorder"), f.latencyMs());
    }
  }

  /** Every delivery attempt, oldest first: time, url, resourceUrl, changeType, status or error, fault. */
  public JsonArray deliveries() {
    JsonArray out = new JsonArray();
    deliveries.forEach(d -> out.add(d.copy()));
    return out;
  }

  /** Forgets queued notifications and the delivery log. */
  public void reset() {
    lanes.values().forEach(l -> {
      if (l.heldTimer >= 0) {
        vertx.cancelTimer(l.heldTimer);
      }
    });
    lanes.clear();
    deliveries.clear();
  }

  private void hold(Lane lane, Pending p, long maxHoldMs) {
    if (lane.held != null) {
      enqueue(lane, p); // only one held at a time; later reorder faults deliver normally
      return;
    }
    lane.held = p;
    lane.heldTimer = vertx.setTimer(Math.max(1, maxHoldMs), t -> release(lane));
  }

  private void release(Lane lane) {
    if (lane.held != null) {
      Pending p = lane.held;
      lane.held = null;
      lane.heldTimer = -1;
      lane.queue.addLast(p);
      pump(lane);
    }
  }

  private void enqueue(Lane lane, Pending p) {
    lane.queue.addLast(p);
    if (lane.held != null) {
      // the held notification goes right after this later one: delivered out of order
      vertx.cancelTimer(lane.heldTimer);
      release(lane);
    }
    pump(lane);
  }

  private void pump(Lane lane) {
    if (lane.busy || lane.paused || lane.queue.isEmpty()) {
      return;
    }
    Pending p = lane.queue.pollFirst();
    lane.busy = true;
    clients.forUrl(p.url()).postAbs(p.url())
        .timeout(TIMEOUT_MS)
        .putHeader("Authorization", "Bearer " + token.get())
        .putHeader("Content-Type", "application/json")
        .sendBuffer(p.envelope().toBuffer())
        .onComplete(ar -> {
          if (ar.succeeded()) {
            record(p, ar.result().statusCode(), null);
            if (ar.result().statusCode() >= 300) {
              LOG.warn("Bot answered {} to the notification for {} at {}", ar.result().statusCode(), p.resourceUrl(), p.url());
            }
          } else {
            record(p, null, ar.cause().toString());
            LOG.warn("Could not deliver the notification for {} to {}: {}", p.resourceUrl(), p.url(), ar.cause().toString());
          }
          lane.busy = false;
          if (lane.queue.isEmpty() && lane.held == null && !lane.paused) {
            lanes.remove(lane.key);
          } else {
            pump(lane);
          }
        });
  }

  private void record(Pending p, Integer status, String error) {
    JsonArray value = p.envelope().getJsonArray("value", new JsonArray());
    JsonObject first = value.isEmpty() ? new JsonObject() : value.getJsonObject(0);
    deliveries.addLast(new JsonObject()
        .put("sequence", ++sequence)
        .put("time", Instant.now().toString())
        .put("createdAt", p.createdAt().toString())
        .put("url", p.url())
        .put("resourceUrl", p.resourceUrl())
        .put("changeType", first.getString("changeType"))
        .put("status", status)
        .put("error", error)
        .put("fault", p.fault())
        .put("body", p.envelope()));
    while (deliveries.size() > logCapacity) {
      deliveries.removeFirst();
    }
  }
}
