package dev.switchboard.platform.subscriptions;

import dev.switchboard.api.ChangeHandler;
import dev.switchboard.api.GraphClient;
import dev.switchboard.api.GraphException;
import dev.switchboard.api.Registration;
import dev.switchboard.api.StateStore;
import dev.switchboard.api.SubscriptionRequest;
import dev.switchboard.platform.richdata.RefusedResourceData;
import dev.switchboard.platform.richdata.RichNotifications;
import dev.switchboard.platform.richdata.ValidationTokens;
import dev.switchboard.platform.storage.AtomicFiles;
import dev.switchboard.platform.vertx.OwnContext;
import io.vertx.core.Context;
import dev.switchboard.platform.metrics.SwitchboardMetrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Graph change-notification subscriptions plugins ask for: creates each with a random
 * {@code clientState}, persists them under {@code data.dir} so that a restart reuses rather than duplicates
 * them, renews them before they expire (within each resource's maximum lifetime), answers lifecycle events
 * ({@code reauthorizationRequired}: reauthorize; {@code subscriptionRemoved}: create again and ask the plugin to
 * resync; {@code missed}: ask the plugin to resync), and deletes them when their plugin is gone for good.
 *
 * <p>A subscription {@linkplain SubscriptionRequest#includeResourceData() with resource data} is given the current
 * encryption certificate when it is created, and the newer one at the renewal after a rotation; each of its
 * notifications is checked and decrypted by {@link RichNotifications} before its plugin sees it, in arrival order.
 *
 * <p>All state lives on one context of its own; public methods may be called from any thread.
 */
public final class SubscriptionManager {

  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionManager.class);
  private static final Duration RETRY = Duration.ofSeconds(30);

  private final Vertx vertx;
  /** The context all state lives on: its own, from {@link OwnContext}. */
  private final Future<Context> context;
  private final Supplier<GraphClient> graph;
  private final Supplier<String> publicUrl;
  private final Duration configuredLifetime;
  private final Path store;
  private final RichNotifications rich;
  private final Map<String, ManagedSubscription> byKey = new HashMap<>();
  private final Map<String, ManagedSubscription> byGraphId = new HashMap<>();
  private final SecureRandom random = new SecureRandom();
  private NotificationJournal journal;

  /**
   * @param graph the Graph client subscriptions are made with
   * @param publicUrl the base URL Graph reaches this server at ({@code http.publicUrl})
   * @param configuredLifetime the lifetime to ask for, or {@code null} for each resource's maximum
   * @param store the file the subscriptions are kept in
   * @param rich the checks and decryption of notifications with resource data, and their keys
   */
  public SubscriptionManager(Vertx vertx, Supplier<GraphClient> graph, Supplier<String> publicUrl,
      Duration configuredLifetime, Path store, RichNotifications rich) {
    this.vertx = vertx;
    this.context = OwnContext.create(vertx);
    this.graph = graph;
    this.publicUrl = publicUrl;
    this.configuredLifetime = configuredLifetime;
    this.store = store;
    this.rich = rich;
    SubscriptionMeters.register(SwitchboardMetrics.of(vertx), this);
  }

  /**
   * Reads the subscriptions and encryption keys kept by a previous run (the subscriptions are checked with Graph
   * when a plugin attaches), and keeps accepted notifications in {@code journal} from now on: those a previous run
   * accepted and did not hand over wait in their subscription's queue for its plugin.
   */
  public Future<Void> load(StateStore journal) {
    this.journal = new NotificationJournal(journal);
    return rich.keys().load().compose(keys -> vertx.executeBlocking(
        () -> Files.exists(store) ? new JsonArray(Files.readString(store)) : new JsonArray(), false)
        .compose(stored -> on(() -> {
          for (Object o : stored) {
            ManagedSubscription s = ManagedSubscription.fromStored((JsonObject) o);
            s.channel.whenHandled(this.journal::done);
            byKey.put(s.key(), s);
            if (s.graphId != null) {
              byGraphId.put(s.graphId, s);
            }
          }
          return null;
        })).recover(e -> {
          LOG.error("Could not read {} ({}); subscriptions will be created anew", store, e.getMessage());
          return Future.succeededFuture();
        })).compose(v -> this.journal.load()).compose(accepted -> on(() -> {
          int waiting = 0;
          for (NotificationJournal.Entry entry : accepted) {
            ManagedSubscription s = byGraphId.get(entry.subscriptionId());
            if (s == null) {
              LOG.warn("A change notification accepted before the restart belongs to subscription {}, which is gone;"
                  + " it is dropped", entry.subscriptionId());
              this.journal.done(entry.key());
            } else {
              s.channel.offer(entry.notification(), entry.key(), context.result());
              waiting++;
            }
          }
          if (waiting > 0) {
            LOG.info("{} change notifications accepted before the restart wait for their plugins", waiting);
          }
          return null;
        }));
  }

  /**
   * Makes sure {@code request} exists for {@code plugin} and sends its notifications to {@code handler} on
   * {@code handlerContext}. Closing the registration detaches the handler; the subscription stays.
   */
  public Registration attach(String plugin, SubscriptionRequest request, ChangeHandler handler,
      Context handlerContext) {
    Object owner = new Object();
    onContext(v -> {
      ManagedSubscription s = byKey.computeIfAbsent(ManagedSubscription.key(plugin, request), k -> {
        ManagedSubscription made = new ManagedSubscription(plugin, request);
        made.channel.whenHandled(journal::done);
        return made;
      });
      s.channel.attach(owner, handler, handlerContext, context.result());
      if (s.graphId == null) {
        create(s, null);
      } else if (!s.verified) {
        verify(s);
      }
    });
    return () -> onContext(v -> byKey.values().forEach(s -> s.channel.detach(owner, context.result())));
  }

  /**
   * Handles one change notification from {@code /callbacks/notifications}; the result says what happened
   * ({@code accepted}, or why it was refused). An accepted notification is written down (on the disk) before the
   * future completes, and handed to its plugin in arrival order; a failed future means it could not be written
   * down: answer Graph with an error, so that it sends it again.
   *
   * @param tokens the {@code validationTokens} of the collection it came in
   */
  public Future<String> notification(JsonObject item, ValidationTokens tokens) {
    return on(() -> check(item, "notification")).compose(checked -> {
      if (checked.refusal() != null) {
        return Future.succeededFuture(checked.refusal());
      }
      ManagedSubscription s = checked.subscription();
      // The place keeps the arrival order while the notification is checked, decrypted and written down.
      Channel.Item place = s.channel.reserve(context.result());
      Future<JsonObject> ready = s.request.includeResourceData()
          ? rich.verify(tokens).compose(v -> rich.open(item)) : Future.succeededFuture(item);
      return ready.transform(opened -> opened.failed() ? on(() -> refused(s, place, opened.cause()))
          : journal.write(s.graphId, opened.result()).transform(written -> on(() -> {
            if (written.failed()) {
              s.channel.cancel(place, context.result());
              throw new IllegalStateException("the notification could not be written down ("
                  + written.cause().getMessage() + "); Graph is asked to send it again", written.cause());
            }
            delivered(s);
            s.channel.fill(place, opened.result(), written.result(), context.result());
            return "accepted";
          })));
    });
  }

  /** A notification with resource data that failed its checks: it loses its place and is counted. */
  private String refused(ManagedSubscription s, Channel.Item place, Throwable cause) {
    s.channel.cancel(place, context.result());
    s.resourceDataRefusals++;
    String outcome = cause instanceof RefusedResourceData r ? r.outcome() : "failed";
    LOG.warn("Refused a notification with resource data for subscription {} ({}) of plugin {}: {}. It is not"
        + " delivered, and counted in /metrics (outcome {}); if it repeats, check graph.clientId,"
        + " graph.validationTokenOpenIdConfigUrl and graph.validationTokenIssuer, and that data.dir still holds"
        + " encryption-keys.json", s.graphId, s.request.resource(), s.plugin, cause.getMessage(), outcome);
    return outcome;
  }

  private static void delivered(ManagedSubscription s) {
    s.notifications++;
    s.lastNotificationAt = Instant.now();
  }

  /** Handles one lifecycle notification from {@code /callbacks/lifecycle}. */
  public Future<String> lifecycle(JsonObject item) {
    return on(() -> {
      Checked checked = check(item, "lifecycle notification");
      if (checked.refusal() != null) {
        return checked.refusal();
      }
      ManagedSubscription s = checked.subscription();
      String event = String.valueOf(item.getString("lifecycleEvent"));
      LOG.info("Subscription {} ({}) of plugin {}: lifecycle event {}", s.graphId, s.request.resource(), s.plugin, event);
      switch (event) {
        case "reauthorizationRequired":
          reauthorize(s);
          break;
        case "subscriptionRemoved":
          forget(s);
          create(s, "subscriptionRemoved");
          break;
        case "missed":
          s.channel.resync("missed", context.result());
          break;
        default:
          return "unknownLifecycleEvent";
      }
      return "accepted";
    });
  }

  /** The subscription a notification is for, or why it is refused. */
  private record Checked(ManagedSubscription subscription, String refusal) {
  }

  private Checked check(JsonObject item, String kind) {
    ManagedSubscription s = byGraphId.get(item.getString("subscriptionId"));
    if (s == null) {
      return new Checked(null, "unknownSubscription");
    }
    if (!sameSecret(s.clientState, item.getString("clientState"))) {
      s.clientStateMismatches++;
      LOG.warn("Ignored a {} for subscription {} ({}) whose clientState does not match", kind, s.graphId,
          s.request.resource());
      return new Checked(null, "clientStateMismatch");
    }
    return new Checked(s, null);
  }

  /** Deletes every subscription of {@code plugin} (its bundle was uninstalled and nothing else provides it). */
  public Future<Void> pluginGone(String plugin) {
    return on(() -> List.copyOf(byKey.values()).stream().filter(s -> s.plugin.equals(plugin)).toList())
        .compose(gone -> {
          List<Future<Void>> deletions = gone.stream().map(s -> delete(s, "plugin " + plugin + " is uninstalled"))
              .toList();
          return Future.join(deletions).mapEmpty();
        });
  }

  /** Deletes {@code plugin}'s subscription {@code request} (the plugin no longer needs it); absent is fine. */
  public Future<Void> remove(String plugin, SubscriptionRequest request) {
    return on(() -> byKey.get(ManagedSubscription.key(plugin, request)))
        .compose(s -> s == null ? Future.succeededFuture() : delete(s, "plugin " + plugin + " no longer needs it"));
  }

  /** Every kept subscription, for {@code GET /admin/subscriptions}. */
  public Future<JsonArray> list() {
    return on(() -> new JsonArray(byKey.values().stream().map(ManagedSubscription::toAdmin).toList()));
  }

  /** How many kept subscriptions are in each status ({@code creating}, {@code active}, ...), for metrics. */
  Future<Map<String, Integer>> countByStatus() {
    return on(() -> {
      Map<String, Integer> counts = new java.util.TreeMap<>();
      byKey.values().forEach(s -> counts.merge(s.status, 1, Integer::sum));
      return counts;
    });
  }

  private void create(ManagedSubscription s, String resyncReason) {
    s.status("creating");
    s.clientState = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
    Instant expiration = Instant.now().plus(lifetime(s));
    JsonObject body = new JsonObject()
        .put("changeType", String.join(",", s.request.changeTypes()))
        .put("notificationUrl", publicUrl.get() + "/callbacks/notifications")
        .put("lifecycleNotificationUrl", publicUrl.get() + "/callbacks/lifecycle")
        .put("resource", s.request.resource())
        .put("expirationDateTime", expiration.toString())
        .put("clientState", s.clientState);
    withCertificate(s, body).compose(b -> graph.get().post("/subscriptions", b)).onComplete(ar -> onContext(v -> {
      if (ar.failed()) {
        failed(s, "could not create it: " + ar.cause().getMessage(), () -> create(s, resyncReason));
        return;
      }
      JsonObject created = ar.result().body();
      s.graphId = created.getString("id");
      s.encryptionCertificateId = body.getString("encryptionCertificateId");
      if (byKey.get(s.key()) != s) {
        // Removed while being created: delete what Graph made.
        byGraphId.put(s.graphId, s);
        delete(s, "plugin " + s.plugin + " no longer needs it");
        return;
      }
      s.expiration = parseInstant(created.getString("expirationDateTime"), expiration);
      s.status("active");
      s.verified = true;
      byGraphId.put(s.graphId, s);
      LOG.info("Created subscription {} to {} for plugin {}, expiring {}", s.graphId, s.request.resource(), s.plugin,
          s.expiration);
      save();
      scheduleRenewal(s);
      if (resyncReason != null) {
        s.channel.resync(resyncReason, context.result());
      }
    }));
  }

  /** After a restart: is the stored subscription still there? Reuse it, or create it again. */
  private void verify(ManagedSubscription s) {
    s.verified = true;
    graph.get().get("/subscriptions/" + s.graphId).onComplete(ar -> onContext(v -> {
      if (ar.succeeded()) {
        s.expiration = parseInstant(ar.result().body().getString("expirationDateTime"), s.expiration);
        s.status("active");
        LOG.info("Reusing subscription {} to {} for plugin {}", s.graphId, s.request.resource(), s.plugin);
        if (s.request.includeResourceData() && rich.keys().find(String.valueOf(s.encryptionCertificateId)) == null) {
          LOG.warn("Subscription {} ({}) has encryption certificate {}, which data.dir no longer holds; renewing it"
              + " now with the current one", s.graphId, s.request.resource(), s.encryptionCertificateId);
          renew(s);
          return;
        }
        scheduleRenewal(s);
      } else if (ar.cause() instanceof GraphException g && g.graphStatus() == 404) {
        forget(s);
        create(s, "subscriptionRemoved");
      } else {
        s.verified = false;
        failed(s, "could not check it: " + ar.cause().getMessage(), () -> verify(s));
      }
    }));
  }

  private void renew(ManagedSubscription s) {
    Instant expiration = Instant.now().plus(lifetime(s));
    JsonObject body = new JsonObject().put("expirationDateTime", expiration.toString());
    withCertificate(s, body).compose(b -> graph.get().patch("/subscriptions/" + s.graphId, b))
        .onComplete(ar -> onContext(v -> {
          if (ar.succeeded()) {
            if (body.containsKey("encryptionCertificateId")) {
              s.encryptionCertificateId = body.getString("encryptionCertificateId");
              LOG.info("Subscription {} ({}) now has encryption certificate {}", s.graphId, s.request.resource(),
                  s.encryptionCertificateId);
            }
            s.expiration = parseInstant(ar.result().body().getString("expirationDateTime"), expiration);
            s.status("active");
            LOG.info("Renewed subscription {} to {} until {}", s.graphId, s.request.resource(), s.expiration);
            save();
            scheduleRenewal(s);
          } else if (ar.cause() instanceof GraphException g && g.graphStatus() == 404) {
            forget(s);
            create(s, "subscriptionRemoved");
          } else {
            failed(s, "could not renew it: " + ar.cause().getMessage(), () -> renew(s));
          }
        }));
  }

  /**
   * {@code body} with the current encryption certificate when {@code s} carries resource data and has another
   * one (or none yet); the keys no subscription uses any more are dropped meanwhile.
   */
  private Future<JsonObject> withCertificate(ManagedSubscription s, JsonObject body) {
    if (!s.request.includeResourceData()) {
      return Future.succeededFuture(body);
    }
    return rich.keys().current().map(key -> {
      if (s.graphId == null) {
        body.put("includeResourceData", true); // fixed at creation: a renewal may only change the certificate
      }
      if (s.graphId == null || !key.id().equals(s.encryptionCertificateId)) {
        body.put("encryptionCertificate", key.certificateBase64()).put("encryptionCertificateId", key.id());
      }
      rich.keys().prune(certificatesInUse());
      return body;
    });
  }

  /** Read on any thread: a snapshot good enough for pruning, which keeps what a racing renewal still uses. */
  private java.util.Set<String> certificatesInUse() {
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (ManagedSubscription s : List.copyOf(byKey.values())) {
      if (s.encryptionCertificateId != null) {
        ids.add(s.encryptionCertificateId);
      }
    }
    return ids;
  }

  private void reauthorize(ManagedSubscription s) {
    graph.get().post("/subscriptions/" + s.graphId + "/reauthorize", new JsonObject())
        .onComplete(ar -> onContext(v -> {
          if (ar.succeeded()) {
            LOG.info("Reauthorized subscription {} to {}", s.graphId, s.request.resource());
          } else if (ar.cause() instanceof GraphException g && g.graphStatus() == 404) {
            forget(s);
            create(s, "subscriptionRemoved");
          } else {
            // Renewing also reauthorizes.
            renew(s);
          }
        }));
  }

  private Future<Void> delete(ManagedSubscription s, String why) {
    Promise<Void> done = Promise.promise();
    onContext(v -> {
      cancelTimer(s);
      byKey.remove(s.key());
      s.channel.close();
      if (s.graphId == null) {
        save();
        done.complete();
        return;
      }
      byGraphId.remove(s.graphId);
      save();
      graph.get().delete("/subscriptions/" + s.graphId).onComplete(ar -> {
        if (ar.succeeded() || (ar.cause() instanceof GraphException g && g.graphStatus() == 404)) {
          LOG.info("Deleted subscription {} to {}: {}", s.graphId, s.request.resource(), why);
        } else {
          LOG.warn("Could not delete subscription {} to {} ({}); it expires at {}", s.graphId, s.request.resource(),
              ar.cause().getMessage(), s.expiration);
        }
        done.complete();
      });
    });
    return done.future();
  }

  private void forget(ManagedSubscription s) {
    cancelTimer(s);
    if (s.graphId != null) {
      byGraphId.remove(s.graphId);
    }
    s.graphId = null;
  }

  private void failed(ManagedSubscription s, String why, Runnable retry) {
    s.failing(why);
    LOG.error("Subscription to {} for plugin {}: {}; retrying in {} s", s.request.resource(), s.plugin, why,
        RETRY.toSeconds());
    cancelTimer(s);
    s.timer = vertx.setTimer(RETRY.toMillis(), id -> onContext(v -> {
      s.timer = -1;
      retry.run();
    }));
  }

  /** Renews when a quarter of the lifetime is left. */
  private void scheduleRenewal(ManagedSubscription s) {
    cancelTimer(s);
    Duration left = Duration.between(Instant.now(), s.expiration);
    long delay = Math.max(100, left.toMillis() - lifetime(s).toMillis() / 4);
    s.timer = vertx.setTimer(delay, id -> onContext(v -> {
      s.timer = -1;
      renew(s);
    }));
  }

  private void cancelTimer(ManagedSubscription s) {
    if (s.timer >= 0) {
      vertx.cancelTimer(s.timer);
      s.timer = -1;
    }
  }

  private Duration lifetime(ManagedSubscription s) {
    Duration max = SubscriptionLifetimes.maximum(s.request.resource());
    Duration wanted = configuredLifetime != null ? configuredLifetime : SubscriptionLifetimes.withMargin(max);
    return wanted.compareTo(max) > 0 ? SubscriptionLifetimes.withMargin(max) : wanted;
  }

  private void save() {
    JsonArray stored = new JsonArray(byKey.values().stream().filter(s -> s.graphId != null)
        .map(ManagedSubscription::toStored).toList());
    vertx.executeBlocking(() -> {
      AtomicFiles.write(store, stored.encodePrettily().getBytes(StandardCharsets.UTF_8));
      return null;
    }, true).onFailure(e -> LOG.error("Could not save the subscriptions to {}: {}; a restart may create them again",
        store, e.getMessage()));
  }

  /** Runs {@code action} on the manager's context, after everything asked for before it. */
  private void onContext(Handler<Void> action) {
    // Listeners of a future run in the order they were added, and at once when it is complete: order is kept.
    context.onSuccess(c -> c.runOnContext(action));
  }

  private <T> Future<T> on(java.util.concurrent.Callable<T> work) {
    Promise<T> promise = Promise.promise();
    onContext(v -> {
      try {
        promise.complete(work.call());
      } catch (Exception e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static boolean sameSecret(String expected, String actual) {
    return expected != null && actual != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        actual.getBytes(StandardCharsets.UTF_8));
  }

  private static Instant parseInstant(String text, Instant fallback) {
    try {
      return text == null ? fallback : java.time.OffsetDateTime.parse(text).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      try {
        return Instant.parse(text);
      } catch (java.time.format.DateTimeParseException e2) {
        return fallback;
      }
    }
  }
}
