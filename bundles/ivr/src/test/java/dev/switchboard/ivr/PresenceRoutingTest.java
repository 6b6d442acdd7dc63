package dev.switchboard.ivr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.presence.CachedPresence;
import dev.switchboard.api.presence.CachedPresences;
import dev.switchboard.api.presence.Presence;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who a presence-routed transfer chooses, and the sentence that says why. */
class PresenceRoutingTest {

  private static final Instant T0 = Instant.parse("2026-01-01T09:00:00Z");
  private static final List<JsonObject> AGENTS = List.of(agent("a1", "agent1"), agent("a2", "agent2"),
      agent("a3", "agent3"));

  private static JsonObject agent(String id, String name) {
    return new JsonObject().put("user", id).put("displayName", name);
  }

  private static CachedPresence cached(String id, String availability, String activity, int minutes) {
    Instant since = T0.plusSeconds(60L * minutes);
    return new CachedPresence(new Presence(id, availability, activity, null), since, since);
  }

  private static Step.Routing routing(String strategy) {
    return new Step.Routing(AGENTS, strategy, 2000, "voicemail");
  }

  @Test
  void firstAvailableSkipsTheBusyAndSaysWhy() {
    PresenceRouting.Decision d = PresenceRouting.choose(routing(Step.Routing.FIRST_AVAILABLE), new CachedPresences(
        List.of(cached("a1", "Busy", "InACall", 1), cached("a2", "Available", "Available", 5),
            cached("a3", "Available", "Available", 0)), List.of()));
    assertEquals("a2", d.target().getString("user"));
    assertEquals("agent1 is Busy (InACall) since 09:01:00; transferring to agent2 (Available since 09:05:00)",
        d.reason());
  }

  @Test
  void longestAvailableTakesWhoIsAvailableSinceTheEarliest() {
    PresenceRouting.Decision d = PresenceRouting.choose(routing(Step.Routing.LONGEST_AVAILABLE), new CachedPresences(
        List.of(cached("a1", "Available", "Available", 7), cached("a2", "Available", "Available", 3),
            cached("a3", "Away", "Away", 0)), List.of()));
    assertEquals("a2", d.target().getString("user"));
    assertTrue(d.reason().endsWith("transferring to agent2 (Available since 09:03:00, the longest)"), d.reason());
    assertTrue(d.reason().contains("agent3 is Away (Away) since 09:00:00"), d.reason());
  }

  @Test
  void nobodyAvailableGoesToTheFallbackAndAnUnknownUserCountsAsUnavailable() {
    PresenceRouting.Decision d = PresenceRouting.choose(routing(Step.Routing.FIRST_AVAILABLE), new CachedPresences(
        List.of(cached("a1", "Busy", "InACall", 1), cached("a2", "AvailableIdle", "Inactive", 2)), List.of("a3")));
    assertNull(d.target());
    assertEquals("nobody is available (agent1 is Busy (InACall) since 09:01:00; agent2 is AvailableIdle (Inactive) "
        + "since 09:02:00; agent3's presence is unknown (not watched by the presence bundle)); going to voicemail",
        d.reason());
  }

  @Test
  void noAnswerFromThePresenceBundleGoesToTheFallback() {
    PresenceRouting.Decision d = PresenceRouting.unanswered(routing(Step.Routing.FIRST_AVAILABLE),
        new IllegalStateException("gone"));
    assertNull(d.target());
    assertTrue(d.reason().startsWith("the presence bundle did not answer within 2000 ms"), d.reason());
    assertTrue(d.reason().endsWith("going to voicemail"), d.reason());
  }
}
