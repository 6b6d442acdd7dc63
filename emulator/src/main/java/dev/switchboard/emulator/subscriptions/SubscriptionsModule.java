package dev.switchboard.emulator.subscriptions;

import dev.switchboard.emulator.faults.Faults;
import dev.switchboard.emulator.http.Bodies;
import dev.switchboard.emulator.http.GraphException;
import dev.switchboard.emulator.http.OutboundClients;
import dev.switchboard.emulator.world.BotApplication;
import dev.switchboard.emulator.world.EmulatedClock;
import dev.switchboard.emulator.world.EmulatedTimers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Change-notification subscriptions (graph-reference §8): Graph's {@code /v1.0/subscriptions}
 * routes, the sources of change notifications (call records, presence changes), lifecycle
 * notifications, expiry, and what the control API does to subscriptions.
 *
 * <p>Times are emulated ({@link EmulatedClock}): a subscription lives until its
 * {@code expirationDateTime} on the emulated clock, then disappears (404) and gets nothing more.
 * A subscription with a {@code lifecycleNotificationUrl} gets {@code reauthorizationRequired}
 * once per lifetime, when {@value #REAUTHORIZE_AT_PERCENT_LEFT}% of that lifetime (from creation
 * or the last renewal to expiry) is left.
 *
 * <p>All methods run on the emulator's event-loop context. Control methods throw
 * {@link GraphException}: 404 for an unknown or ended subscription, 400 for malformed input.
 */
public final class SubscriptionsModule {

