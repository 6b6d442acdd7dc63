package dev.switchboard.platform.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This member's lease: it may act on its keys only until {@code lease} after the moment it asked for the
 * confirmation that {@code quorum - 1} peers still count it as a member. Renewed every {@code lease / 3}. A member
 * that is frozen (SIGSTOP, a long GC), cut off, or evicted while healthy stops acting within {@code lease} by its
 * own clock, without hearing from anyone; the others move its keys only {@code lease} plus a margin after they saw it
 * leave ({@link Membership#movable}), so two members never act on one key at once.
 */
final class MemberLease {

  private static final Logger LOG = LoggerFactory.getLogger(MemberLease.class);
  static final String CONFIRM = "switchboard.cluster.confirm.";

  private final Vertx vertx;
  private final Membership membership;
  private final Duration lease;
  private final int quorum;
  private final Runnable onLost;
  private final Duration awayLimit;
  private final Runnable onExpelled;
  private volatile boolean expelled;
  /** {@code System.nanoTime()} until which the lease holds; lapsed from the start until a first confirmation. */
  private volatile long validUntil = System.nanoTime();
  private volatile boolean confirmedOnce;
  private volatile boolean held;
  private volatile boolean stopped;
  private long timer = -1;
  private MessageConsumer<String> confirmer;

  /**
   * @param onLost called (on an event loop) when a held lease lapses or is given up: the member must drop its keys
   * @param awayLimit a lease lapsed this long means the others have removed this member (failure detection): it
   *     cannot know what it missed, so it is expelled rather than merged back
   * @param onExpelled called once (on an event loop) when that happens
   */
  MemberLease(Vertx vertx, Membership membership, Duration lease, int quorum, Runnable onLost, Duration awayLimit,
      Runnable onExpelled) {
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
    confirmer = vertx.eventBus().consumer(CONFIRM + membership.self(),
        m -> m.reply(membership.confirms(m.body()) ? "yes" : "no"));
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
    return confirmer.completion();
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
   * Expels this member once its lease has been lapsed longer than failure detection takes. Checked from a thread of
   * its own as well as from the renewals: after a long pause the event loops may be busy with what piled up.
   */
  private synchronized void checkAway() {
    if (confirmedOnce && !expelled && !stopped
        && System.nanoTime() - validUntil > awayLimit.toNanos()) {
      expelled = true;
      LOG.error("Cluster member {} was cut off from the cluster for more than {} ms (frozen, paused or partitioned): "
          + "the others have taken its calls. It stops now and must be started again (a supervisor such as systemd "
          + "with Restart=on-failure does that); it then joins as a new member", membership.self(),
          awayLimit.toMillis());
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
        if ("yes".equals(reply.body()) && yes.incrementAndGet() == needed) {
          extend(askedAt);
        }
      });
    }
  }

  private void extend(long askedAt) {
    if (stopped) {
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
    }
  }

  private void checkLost() {
    if (held && !valid()) {
      held = false;
      LOG.warn("Cluster member {} lost its lease ({}): it drops its keys and takes no calls until confirmed again",
          membership.self(), stopped ? "leaving" : "no peer confirmed it within " + lease.toMillis() + " ms");
      onLost.run();
    }
  }
}
