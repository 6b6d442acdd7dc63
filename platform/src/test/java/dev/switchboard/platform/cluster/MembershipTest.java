package dev.switchboard.platform.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When a departed member's keys may move (the fencing rule of docs/cluster.md). Hazelcast's member list is the
 * boundary mocked here; the rule is plain bookkeeping over it.
 */
class MembershipTest {

  private static final Duration FENCE_WAIT = Duration.ofHours(1);

  private final Set<Member> live = new LinkedHashSet<>();
  private final List<String> departed = new ArrayList<>();
  private final Cluster cluster = mock(Cluster.class);
  private Membership membership;
  private Member self;
  private Member other;

  @BeforeEach
  void members() {
    HazelcastInstance hazelcast = mock(HazelcastInstance.class);
    when(hazelcast.getCluster()).thenReturn(cluster);
    when(cluster.getMembers()).thenReturn(live);
    self = member("a:1-self");
    other = member("b:1-other");
    live.add(self);
    live.add(other);
    membership = new Membership(hazelcast, "a:1-self", FENCE_WAIT, departed::add);
  }

  @Test
  void aLiveMemberIsConfirmedAndItsKeysStay() {
    assertTrue(membership.confirms("b:1-other"));
    assertFalse(membership.hasLeft("b:1-other"));
    assertFalse(membership.movable("b:1-other"));
  }

  @Test
  void aDepartedMembersKeysWaitForTheFenceUnlessItsLeaseIsKnownLapsed() {
    remove(other);
    assertEquals(List.of("b:1-other"), departed);
    assertTrue(membership.hasLeft("b:1-other"));
    assertFalse(membership.confirms("b:1-other"));
    assertFalse(membership.movable("b:1-other"), "its lease may still run: lease plus margin after it was seen leaving");
    assertTrue(membership.msUntilMovable("b:1-other") > Duration.ofMinutes(59).toMillis());

    membership.movableFrom("b:1-other", System.nanoTime() - 1);
    assertTrue(membership.movable("b:1-other"), "every member said when it last confirmed it: its lease has lapsed");
  }

  @Test
  void settlingNeverDelaysTheMoveAndAMemberBackInTheListKeepsItsKeys() {
    remove(other);
    membership.movableFrom("b:1-other", System.nanoTime() - 1);
    membership.movableFrom("b:1-other", System.nanoTime() + Duration.ofHours(2).toNanos());
    assertTrue(membership.movable("b:1-other"), "a later answer does not push the move back");

    live.add(other);
    membership.memberAdded(new MembershipEvent(cluster, other, MembershipEvent.MEMBER_ADDED, live));
    assertFalse(membership.movable("b:1-other"), "a member in the list is never moved from");
    assertFalse(membership.hasLeft("b:1-other"));
  }

  @Test
  void aMemberThatAnnouncedItsLeavingIsMovableAtOnce() {
    membership.leaving("b:1-other");
    assertEquals(List.of("b:1-other"), departed);
    assertTrue(membership.movable("b:1-other"));
    assertTrue(membership.hasLeft("b:1-other"));
    assertFalse(membership.confirms("b:1-other"));
    membership.leaving("a:1-self");
    assertFalse(membership.movable("a:1-self"), "this member's own announcement is not taken from the bus");
  }

  private void remove(Member member) {
    live.remove(member);
    membership.memberRemoved(new MembershipEvent(cluster, member, MembershipEvent.MEMBER_REMOVED, live));
  }

  private static Member member(String id) {
    Member m = mock(Member.class);
    when(m.getAttribute(Membership.ATTRIBUTE)).thenReturn(id);
    return m;
  }
}
