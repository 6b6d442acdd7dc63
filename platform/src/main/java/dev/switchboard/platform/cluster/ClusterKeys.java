package dev.switchboard.platform.cluster;

import static dev.switchboard.platform.cluster.OwnerClaims.memberOf;

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
 * <p>When the lease lapses, the work of this member's keys is held, not dropped ({@link #hold}): nothing of theirs is
 * handed to a handler, but their queues and timers stay. Once the lease is confirmed again, each key whose claim in the
 * map is still the very one this member made (same {@code <member id>#<n>}) goes on where it stopped, in order; the
 * held messages of a key whose claim changed meanwhile are routed again, in order, to its owner now
 * ({@link #resume}). A member that leaves hands its held messages to the others the same way ({@link #handOffAll}).
 *
 * <p>All state is on the key router's context.
 */
final class ClusterKeys implements KeyPlacement {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterKeys.class);
  static final String DELIVER = "switchboard.cluster.keys.";

  private final Vertx vertx;
  private final KeyRouter router;
  private final Membership membership;
  private final OwnerClaims claims;
  private final Duration routeTimeout;
  private final ClusterStats stats;
  private MemberLease lease;
  /** This member's claims, by key, on which it may act while its lease holds. */
  private final Map<String, String> owned = new HashMap<>();
  /** Claims made before the lease last lapsed: their keys' work waits here until {@link #resume} checks them. */
  private final HeldClaims heldClaims = new HeldClaims();
  /** The routing of the last message for a key that arrived here, while it is under way. */
  private final Map<String, Future<Void>> tails = new HashMap<>();
  /** The messages forwarded to each member and not answered yet: tried again at once if it leaves. */
  private final Map<String, Set<Attempt>> forwarding = new HashMap<>();
  private MessageConsumer<JsonObject> consumer;

  ClusterKeys(Vertx vertx, KeyRouter router, Membership membership, IMap<String, String> owners, Duration routeTimeout,
      ClusterStats stats) {
    this.vertx = vertx;
    this.router = router;
    this.membership = membership;
    this.claims = new OwnerClaims(vertx, router::context, owners, membership.self());
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
    return route(message, here, false);
  }

  /**
   * @param handOff a message this member held and gives away: it is placed even while this member's lease is lapsed
   *     or given up (then only at another member), and never waits for held work
   */
  private Routed route(KeyedMessage message, Function<KeyedMessage, Future<JsonObject>> here, boolean handOff) {
    String key = message.key();
    Promise<Void> accepted = Promise.promise();
    Promise<JsonObject> handled = Promise.promise();
    long deadline = System.nanoTime() + routeTimeout.toNanos();
    Attempt attempt = new Attempt(message, here, accepted, handled, deadline, handOff);
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
  public boolean holds(String key) {
    return heldClaims.contains(key) || owned.containsKey(key); // owned, and the lapse not handled yet
  }

  @Override
  public void released(String key) {
    String claim = owned.remove(key);
    heldClaims.forget(key);
    if (claim != null && lease.valid()) {
      claims.release(key, claim);
    }
  }

  /**
   * The lease lapsed or was given up: from now on no handler gets a message of this member's keys and none of their
   * timers fires, but their queued messages and timers stay here ({@link KeyPlacement#holds}) until {@link #resume}
   * or {@link #handOffAll}. On any thread; completes once every claim is held.
   */
  Future<Void> hold() {
    Promise<Void> held = Promise.promise();
    onRouting(() -> {
      int keys = heldClaims.holdAll(owned);
      if (keys > 0) {
        LOG.warn("Cluster member {} holds the work of its {} keys: nothing of theirs is handled until its lease is "
            + "confirmed again and each claim is checked", membership.self(), keys);
      }
      held.complete();
    });
    return held.future();
  }

  /**
   * The lease is confirmed again: reads the claims of the held keys; a key whose claim is still the one this member
   * made goes on here, in order ({@link KeyRouter#resume}), the held messages of any other are routed again, in order,
   * to wherever its claim points now. On any thread.
   */
  void resume() {
    onRouting(() -> {
      if (heldClaims.isEmpty() || !lease.valid()) {
        return;
      }
      Map<String, String> checking = heldClaims.snapshot();
      claims.getAll(checking.keySet()).onComplete(read -> {
        if (read.failed()) {
          LOG.warn("Cluster member {} could not read the claims of its {} held keys ({}); it tries again",
              membership.self(), checking.size(), read.cause().getMessage());
          vertx.setTimer(200, t -> resume());
          return;
        }
        if (!lease.valid()) {
          return; // lapsed again: the next confirmation checks again
        }
        int[] settled = heldClaims.settle(checking, read.result(), (key, claim) -> {
          owned.put(key, claim);
          router.resume(key);
        }, this::handOff);
        LOG.info("Cluster member {} is confirmed again: {} keys go on here, {} keys' held messages go to their "
            + "owners now", membership.self(), settled[0], settled[1]);
      });
    });
  }

  /**
   * Gives away the work of every held key (this member is leaving): each key's held messages are routed, in order, to
   * the member that owns or takes it. Completes once each was accepted there or given up on. On any thread.
   */
  Future<Void> handOffAll() {
    Promise<Void> done = Promise.promise();
    onRouting(() -> {
      List<Future<Void>> accepted = new ArrayList<>();
      heldClaims.releaseAll().forEach(key -> accepted.addAll(handOff(key)));
      Future.join(accepted).onComplete(x -> done.complete());
    });
    return done.future();
  }

  /** Routes the messages held for {@code key} again, in order; when each was accepted by an owner. */
  private List<Future<Void>> handOff(String key) {
    List<Future<Void>> accepted = new ArrayList<>();
    for (KeyRouter.TakenBack taken : router.takeBack(key)) {
      Routed routed = route(taken.message(), router::deliverHere, true);
      routed.handled().onComplete(taken.outcome());
      accepted.add(routed.accepted());
    }
    return accepted;
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
    onRouting(() -> count.complete(owned.size() + heldClaims.size()));
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
      claims.find((key, claim) -> memberOf(claim).equals(departed) && Math.floorMod(key.hashCode(), live.size()) == me)
          .onSuccess(theirs -> theirs.forEach((key, claim) -> takeOver(key, claim).onFailure(e -> LOG.debug(
          "Key {} of departed member {} was not taken here: {}", key, departed, e.getMessage()))));
    }));
  }

  /** Takes the key of a fenced member: {@link #adopt}, counted as a migration. */
  private Future<Boolean> takeOver(String key, String claim) {
    return adopt(key, claim).map(took -> {
      if (took) {
        stats.migrated();
        LOG.debug("Took key {} over from {}", key, memberOf(claim));
      }
      return took;
    });
  }

  /**
   * Replaces {@code claim} with a fresh claim of this member's, which then owns the key, and arms the key's timers
   * here; false if the claim changed meanwhile. For a fenced member's key, and for a key whose claim is this member's
   * own but which it let go (released, or released while fenced): adopting the old claim as it is would let the
   * release's removal still under way delete it.
   */
  private Future<Boolean> adopt(String key, String claim) {
    return claims.replace(key, claim).compose(mine -> {
      if (mine == null) {
        return Future.succeededFuture(false);
      }
      owned.put(key, mine);
      return router.adoptTimers(key).map(true);
    });
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
    Future<Boolean> ours = !lease.valid() || heldClaims.contains(key) ? Future.succeededFuture(false)
        : owned.containsKey(key) ? Future.succeededFuture(true)
        : claims.get(key).compose(claim -> {
          if (!lease.valid()) {
            return Future.succeededFuture(false);
          }
          if (claim == null) {
            // Released meanwhile, or handed here by a leaving member that held it: claim it here.
            return claims.claim(key).map(mine -> {
              if (mine != null) {
                owned.put(key, mine);
              }
              return mine != null;
            });
          }
          String owner = memberOf(claim);
          if (owner.equals(membership.self())) {
            return adopt(key, claim); // ours once, let go here since
          }
          // Handed here by a member that left (or is leaving) with the key's work held.
          return !membership.isLive(owner) && membership.movable(owner) ? takeOver(key, claim)
              : Future.succeededFuture(false);
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
    /** A held message this member gives away: see {@link ClusterKeys#route(KeyedMessage, Function, boolean)}. */
    final boolean handOff;
    /** {@code System.nanoTime()} until which this message waits for a lapsed lease to come back; 0 until it has to. */
    long lapseWaitUntil;
    /** Counts the forwards of this message: the answer to one that was given up on is ignored. */
    int sent;

    Attempt(KeyedMessage message, Function<KeyedMessage, Future<JsonObject>> here, Promise<Void> accepted,
        Promise<JsonObject> handled, long deadline, boolean handOff) {
      this.message = message;
      this.here = here;
      this.accepted = accepted;
      this.handled = handled;
      this.deadline = deadline;
      this.handOff = handOff;
    }

    void run() {
      String key = message.key();
      if (!lease.valid() && !handOff) {
        whileLapsed();
        return;
      }
      if (heldClaims.contains(key) && !handOff) {
        retryOrFail(null, 50); // its held work is checked first (resume), then this queues behind it
        return;
      }
      if (owned.containsKey(key) && lease.valid()) {
        local();
        return;
      }
      claims.get(key).onComplete(read -> {
        if (read.failed()) {
          retryOrFail(read.cause(), 200);
          return;
        }
        String claim = read.result();
        if (!lease.valid() && (claim == null || memberOf(claim).equals(membership.self())
            || !membership.isLive(memberOf(claim)))) {
          toAnotherMember(); // handing off while fenced or leaving: never claimed or taken here
          return;
        }
        if (claim == null) {
          claims.claim(key).onComplete(put -> {
            if (put.failed()) {
              retryOrFail(put.cause(), 200);
            } else if (put.result() != null) {
              owned.put(key, put.result());
              local();
            } else {
              run(); // claimed meanwhile elsewhere
            }
          });
          return;
        }
        String owner = memberOf(claim);
        if (owner.equals(membership.self())) {
          // Ours, but let go here (released, or released while fenced): adopted again under a fresh claim, its timers
          // from the journal.
          localOnceTaken(adopt(key, claim));
        } else if (membership.isLive(owner)) {
          forward(owner);
        } else if (membership.movable(owner)) {
          localOnceTaken(takeOver(key, claim));
        } else {
          // Its departure was just seen: look again soon, MemberLease.settle may find its lease lapsed earlier.
          retryOrFail(null, Math.min(100, membership.msUntilMovable(owner)));
        }
      });
    }

    /**
     * This member's lease has lapsed: a command or event for a key it claims (sent by a handler here, with nobody to
     * send it again) is held with the key's other work; any other message waits up to a lease for the lease to come
     * back (a stall of a moment stays unseen), then fails: a notification is answered 503 and Graph sends it again.
     */
    private void whileLapsed() {
      String key = message.key();
      boolean claimed = owned.containsKey(key) || heldClaims.contains(key);
      if (!(message instanceof KeyedMessage.Notification) && claimed && !lease.givenUp()) {
        local();
        return;
      }
      long now = System.nanoTime();
      if (lapseWaitUntil == 0) {
        lapseWaitUntil = now + lease.duration().toNanos();
      }
      if (!lease.givenUp() && now - lapseWaitUntil < 0) {
        retryOrFail(null, 50);
        return;
      }
      fail(new SwitchboardException(ErrorCode.NOT_READY, "notInCluster", "Cluster member " + membership.self()
          + " cannot route key " + key + ": " + lease.problem()));
    }

    private void local() {
      accepted.complete();
      here.apply(message).onComplete(handled);
    }

    /** Handled here once the key was taken; routed again if its claim changed meanwhile. */
    private void localOnceTaken(Future<Boolean> taken) {
      taken.onComplete(took -> {
        if (took.failed()) {
          retryOrFail(took.cause(), 200);
        } else if (took.result()) {
          local();
        } else {
          run();
        }
      });
    }

    /** To a live member chosen by the key's hash, which claims or takes the key (once this member may be taken). */
    private void toAnotherMember() {
      List<String> others = membership.others().stream().filter(membership::isLive).toList();
      if (others.isEmpty()) {
        retryOrFail(null, 200);
      } else {
        forward(others.get(Math.floorMod(message.key().hashCode(), others.size())));
      }
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

  private void onRouting(Runnable action) {
    router.context().runOnContext(v -> action.run());
  }
}