  /** When the automatic {@code reauthorizationRequired} is sent: this share of the lifetime left. */
  static final int REAUTHORIZE_AT_PERCENT_LEFT = 10;
  /** The lifecycle events (graph-reference §8.5). */
  static final List<String> LIFECYCLE_EVENTS = List.of("reauthorizationRequired", "subscriptionRemoved", "missed");

  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionsModule.class);
  private static final int ENDED_KEPT = 500;

  final Vertx vertx;
  final EmulatedClock clock;
  final EmulatedTimers timers;
  final BotApplication app;
  final String creatorId;
  final String baseUrl;
  final Handshake handshake;
  private final ChangeNotificationSender sender;
  private final Supplier<String> validationToken;
  private final Function<String, Optional<JsonObject>> presenceResource;
  private final Map<String, Subscription> active = new LinkedHashMap<>();
  private final Map<String, Subscription> ended = new LinkedHashMap<>() {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Subscription> eldest) {
      return size() > ENDED_KEPT;
    }
  };

  /**
   * @param creatorId the bot's service principal id (the {@code creatorId} of its subscriptions)
   * @param baseUrl the emulator's base URL, for {@code @odata.context}
   * @param validationToken a new validation token (JWT, audience the bot) for a notification collection
   *     with resource data
   * @param presenceResource a user's presence as {@code GET /users/{id}/presence} serves it (without
   *     {@code @odata.context}); empty for an unknown user
   */
  public SubscriptionsModule(Vertx vertx, EmulatedTimers timers, BotApplication app, String creatorId,
      OutboundClients clients, Faults faults, String baseUrl, Supplier<String> validationToken,
      Function<String, Optional<JsonObject>> presenceResource) {
    this.vertx = vertx;
    this.timers = timers;
    this.clock = timers.clock();
    this.app = app;
    this.creatorId = creatorId;
    this.baseUrl = baseUrl;
    this.handshake = new Handshake(clients);
    this.sender = new ChangeNotificationSender(vertx, timers, clients, faults);
    this.validationToken = validationToken;
    this.presenceResource = presenceResource;
  }

  /** Mounts the {@code /v1.0/subscriptions} routes (behind the bearer check the caller installs). */
  public void mount(Router router) {
    new SubscriptionsApi(this).mount(router);
  }

  // ---------------------------------------------------------------- sources

  /**
   * A callRecord became available ({@code created}) or its version increased ({@code updated}):
   * every active subscription to {@code /communications/callRecords} whose changeType includes
   * {@code changeType} is notified at once. The call-records service decides when (graph-reference §8.4).
   */
  public void callRecordChanged(String callRecordId, String changeType) {
    String resource = "communications/callRecords/" + callRecordId;
    JsonObject data = new JsonObject()
        .put("@odata.type", "#Microsoft.Graph.callrecord")
        .put("@odata.id", resource)
        .put("id", callRecordId);
    for (Subscription s : List.copyOf(active.values())) {
      if (s.watched.kind() == SubscribedResource.Kind.CALL_RECORDS && s.changeTypes.contains(changeType) && live(s)) {
        change(s, changeType, resource, data.copy(), null);
      }
    }
  }

  /**
   * A user's presence changed: every active subscription to it gets an {@code updated} notification;
   * one with {@code includeResourceData} also gets the presence, encrypted for its certificate
   * ({@code encryptedContent}), and a {@code validationTokens} entry in the collection.
   */
  public void presenceChanged(String userId) {
    String resource = "communications/presences/" + userId;
    for (Subscription s : List.copyOf(active.values())) {
      if (s.watched.watchesPresenceOf(userId) && live(s)) {
        JsonObject data = new JsonObject()
            .put("@odata.type", "#microsoft.graph.presence")
            .put("@odata.id", "users/" + userId + "/presence")
            .put("id", userId);
        JsonObject encrypted = null;
        if (s.includesResourceData()) {
          JsonObject full = data.copy();
          presenceResource.apply(userId).ifPresent(p -> p.forEach(e -> full.put(e.getKey(), e.getValue())));
          encrypted = s.encryption.encrypt(full);
        }
        change(s, "updated", resource, data, encrypted);
      }
    }
  }

  // ---------------------------------------------------------------- control API

  /** Every subscription the emulator knows (recently ended ones too), with its state and history. */
  public JsonArray list() {
    JsonArray out = new JsonArray();
    ended.values().forEach(s -> out.add(s.describe()));
    List.copyOf(active.values()).forEach(s -> {
      live(s);
      out.add(s.describe());
    });
    return out;
  }

  /**
   * One subscription, active or ended.
   *
   * @throws GraphException 404 when unknown
   */
  public JsonObject describe(String id) {
    Subscription s = active.get(id);
    if (s != null) {
      live(s);
      return s.describe();
    }
    s = ended.get(id);
    if (s == null) {
      throw GraphException.notFound("Subscription " + id + " was not found.");
    }
    return s.describe();
  }

  /**
   * Sends a change notification a test describes: {@code changeType} (created, updated or deleted),
   * {@code resource} (default: the subscription's), optional {@code resourceData} (an object).
   * The subscription's changeType list is not consulted.
   *
   * @return the delivery id
   */
  public String notify(String id, JsonObject body) {
    Subscription s = require(id);
    String changeType = Bodies.string(body, "changeType", true);
    if (!List.of("created", "updated", "deleted").contains(changeType)) {
      throw GraphException.badRequest("changeType must be created, updated or deleted; got '" + changeType + "'.");
    }
    String resource = Bodies.string(body, "resource", false);
    JsonObject data = Bodies.object(body, "resourceData", false);
    for (String f : body.fieldNames()) {
      if (!Set.of("changeType", "resource", "resourceData").contains(f)) {
        throw GraphException.badRequest("Unknown field '" + f + "'; expected changeType, resource, resourceData.");
      }
    }
    return change(s, changeType, resource == null ? s.resource : resource, data == null ? null : data.copy(), null);
  }

  /**
   * Sends a lifecycle notification: {@code reauthorizationRequired}, {@code missed}, or
   * {@code subscriptionRemoved}, which also removes the subscription (even when it has no
   * lifecycleNotificationUrl to be told).
   *
   * @return the delivery id, or null when nothing was sent
   * @throws GraphException 409 for reauthorizationRequired or missed on a subscription without a
   *     lifecycleNotificationUrl
   */
  public String lifecycle(String id, String event) {
    Subscription s = require(id);
    if (!LIFECYCLE_EVENTS.contains(event)) {
      throw GraphException.badRequest("event must be one of " + LIFECYCLE_EVENTS + "; got '" + event + "'.");
    }
    if (s.lifecycleNotificationUrl == null && !event.equals("subscriptionRemoved")) {
      throw GraphException.conflict("Subscription " + id + " has no lifecycleNotificationUrl: Graph sends it no"
          + " lifecycle notifications.");
    }
    String delivery = s.lifecycleNotificationUrl == null ? null : sendLifecycle(s, event);
    if (event.equals("subscriptionRemoved")) {
      end(s, Subscription.State.REMOVED);
    }
    return delivery;
  }

  /** The deliveries (change and lifecycle), oldest first, optionally of one subscription or after a sequence. */
  public JsonArray deliveries(String subscriptionId, long since) {
    return sender.list(subscriptionId, since);
  }

  /** Forgets every subscription and delivery, and stops their timers. */
  public void reset() {
    active.values().forEach(this::cancelTimers);
    active.clear();
    ended.clear();
    sender.reset();
  }

  // ---------------------------------------------------------------- used by SubscriptionsApi

  /** Active subscriptions, oldest first. */
  List<Subscription> activeSubscriptions() {
    List<Subscription> out = new ArrayList<>();
    List.copyOf(active.values()).forEach(s -> {
      if (live(s)) {
        out.add(s);
      }
    });
    return out;
  }

  /** The {@code resource} of the live subscription with this id; empty when there is none. */
  public Optional<String> resourceOf(String id) {
    Subscription s = active.get(id);
    return s == null || !live(s) ? Optional.empty() : Optional.of(s.resource);
  }

  /**
   * An active subscription, as Graph resolves {@code /subscriptions/{id}}.
   *
   * @throws GraphException 404 when unknown, expired, deleted or removed
   */
  Subscription require(String id) {
    Subscription s = active.get(id);
    if (s == null || !live(s)) {
      Subscription gone = ended.get(id);
      throw GraphException.notFound(gone == null ? "Subscription " + id + " was not found."
          : "Subscription " + id + " no longer exists: it " + switch (gone.state) {
            case EXPIRED -> "expired at " + Subscription.format(gone.expiration);
            case REMOVED -> "was removed (subscriptionRemoved)";
            default -> "was deleted";
          } + ".");
    }
    return s;
  }

  /**
   * Checks an expiration against the resource's maximum lifetime, on the emulated clock.
   *
   * @throws GraphException 400 when it is not in the future or beyond the maximum
   */
  void checkExpiration(Instant expiration, SubscribedResource watched) {
    Instant now = clock.now();
    if (!expiration.isAfter(now)) {
      throw new GraphException(400, "InvalidRequest", "Subscription expiration " + Subscription.format(expiration)
          + " is in the past: it must be in the future, and the emulated time is " + Subscription.format(now)
          + " (GET /emulator/clock).");
    }
    Duration max = watched.kind().maxLifetime;
    if (expiration.isAfter(now.plus(max))) {
      throw new GraphException(400, "ExtensionError", "Subscription expiration can only be " + max.toMinutes()
          + " minutes in the future. (" + watched.kind().label + " subscriptions; the emulated time is "
          + Subscription.format(now) + ", GET /emulator/clock.)");
    }
  }

  /** Registers a validated subscription and arms its timers. */
  Subscription add(Subscription s) {
    active.put(s.id, s);
    arm(s);
    LOG.info("Subscription {} created on {} (expires {})", s.id, s.resource, Subscription.format(s.expiration));
    return s;
  }

  /** Renews: a new expiration (checked by the caller), a new lifetime. */
  void renew(Subscription s, Instant expiration, String notificationUrl) {
    s.expiration = expiration;
    s.lifetimeStart = clock.now();
    if (notificationUrl != null) {
      s.notificationUrl = notificationUrl;
    }
    s.renewals++;
    arm(s);
  }

  void delete(Subscription s) {
    end(s, Subscription.State.DELETED);
  }

  // ---------------------------------------------------------------- internals

  /** Whether the subscription is still active; expires it if its time has come before its timer. */
  private boolean live(Subscription s) {
    if (s.active() && !clock.now().isBefore(s.expiration)) {
      end(s, Subscription.State.EXPIRED);
    }
    return s.active();
  }

  private void arm(Subscription s) {
    cancelTimers(s);
    Instant now = clock.now();
    s.expiryTimer = timers.setTimer(Duration.between(now, s.expiration), t -> {
      s.expiryTimer = -1;
      if (s.active()) {
        end(s, Subscription.State.EXPIRED);
      }
    });
    s.reauthorizationRequiredSent = false;
    if (s.lifecycleNotificationUrl != null) {
      Duration lifetime = Duration.between(s.lifetimeStart, s.expiration);
      Instant at = s.expiration.minus(lifetime.multipliedBy(REAUTHORIZE_AT_PERCENT_LEFT).dividedBy(100));
      Duration wait = Duration.between(now, at);
      s.reauthorizationTimer = timers.setTimer(wait.isNegative() ? Duration.ZERO : wait, t -> {
        s.reauthorizationTimer = -1;
        if (live(s) && !s.reauthorizationRequiredSent) {
          s.reauthorizationRequiredSent = true;
          sendLifecycle(s, "reauthorizationRequired");
        }
      });
    }
  }

  private void cancelTimers(Subscription s) {
    if (s.expiryTimer >= 0) {
      timers.cancelTimer(s.expiryTimer);
      s.expiryTimer = -1;
    }
    if (s.reauthorizationTimer >= 0) {
      timers.cancelTimer(s.reauthorizationTimer);
      s.reauthorizationTimer = -1;
    }
  }

  private void end(Subscription s, Subscription.State state) {
    if (!s.active()) {
      return;
    }
    cancelTimers(s);
    s.state = state;
    s.ended = clock.now();
    active.remove(s.id);
    ended.put(s.id, s);
    sender.cancel(s.id, "subscription " + state.json);
    LOG.info("Subscription {} {}", s.id, state.json);
  }

  /** Sends a change notification; with {@code encryptedContent} (non-null), its collection carries a validation token. */
  private String change(Subscription s, String changeType, String resource, JsonObject resourceData,
      JsonObject encryptedContent) {
    JsonObject n = s.notificationBase(app.tenantId())
        .put("id", UUID.randomUUID().toString())
        .put("changeType", changeType)
        .put("resource", resource)
        .put("resourceData", resourceData);
    if (encryptedContent != null) {
      n.put("encryptedContent", encryptedContent);
    }
    s.notifications++;
    s.lastNotification = clock.now();
    // One notification per collection, so one app and tenant: one token (Graph sends one per app and tenant pair).
    List<String> tokens = encryptedContent == null ? List.of() : List.of(validationToken.get());
    return sender.send(s.id, false, s.notificationUrl, resource, n, tokens);
  }

  private String sendLifecycle(Subscription s, String event) {
    JsonObject n = s.notificationBase(app.tenantId()).put("lifecycleEvent", event);
    s.notifications++;
    s.lastNotification = clock.now();
    return sender.send(s.id, true, s.lifecycleNotificationUrl, "/subscriptions/" + s.id + "/" + event, n, List.of());
  }
}
