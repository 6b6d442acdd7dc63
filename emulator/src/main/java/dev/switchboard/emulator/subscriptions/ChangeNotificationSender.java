package dev.switchboard.emulator.subscriptions;

import dev.switchboard.emulator.faults.Fault;
import dev.switchboard.emulator.faults.Faults;
import dev.switchboard.emulator.http.OutboundClients;
import dev.switchboard.emulator.world.EmulatedClock;
import dev.switchboard.emulator.world.EmulatedTimers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers change and lifecycle notifications as Graph does (graph-reference §8.3, §8.4): one
 * {@code {"value": [...]}} collection per POST, {@code Content-Type: application/json}, no
 * {@code Authorization} header. A delivery not answered 2xx within {@value #ANSWER_LIMIT_MS} real ms
 * is retried after {@link #FIRST_RETRY}, then twice as long each time up to {@link #MAX_RETRY}
 * (emulated), for up to {@link #RETRY_WINDOW} (emulated) after its first attempt; then it is dropped.
 *
 * <p>Deliveries are independent: no ordering between them, as with Graph. Notification
 * {@linkplain Faults faults} match {@code faultPath} and may drop, duplicate, delay (real ms) or
 * reorder (hold until the subscription's next notification, or {@code latencyMs}) a delivery.
 * Every delivery, with each attempt, is kept for {@code GET /emulator/subscriptions/deliveries}.
 *
 * <p>Not thread-safe: used on the emulator's event-loop context only.
 */
final class ChangeNotificationSender {

  /** Graph's answer limit per attempt, real milliseconds (not scaled by the clock speed). */
  static final long ANSWER_LIMIT_MS = 3000;
  /** Answers slower than this count as slow (graph-reference §8.4), real milliseconds. */
  static final long SLOW_MS = 2900;
  /** The first retry delay, emulated. */
  static final Duration FIRST_RETRY = Duration.ofSeconds(10);
  /** The longest retry delay, emulated. */
  static final Duration MAX_RETRY = Duration.ofMinutes(10);
  /** How long Graph keeps retrying, emulated. */
  static final Duration RETRY_WINDOW = Duration.ofHours(4);

  private static final Logger LOG = LoggerFactory.getLogger(ChangeNotificationSender.class);
  private static final int CAPACITY = 2000;

  private final Vertx vertx;
  private final EmulatedClock clock;
  private final EmulatedTimers timers;
  private final OutboundClients clients;
  private final Faults faults;
  private final Map<Long, Delivery> deliveries = new LinkedHashMap<>() {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Delivery> eldest) {
      return size() > CAPACITY;
    }
  };
  /** Per subscription, the delivery a reorder fault holds back. */
  private final Map<String, Delivery> held = new HashMap<>();
  private long sequence;

  /** Where a delivery is. */
  enum State { PENDING, DELIVERED, DROPPED }

  /** One notification collection to one URL, with its attempts. */
  private final class Delivery {
    final long id = ++sequence;
    final String subscriptionId;
    final boolean lifecycle;
    final String url;
    final JsonObject envelope;
    final String fault;
    final Instant created = clock.now();
    final List<JsonObject> attempts = new ArrayList<>();
    State state = State.PENDING;
    String reason;
    Instant firstAttempt;
    Instant nextAttempt;
    Duration nextDelay = FIRST_RETRY;
    long timer = -1;

    Delivery(String subscriptionId, boolean lifecycle, String url, JsonObject envelope, String fault) {
      this.subscriptionId = subscriptionId;
      this.lifecycle = lifecycle;
      this.url = url;
      this.envelope = envelope;
      this.fault = fault;
    }

    JsonObject toJson() {
      JsonObject n = envelope.getJsonArray("value").getJsonObject(0);
      JsonArray a = new JsonArray();
      attempts.forEach(x -> a.add(x.copy()));
      return new JsonObject()
          .put("id", String.valueOf(id))
          .put("sequence", id)
          .put("subscriptionId", subscriptionId)
          .put("kind", lifecycle ? "lifecycle" : "change")
          .put("changeType", n.getString("changeType"))
          .put("lifecycleEvent", n.getString("lifecycleEvent"))
          .put("resource", n.getString("resource"))
          .put("url", url)
          .put("createdDateTime", Subscription.format(created))
          .put("state", state.name().toLowerCase(java.util.Locale.ROOT))
          .put("reason", reason)
          .put("fault", fault)
          .put("attempts", a)
          .put("nextAttemptDateTime", state == State.PENDING && nextAttempt != null ? Subscription.format(nextAttempt) : null)
          .put("body", envelope.copy());
    }
  }

  ChangeNotificationSender(Vertx vertx, EmulatedTimers timers, OutboundClients clients, Faults faults) {
    this.vertx = vertx;
    this.timers = timers;
    this.clock = timers.clock();
    this.clients = clients;
    this.faults = faults;
  }

  /**
   * Sends one notification (subject to notification faults).
   *
   * @param lifecycle whether it is a lifecycle notification (those survive their subscription)
   * @param faultPath what notification faults match: the resource, or
   *     {@code /subscriptions/{id}/{lifecycleEvent}}
   * @param notification one element of the collection's {@code value}
   * @param validationTokens the collection's {@code validationTokens} (rich notifications); none: no such field
   * @return the delivery's id (the first one's, when a fault duplicates it)
   */
  String send(String subscriptionId, boolean lifecycle, String url, String faultPath, JsonObject notification,
      List<String> validationTokens) {
    JsonObject envelope = new JsonObject().put("value", new JsonArray().add(notification));
    if (!validationTokens.isEmpty()) {
      envelope.put("validationTokens", new JsonArray(List.copyOf(validationTokens)));
    }
    Optional<Fault> fault = faults.takeNotificationFault(faultPath);
    Delivery previouslyHeld = held.remove(subscriptionId);
    Delivery d;
    if (fault.isEmpty()) {
      d = add(new Delivery(subscriptionId, lifecycle, url, envelope, null));
      attempt(d);
    } else {
      Fault f = fault.get();
      d = add(new Delivery(subscriptionId, lifecycle, url, envelope, f.type().json()));
      switch (f.type()) {
        case DROP -> end(d, State.DROPPED, "dropped by fault " + f.id());
        case DUPLICATE -> {
          attempt(d);
          attempt(add(new Delivery(subscriptionId, lifecycle, url, envelope.copy(), f.type().json())));
        }
        case REDELIVER -> {
          attempt(d);
          vertx.setTimer(Math.max(1, f.latencyMs()), t -> attempt(add(new Delivery(subscriptionId, lifecycle, url,
              envelope.copy(), f.type().json()))));
        }
        case DELAY -> d.timer = vertx.setTimer(Math.max(1, f.latencyMs()), t -> attempt(d));
        default -> {
          held.put(subscriptionId, d);
          d.timer = vertx.setTimer(Math.max(1, f.latencyMs()), t -> {
            held.remove(subscriptionId, d);
            attempt(d);
          });
        }
      }
    }
    if (previouslyHeld != null) { // a reordered one goes right after this later one
      timers.cancelTimer(previouslyHeld.timer);
      attempt(previouslyHeld);
    }
    return String.valueOf(d.id);
  }

  /** Drops the pending change notifications of a subscription that no longer exists. */
  void cancel(String subscriptionId, String why) {
    for (Delivery d : deliveries.values()) {
      if (d.subscriptionId.equals(subscriptionId) && !d.lifecycle && d.state == State.PENDING) {
        timers.cancelTimer(d.timer);
        held.remove(subscriptionId, d);
        end(d, State.DROPPED, why);
      }
    }
  }

  /**
   * The deliveries, oldest first.
   *
   * @param subscriptionId only this subscription's, or null for all
   * @param since only those with a larger {@code sequence}
   */
  JsonArray list(String subscriptionId, long since) {
    JsonArray out = new JsonArray();
    deliveries.values().forEach(d -> {
      if ((subscriptionId == null || subscriptionId.equals(d.subscriptionId)) && d.id > since) {
        out.add(d.toJson());
      }
    });
    return out;
  }

  /** Stops every retry and forgets every delivery. */
  void reset() {
    deliveries.values().forEach(d -> timers.cancelTimer(d.timer));
    deliveries.clear();
    held.clear();
  }

  private Delivery add(Delivery d) {
    deliveries.put(d.id, d);
    return d;
  }

  private void attempt(Delivery d) {
    d.timer = -1;
    if (d.state != State.PENDING) {
      return;
    }
    Instant at = clock.now();
    if (d.firstAttempt == null) {
      d.firstAttempt = at;
    }
    d.nextAttempt = null;
    long start = System.nanoTime();
    clients.forUrl(d.url).postAbs(d.url)
        .timeout(ANSWER_LIMIT_MS)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .sendBuffer(d.envelope.toBuffer())
        .onComplete(ar -> {
          long ms = (System.nanoTime() - start) / 1_000_000;
          JsonObject attempt = new JsonObject()
              .put("time", Instant.now().toString())
              .put("emulatedTime", Subscription.format(at))
              .put("elapsedMs", ms)
              .put("slow", ms > SLOW_MS);
          boolean ok = false;
          if (ar.succeeded()) {
            int status = ar.result().statusCode();
            attempt.put("status", status);
            ok = status >= 200 && status < 300;
          } else {
            attempt.put("error", ms >= ANSWER_LIMIT_MS
                ? "no answer within " + ANSWER_LIMIT_MS / 1000 + " s" : ar.cause().toString());
          }
          d.attempts.add(attempt);
          if (d.state != State.PENDING) {
            return; // cancelled meanwhile
          }
          if (ok) {
            end(d, State.DELIVERED, null);
          } else {
            retryLater(d, attempt);
          }
        });
  }

  private void retryLater(Delivery d, JsonObject failed) {
    Duration delay = d.nextDelay;
    d.nextDelay = delay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay.multipliedBy(2);
    Instant next = clock.now().plus(delay);
    if (next.isAfter(d.firstAttempt.plus(RETRY_WINDOW))) {
      end(d, State.DROPPED, "not delivered within " + RETRY_WINDOW.toHours() + " hours of its first attempt ("
          + d.attempts.size() + " attempts)");
      LOG.warn("Dropped the notification for subscription {} to {} after {} attempts", d.subscriptionId, d.url,
          d.attempts.size());
      return;
    }
    LOG.info("Notification for subscription {} to {} failed ({}); retrying in {} s (emulated)", d.subscriptionId, d.url,
        failed.containsKey("status") ? "status " + failed.getInteger("status") : failed.getString("error"),
        delay.toSeconds());
    d.nextAttempt = next;
    d.timer = timers.setTimer(delay, t -> attempt(d));
  }

  private void end(Delivery d, State state, String reason) {
    d.state = state;
    d.reason = reason;
    d.timer = -1;
  }
}
