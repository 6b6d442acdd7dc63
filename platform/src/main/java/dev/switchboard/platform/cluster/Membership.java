package dev.switchboard.platform.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is in the cluster, as this member sees it, by member id (the {@value #ATTRIBUTE} attribute each member
 * carries: a fresh id per process, so a restarted member is a new one). Remembers from when the keys of a member that
 * left may move, and which announced their leaving (they fenced themselves first). Thread-safe.
 */
final class Membership implements MembershipListener {

  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);
  static final String ATTRIBUTE = "switchboard.member";

  private final HazelcastInstance hazelcast;
  private final String self;
  private final Duration fenceWait;
  /** {@code System.nanoTime()} from which the keys of each departed member may move. */
  private final Map<String, Long> movableAt = new ConcurrentHashMap<>();
  private final Set<String> announcedLeaving = ConcurrentHashMap.newKeySet();
  private final Consumer<String> onDeparted;

  /**
   * @param fenceWait how long after a member left its keys may move unless {@link #movableFrom} says sooner: its
   *     lease plus a margin
   * @param onDeparted told the id of each member that left (on a Hazelcast thread)
   */
  Membership(HazelcastInstance hazelcast, String self, Duration fenceWait, Consumer<String> onDeparted) {
    this.hazelcast = hazelcast;
    this.self = self;
    this.fenceWait = fenceWait;
    this.onDeparted = onDeparted;
  }

  String self() {
    return self;
  }

  /** The live members' ids, this one included, sorted. */
  List<String> members() {
    TreeSet<String> ids = new TreeSet<>();
    for (Member m : hazelcast.getCluster().getMembers()) {
      String id = m.getAttribute(ATTRIBUTE);
      if (id != null) {
        ids.add(id);
      }
    }
    return List.copyOf(ids);
  }

  List<String> others() {
    return members().stream().filter(id -> !id.equals(self)).toList();
  }

  int size() {
    return hazelcast.getCluster().getMembers().size();
  }

  boolean isLive(String id) {
    return !announcedLeaving.contains(id) && members().contains(id);
  }

  /** Whether this member vouches for {@code id}: live, and not leaving. */
  boolean confirms(String id) {
    return id != null && isLive(id);
  }

  /**
   * Whether the keys of member {@code id} may move now: it announced its leaving, or it left and its lease has surely
   * lapsed ({@code fenceWait} after it was seen leaving, or sooner by {@link #movableFrom}). A member not seen leaving
   * is counted from now.
   */
  boolean movable(String id) {
    if (announcedLeaving.contains(id)) {
      return true;
    }
    if (members().contains(id)) {
      return false;
    }
    long at = movableAt.computeIfAbsent(id, x -> System.nanoTime() + fenceWait.toNanos());
    return System.nanoTime() - at >= 0;
  }

  /** Whether member {@code id} announced its leaving (it fenced itself first). */
  boolean announced(String id) {
    return announcedLeaving.contains(id);
  }

  /** Whether member {@code id} was seen leaving (or announced it) and has not come back. */
  boolean hasLeft(String id) {
    return announcedLeaving.contains(id) || (movableAt.containsKey(id) && !members().contains(id));
  }

  /** How long until {@link #movable} may turn true for a departed member, in ms (at least 1). */
  long msUntilMovable(String id) {
    Long at = movableAt.get(id);
    if (at == null) {
      return fenceWait.toMillis();
    }
    return Math.max(1, (at - System.nanoTime()) / 1_000_000);
  }

  /** The lease of departed member {@code id} has surely lapsed by {@code at} ({@code System.nanoTime()}). */
  void movableFrom(String id, long at) {
    movableAt.merge(id, at, (old, given) -> given - old < 0 ? given : old);
  }

  /** Member {@code id} announced it is leaving and has stopped acting. */
  void leaving(String id) {
    if (!id.equals(self) && announcedLeaving.add(id)) {
      LOG.info("Cluster member {} is leaving; its keys move now", id);
      onDeparted.accept(id);
    }
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    String id = event.getMember().getAttribute(ATTRIBUTE);
    if (id != null) {
      movableAt.remove(id);
      LOG.info("Cluster member {} joined ({} members)", id, event.getMembers().size());
    }
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    String id = event.getMember().getAttribute(ATTRIBUTE);
    if (id != null) {
      movableAt.putIfAbsent(id, System.nanoTime() + fenceWait.toNanos());
      LOG.warn("Cluster member {} left ({} members); its keys move in at most {} ms", id,
          event.getMembers().size(), announcedLeaving.contains(id) ? 0 : fenceWait.toMillis());
      onDeparted.accept(id);
    }
  }
}
