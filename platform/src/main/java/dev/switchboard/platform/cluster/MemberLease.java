package dev.switchboard.platform.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This member's lease: it may act on its keys only until {@code lease} after the moment it asked for the
 * confirmation that {@code quorum - 1} peers still count it as a member. Renewed every {@code lease / 3}. A member
 * that is frozen (SIGSTOP, a long GC), cut off, or evicted while healthy stops acting within {@code lease} by its
 * own clock, without hearing from anyone, and holds its keys' work until it is confirmed again.
 *
 * <p>The other side of the argument: each member remembers when it last confirmed each peer. When a peer leaves,
 * {@link #settle} asks every other live member when it last confirmed it, and each stops confirming it from that
 * moment on; the peer's lease cannot outlast the latest of those confirmations plus {@code lease} (it asked before any
 * of them was given), so its keys may move {@link #FENCE_MARGIN} after that ({@link Membership#movable}). Members
 * that do not answer leave the rule at its safe default: {@code lease} plus the margin after the departure was seen.
 */
final class MemberLease {

  private static final Logger LOG = LoggerFactory.getLogger(MemberLease.class);
  static final String CONFIRM = "switchboard.cluster.confirm.";
  static final String LAST_CONFIRMED = "switchboard.cluster.last-confirmed.";
  private static final String YES = "yes";
  private static final String GONE = "gone";
  private static final long STILL_MEMBER = -2;
  /** After a departed member's lease has surely lapsed, its keys wait this much more: clock rates, handlers ending. */
  static final Duration FENCE_MARGIN = Duration.ofMillis(300);

  private final Vertx vertx;
  private final Membership membership;
  private final Duration lease;
  private final int quorum;
  private final Supplier<Future<Void>> onLost;
  private final Runnable onRegained;
  private final Duration awayLimit;
  private final Runnable onExpelled;
  private volatile boolean expelled;
  /** {@code System.nanoTime()} until which the lease holds; lapsed from the start until a first confirmation. */
  private volatile long validUntil = System.nanoTime();
  private volatile boolean confirmedOnce;
  private volatile boolean held;
  private volatile boolean stopped;
  /** Completes once the keys' work is held after the last lapse: the lease is not held again before. */
  private volatile Future<Void> keysHeld = Future.succeededFuture();
  /** When this member last confirmed each peer ({@code System.nanoTime()}), and the peers it confirms no more. */
  private final Map<String, Long> lastConfirmed = new HashMap<>();
  private final Set<String> refused = new HashSet<>();
  private long timer = -1;
  private MessageConsumer<String> confirmer;
  private MessageConsumer<String> reporter;

  /**
   * @param onLost called when a held lease lapses or is given up: the member must stop acting on its keys (it holds
   *     their work); the lease is held again only once the future it returns completed
   * @param onRegained called (on an event loop) each time the lease is held again after a lapse, and the first time
   * @param awayLimit a lease lapsed this long (no peer answers at all) means this member is cut off for good: it
   *     cannot know what it missed, so it is expelled rather than merged back
   * @param onExpelled called once (on an event loop) when that happens
   */
  MemberLease(Vertx vertx, Membership membership, Duration lease, int quorum, Supplier<Future<Void>> onLost,
      Runnable onRegained, Duration awayLimit, Runnable onExpelled) {
    this.onRegained = onRegained;
    this.vertx = vertx;
    this.awayLimit = awayLimit;
    this.onExpelled = onExpelled;
    this.membership = membership;
    this.lease = lease;
    this.quorum = quorum;
    this.onLost = onLost;
  }

  Future<Void> start() {
    // A peer confirms a member it counts among the live ones, and not one that announced its leaving.
    confirmer = vertx.eventBus().consumer(CONFIRM + membership.self(), m -> m.reply(confirm(m.body())));
    reporter = vertx.eventBus().consumer(LAST_CONFIRMED + membership.self(),
        m -> reportLastConfirmed(m.body(), System.nanoTime() + lease.toNanos() / 2, m::reply));
    long period = Math.max(100, lease.toMillis() / 3);
    timer = vertx.setPeriodic(1, period, id -> renew());
    Thread watchdog = new Thread(() -> {
      while (!stopped && !expelled) {
        checkAway();
        try {
          Thread.sleep(period);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "switchboard-cluster-lease-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    return Future.all(confirmer.completion(), reporter.completion()).mapEmpty();
  }

  /**
   * Whether this member vouches for peer {@code id} now ({@value #YES}; remembered), knows it gone from the cluster
   * ({@value #GONE}: removed, or its departure settled here) or does not know it (yet).
   */
  private synchronized String confirm(String id) {
    if (id == null || refused.contains(id) || membership.hasLeft(id)) {
      return GONE;
    }
    if (!membership.confirms(id)) {
      return "unknown";
    }
    lastConfirmed.put(id, System.nanoTime());
    return YES;
  }

  /**
   * Answers another member settling the departure of {@code id}: once {@code id} has left this member's list too
   * (waiting for that until {@code deadline}: the lists of the members change one after another), stops confirming
   * it for good and reports how many ms ago it last confirmed it (-1: never). If it is still a member here, answers
   * {@value #STILL_MEMBER} and refuses nothing: whoever asks (a member that was itself cut off may ask about a
   * healthy one) then falls back to the safe default.
   */
  private void reportLastConfirmed(String id, long deadline, Consumer<Long> answer) {
    if (!membership.members().contains(id)) {
      answer.accept(refuse(id));
    } else if (System.nanoTime() - deadline > 0) {
      answer.accept(STILL_MEMBER);
    } else {
      vertx.setTimer(50, t -> reportLastConfirmed(id, deadline, answer));
    }
  }

  /** Stops confirming peer {@code id} for good; how many ms ago it was last confirmed here (-1: never). */
  private synchronized long refuse(String id) {
    refused.add(id);
    Long last = lastConfirmed.get(id); // kept: every member that settles the departure asks again
    return last == null ? -1 : (System.nanoTime() - last) / 1_000_000;
  }

  /**
   * Settles when the keys of member {@code departed} (gone from the member list, or announced its leaving) may move:
   * asks every other live member when it last confirmed it (each stops confirming it), and if all answer within
   * {@code lease}, tells {@link Membership#movableFrom} the latest of those moments plus {@code lease} and
   * {@link #FENCE_MARGIN}. After a {@code kill -9} that is about {@code lease} after the kill instead of after the
   * departure was noticed; after a freeze, the frozen member's lease lapsed long before it was removed.
   */
  Future<Void> settle(String departed) {
    if (membership.announced(departed) || !valid()) {
      // Announced: movable already. Cut off itself (a resumed member sees the others "leave"): it settles nothing and
      // asks nobody to refuse anyone.
      return Future.succeededFuture();
    }
    long own = refuse(departed);
    long now = System.nanoTime();
    List<Future<Long>> answers = new ArrayList<>();
    answers.add(Future.succeededFuture(own < 0 ? Long.MIN_VALUE : now - own * 1_000_000));
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(lease.toMillis());
    for (String peer : membership.others()) {
      if (!peer.equals(departed)) {
        // The age is taken when the peer answers and counted back from when the answer arrived: never too early.
        answers.add(vertx.eventBus().<Long>request(LAST_CONFIRMED + peer, departed, options).map(reply -> {
          if (reply.body() == STILL_MEMBER) {
            throw new IllegalStateException(peer + " still counts it as a member");
          }
          return reply.body() < 0 ? Long.MIN_VALUE : System.nanoTime() - reply.body() * 1_000_000;
        }));
      }
    }
    return Future.all(answers).map(all -> {
      long latest = answers.stream().mapToLong(Future::result).max().orElse(Long.MIN_VALUE);
      long movable = latest == Long.MIN_VALUE ? System.nanoTime()
          : latest + lease.toNanos() + FENCE_MARGIN.toNanos();
      membership.movableFrom(departed, movable);
      LOG.info("Cluster member {} was last confirmed {}; its keys may move in {} ms", departed,
          latest == Long.MIN_VALUE ? "never" : (System.nanoTime() - latest) / 1_000_000 + " ms ago",
          Math.max(0, (movable - System.nanoTime()) / 1_000_000));
      return (Void) null;
    }).recover(e -> {
      LOG.info("Not every member said when it last confirmed {} ({}): its keys move {} ms after it left", departed,
          e.getMessage(), lease.plus(FENCE_MARGIN).toMillis());
      return Future.succeededFuture();
    });
  }

  /** How long a confirmation lasts. */
  Duration duration() {
    return lease;
  }

  /** Whether the lease was given up for good (this member is leaving). */
  boolean givenUp() {
    return stopped;
  }

  /** Whether this member may act on its keys now. Cheap; any thread. */
  boolean valid() {
    return !stopped && System.nanoTime() - validUntil < 0;
  }

  /** Why this member may not act, or {@code null} when it may. */
  String problem() {
    if (stopped) {
      return "this member is leaving the cluster";
    }
    if (!valid()) {
      return "this member is not confirmed by " + (quorum - 1) + " other cluster member(s) (" + membership.size()
          + " of the quorum of " + quorum + " seen); it takes no calls until it is";
    }
    return null;
  }

  /** Gives the lease up for good (graceful leave): nothing more is acted on here. */
  void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (confirmer != null) {
      confirmer.unregister();
      reporter.unregister();
    }
    checkLost();
  }

  private void renew() {
    checkLost();
    if (stopped) {
      return;
    }
    checkAway();
    renewPeers();
  }

  /**
   * Expels this member once its lease has been lapsed longer than {@code awayLimit} (cut off from every peer).
   * Checked from a thread of its own as well as from the renewals: after a long pause the event loops may be busy
   * with what piled up.
   */
  private void checkAway() {
    if (System.nanoTime() - validUntil > awayLimit.toNanos()) {
      expel("was cut off from the cluster for more than " + awayLimit.toMillis() + " ms (frozen, paused or "
          + "partitioned)");
    }
  }

  /**
   * Once confirmed, a member that a peer no longer confirms was removed from the cluster (or announced as departed
   * by a peer that settled its departure): the others have taken or will take its keys, and it cannot know what it
   * missed, so it is expelled rather than merged back.
   */
  private synchronized void expel(String why) {
    if (confirmedOnce && !expelled && !stopped) {
      expelled = true;
      LOG.error("Cluster member {} {}: the others have taken its calls. It stops now and must be started again (a "
          + "supervisor such as systemd with Restart=on-failure does that); it then joins as a new member",
          membership.self(), why);
      onExpelled.run();
    }
  }

  private void renewPeers() {
    long askedAt = System.nanoTime();
    List<String> peers = new ArrayList<>(membership.others());
    int needed = quorum - 1;
    if (needed <= 0) {
      extend(askedAt);
      return;
    }
    if (peers.size() < needed) {
      return;
    }
    AtomicInteger yes = new AtomicInteger();
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(Math.max(200, lease.toMillis() / 2));
    for (String peer : peers) {
      vertx.eventBus().<String>request(CONFIRM + peer, membership.self(), options).onSuccess(reply -> {
        if (GONE.equals(reply.body())) {
          expel("is no longer counted as a member by " + peer);
        } else if (YES.equals(reply.body()) && yes.incrementAndGet() == needed) {
          extend(askedAt);
        }
      });
    }
  }

  private void extend(long askedAt) {
    checkLost(); // a lapse not noticed yet (a pause just ended) holds the keys before the lease is held again
    if (stopped || !keysHeld.isComplete()) {
      return;
    }
    long until = askedAt + lease.toNanos();
    if (until - validUntil > 0) {
      validUntil = until;
      confirmedOnce = true;
    }
    if (!held) {
      held = true;
      LOG.info("Cluster member {} is confirmed by the cluster ({} members seen) and takes calls", membership.self(),
          membership.size());
      onRegained.run();
    }
  }

  private synchronized void checkLost() {
    if (held && !valid()) {
      held = false;
      LOG.warn("Cluster member {} lost its lease ({}): it holds its keys' work and takes no calls until confirmed again",
          membership.self(), stopped ? "leaving" : "no peer confirmed it within " + lease.toMillis() + " ms");
      keysHeld = onLost.get();
    }
  }
}
