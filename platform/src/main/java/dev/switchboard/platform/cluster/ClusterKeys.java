package dev.switchboard.platform.cluster;

import com.hazelcast.map.IMap;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.routing.KeyPlacement;
import dev.switchboard.platform.routing.KeyRouter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One owner per key in the whole cluster. The replicated map {@code switchboard.owners} holds each live key's claim,
 * {@code <member id>#<n>}; a member claims a key it receives first ({@code putIfAbsent}: new keys spread as the load
 * balancer spreads the calls), forwards a message for a key another live member owns to that member over the
 * clustered event bus, and takes a key whose owner left (compare-and-set on the claim) once that owner is fenced:
 * it announced its leaving, or left longer ago than its lease lasts. Notifications and events for one key that arrive
 * at this member are routed one after another, each once the owner has queued the previous one, so per-key order
 * holds across members as long as Graph waits for each answer (it does, per call); commands are answered once handled
 * and queue behind nothing here (their handler may send to the key again). A handler gets a message only while this
 * member holds its lease and its claim on the key ({@link #mayAct}).
 *
 * <p>All state is on the key router's context.
 */
final class ClusterKeys implements KeyPlacement {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterKeys.class);
  static final String DELIVER = "switchboard.cluster.keys.";
  static final String OWNERS = HazelcastSettings.MAP_PREFIX + "owners";

  private final Vertx vertx;
  private final KeyRouter router;
  private final Membership membership;
  private final IMap<String, String> owners;
  private final Duration routeTimeout;
  private final ClusterStats stats;
  private MemberLease lease;
  /** This member's claims, by key. */
  private final Map<String, String> owned = new HashMap<>();
  /** The routing of the last message for a key that arrived here, while it is under way. */
  private final Map<String, Future<Void>> tails = new HashMap<>();
  /** The messages forwarded to each member and not answered yet: tried again at once if it leaves. */
  private final Map<String, Set<Attempt>> forwarding = new HashMap<>();
  private long claims;
  private MessageConsumer<JsonObject> consumer;

  ClusterKeys(Vertx vertx, KeyRouter router, Membership membership, IMap<String, String> owners, Duration routeTimeout,
      ClusterStats stats) {
    this.vertx = vertx;
    this.router = router;
    this.membership = membership;
    this.owners = owners;
    this.routeTimeout = routeTimeout;
    this.stats = stats;
  }

  Future<Void> start(MemberLease lease) {
    this.lease = lease;
    Promise<Void> registered = Promise.promise();
    router.context().runOnContext(v -> {
      consumer = vertx.eventBus().consumer(DELIVER + membership.self(), this::onForwarded);
      consumer.completion().onComplete(registered);
    });
    return registered.future();
  }

  @Override
  public Routed route(KeyedMessage message, Function<KeyedMessage, Future<JsonObject>> here) {
    String key = message.key();
    Promise<Void> accepted = Promise.promise();
    Promise<JsonObject> handled = Promise.promise();
    long deadline = System.nanoTime() + routeTimeout.toNanos();
    Attempt attempt = new Attempt(message, here, accepted, handled, deadline);
    if (ForwardedMessages.awaitsReply(message)) {
      // A command is answered once handled, and its handler may itself send to the key: it queues behind nothing.
      attempt.run();
      return new Routed(accepted.future(), handled.future());
    }
    Future<Void> previous = tails.get(key);
    Future<Void> tail = accepted.future();
    tails.put(key, tail);
    tail.onComplete(x -> {
      if (tails.get(key) == tail) {
        tails.remove(key);
      }
    });
    if (previous == null) {
      attempt.run();
    } else {
      previous.onComplete(x -> onRouting(attempt::run));
    }
    return new Routed(accepted.future(), handled.future());
  }

  @Override
  public boolean mayAct(String key) {
    return lease.valid() && owned.containsKey(key);
  }

  @Override
  public void released(String key) {
    String claim = owned.remove(key);
    if (claim != null && lease.valid()) {
      blocking(() -> owners.remove(key, claim)).onFailure(e -> LOG.debug("Claim on key {} stays in {}: {}", key,
          OWNERS, e.getMessage()));
    }
  }

  /**
   * Drops every key here without acting on it: the lease is lost, others will take them. On any thread; completes
   * once they are dropped.
   */
  Future<Void> fence() {
    Promise<Void> dropped = Promise.promise();
    onRouting(() -> {
      List<String> keys = new ArrayList<>(owned.keySet());
      owned.clear();
      keys.forEach(router::abandon);
      if (!keys.isEmpty()) {
        LOG.warn("Cluster member {} dropped its {} keys; the other members take them", membership.self(), keys.size());
      }
      dropped.complete();
    });
    return dropped.future();
  }

  /**
   * Member {@code departed} left (or announced its leaving): messages forwarded to it and not answered are routed
   * again now, and once its lease has surely lapsed ({@link MemberLease#settle}) this member takes its share of its
   * keys. On any thread.
   */
  void departed(String departed) {
    onRouting(() -> {
      Set<Attempt> unanswered = forwarding.remove(departed);
      if (unanswered != null) {
        unanswered.forEach(Attempt::reroute);
      }
    });
    if (lease != null) {
      lease.settle(departed).onComplete(x -> takeShareOf(departed));
    }
  }

  /** How many keys this member owns now. */
  Future<Integer> ownedCount() {
    Promise<Integer> count = Promise.promise();
    onRouting(() -> count.complete(owned.size()));
    return count.future();
  }

  /**
   * Takes a share of the keys of member {@code departed} (those that hash to this member among the live ones) once
   * it is fenced, and arms their timers here, so that keys with no message coming (a call waiting for a timer) move
   * too. The other keys move to whichever member their next message reaches.
   */
  private void takeShareOf(String departed) {
    long delay = membership.msUntilMovable(departed);
    vertx.setTimer(delay, t -> onRouting(() -> {
      if (!membership.movable(departed)) {
        takeShareOf(departed); // it came back, or left later than we thought
        return;
      }
      if (!lease.valid()) {
        return;
      }
      List<String> live = membership.members();
      int me = live.indexOf(membership.self());
      if (me < 0) {
        return;
      }
      blocking(() -> {
        Map<String, String> theirs = new HashMap<>();
        owners.entrySet().forEach(e -> {
          if (memberOf(e.getValue()).equals(departed) && Math.floorMod(e.getKey().hashCode(), live.size()) == me) {
            theirs.put(e.getKey(), e.getValue());
          }
        });
        return theirs;
      }).onSuccess(theirs -> theirs.forEach((key, claim) -> takeOver(key, claim).onFailure(e -> LOG.debug(
          "Key {} of departed member {} was not taken here: {}", key, departed, e.getMessage()))));
    }));
  }

  /** Replaces {@code claim} (of a fenced member) with one of ours; arms the key's timers here. */
  private Future<Boolean> takeOver(String key, String claim) {
    String mine = newClaim();
    return blocking(() -> owners.replace(key, claim, mine)).compose(replaced -> {
      if (!replaced) {
        return Future.succeededFuture(false);
      }
      owned.put(key, mine);
      stats.migrated();
      LOG.debug("Took key {} over from {}", key, memberOf(claim));
      return router.adoptTimers(key).map(true);
    });
  }

  private String newClaim() {
    return membership.self() + "#" + (++claims);
  }

  static String memberOf(String claim) {
    int hash = claim.lastIndexOf('#');
    return hash < 0 ? claim : claim.substring(0, hash);
  }

  /** A message for another member's key, forwarded here because we own it (or did when it was sent). */
  private void onForwarded(Message<JsonObject> request) {
    KeyedMessage message;
    try {
      message = ForwardedMessages.decode(request.body());
    } catch (RuntimeException e) {
      request.fail(400, e.getMessage());
      return;
    }
    String key = message.key();
    Future<Boolean> ours = !lease.valid() ? Future.succeededFuture(false)
        : owned.containsKey(key) ? Future.succeededFuture(true)
        : blocking(() -> owners.get(key)).compose(claim -> {
          if (claim != null && memberOf(claim).equals(membership.self()) && lease.valid()) {
            boolean adopt = owned.put(key, claim) == null;
            return adopt ? router.adoptTimers(key).map(true) : Future.succeededFuture(true);
          }
          return Future.succeededFuture(false);
        });
    ours.onComplete(ar -> {
      if (ar.failed() || !ar.result()) {
        SwitchboardException e = notOwner(key);
        request.fail(e.status(), e.toJson().encode());
        return;
      }
      Future<JsonObject> handled = router.deliverHere(message);
      if (ForwardedMessages.awaitsReply(message)) {
        handled.onComplete(result -> {
          if (result.succeeded()) {
            request.reply(result.result() == null ? new JsonObject() : result.result());
          } else {
            SwitchboardException e = SwitchboardException.from(result.cause());
            request.fail(e.status(), e.toJson().encode());
          }
        });
      } else {
        request.reply(new JsonObject());
        // The sender answered Graph 202 on this reply: a failure now would be lost without a trace.
        handled.onFailure(e -> LOG.warn("A forwarded {} for key {} of {} was accepted here but not handled: {}",
            message.getClass().getSimpleName(), key, message.address(), e.getMessage()));
      }
    });
  }

  private SwitchboardException notOwner(String key) {
    return new SwitchboardException(ErrorCode.NOT_READY, "notOwner", "Cluster member " + membership.self()
        + " does not own key " + key + " (any more)");
  }

  /** One message's way to its owner, tried again while the owner is unknown, moving or fenced. */
  private final class Attempt {
    final KeyedMessage message;
    final Function<KeyedMessage, Future<JsonObject>> here;
    final Promise<Void> accepted;
    final Promise<JsonObject> handled;
    final long deadline;
    /** Counts the forwards of this message: the answer to one that was given up on is ignored. */
    int sent;

    Attempt(KeyedMessage message, Function<KeyedMessage, Future<JsonObject>> here, Promise<Void> accepted,
        Promise<JsonObject> handled, long deadline) {
      this.message = message;
      this.here = here;
      this.accepted = accepted;
      this.handled = handled;
      this.deadline = deadline;
    }

    void run() {
      String key = message.key();
      if (!lease.valid()) {
        fail(new SwitchboardException(ErrorCode.NOT_READY, "notInCluster", "Cluster member " + membership.self()
            + " cannot route key " + key + ": " + lease.problem()));
        return;
      }
      if (owned.containsKey(key)) {
        local();
        return;
      }
      blocking(() -> owners.get(key)).onComplete(read -> {
        if (read.failed()) {
          retryOrFail(read.cause(), 200);
          return;
        }
        String claim = read.result();
        if (claim == null) {
          String mine = newClaim();
          blocking(() -> owners.putIfAbsent(key, mine)).onComplete(put -> {
            if (put.failed()) {
              retryOrFail(put.cause(), 200);
            } else if (put.result() == null) {
              owned.put(key, mine);
              local();
            } else {
              run(); // claimed meanwhile elsewhere
            }
          });
          return;
        }
        String owner = memberOf(claim);
        if (owner.equals(membership.self())) {
          owned.put(key, claim); // ours from before a lapse of the lease: the timers were dropped with it
          router.adoptTimers(key).onComplete(x -> local());
        } else if (membership.isLive(owner)) {
          forward(owner);
        } else if (membership.movable(owner)) {
          takeOver(key, claim).onComplete(took -> {
            if (took.failed()) {
              retryOrFail(took.cause(), 200);
            } else if (took.result()) {
              local();
            } else {
              run();
            }
          });
        } else {
          // Its departure was just seen: look again soon, MemberLease.settle may find its lease lapsed earlier.
          retryOrFail(null, Math.min(100, membership.msUntilMovable(owner)));
        }
      });
    }

    private void local() {
      accepted.complete();
      here.apply(message).onComplete(handled);
    }

    private void forward(String owner) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      DeliveryOptions options = new DeliveryOptions().setSendTimeout(
          ForwardedMessages.awaitsReply(message) ? left : Math.min(left, 2_000));
      int forward = ++sent;
      forwarding.computeIfAbsent(owner, x -> new HashSet<>()).add(this);
      vertx.eventBus().<JsonObject>request(DELIVER + owner, ForwardedMessages.encode(message), options)
          .onComplete(reply -> onRouting(() -> {
            Set<Attempt> pending = forwarding.get(owner);
            if (pending != null && pending.remove(this) && pending.isEmpty()) {
              forwarding.remove(owner);
            }
            if (forward != sent) {
              return; // given up on when the owner left, and routed again
            }
            if (reply.succeeded()) {
              stats.forwarded();
              accepted.complete();
              handled.complete(ForwardedMessages.awaitsReply(message) ? reply.result().body() : null);
            } else if (reply.cause() instanceof ReplyException e && e.failureType() == ReplyFailure.RECIPIENT_FAILURE
                && !SwitchboardException.from(e).errorId().equals("notOwner")) {
              accepted.complete(); // the owner had it: its handler failed
              handled.fail(SwitchboardException.from(e));
            } else {
              retryOrFail(reply.cause(), 100); // owner gone, frozen or no longer the owner: look again
            }
          }));
    }

    /** The owner this message was forwarded to left before answering: route it again now. */
    void reroute() {
      sent++;
      run();
    }

    private void retryOrFail(Throwable cause, long delayMs) {
      if (System.nanoTime() + delayMs * 1_000_000 - deadline > 0) {
        fail(new SwitchboardException(ErrorCode.NOT_READY, "noOwner", "No cluster member took key "
            + message.key() + " of " + message.address() + " within " + routeTimeout.toMillis() + " ms"
            + (cause == null ? "" : " (" + cause.getMessage() + ")")));
        return;
      }
      vertx.setTimer(delayMs, t -> onRouting(this::run));
    }

    private void fail(SwitchboardException e) {
      accepted.tryFail(e);
      handled.tryFail(e);
    }
  }

  private <T> Future<T> blocking(Callable<T> work) {
    Promise<T> result = Promise.promise();
    vertx.executeBlocking(work, false).onComplete(ar -> onRouting(() -> result.handle(ar)));
    return result.future();
  }

  private void onRouting(Runnable action) {
    router.context().runOnContext(v -> action.run());
  }
}
