package dev.switchboard.ivr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.presence.CachedPresences;
import dev.switchboard.api.presence.PresenceClient;
import dev.switchboard.platform.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Presence-aware transfers against the emulator, with the presence bundle watching three agents: the first available
 * agent, the longest available one, nobody available (voicemail), and the presence bundle gone (voicemail, saying so).
 */
class IvrRoutingIT {

  private static final String A1 = "5a1e5000-0000-4000-8000-000000000001";
  private static final String A2 = "5a1e5000-0000-4000-8000-000000000002";
  private static final String A3 = "5a1e5000-0000-4000-8000-000000000003";
  private static final String FIRST = "+14255550001";
  private static final String LONGEST = "+14255550002";

  private static String flow(String strategy, String caller) {
    return """
        match: {from: ["%s"]}
        nodes:
          sales:
            type: transfer
            strategy: %s
            targets:
              - {user: %s, displayName: agent1}
              - {user: %s, displayName: agent2}
              - {user: %s, displayName: agent3}
            fallback: voicemail
            next: voicemail
          voicemail:
            type: record
            say: Nobody can take your call. Please leave a message.
            maxDuration: 5s
        """.formatted(caller, strategy, A1, A2, A3);
  }

  @TempDir
  Path home;

  @Test
  void firstAvailableLongestAvailableNobodyAndNoPresenceBundle() throws Exception {
    Path flows = Files.createDirectories(home.resolve("flows"));
    Files.writeString(flows.resolve("longest.yaml"), flow("longestAvailable", LONGEST));
    try (IvrHarness h = IvrHarness.start(home, flow("firstAvailable", FIRST),
        Map.of("SWITCHBOARD_PLUGINS_PRESENCE_WATCH", String.join(",", A1, A2, A3)))) {
      JsonArray agents = new JsonArray();
      for (String id : List.of(A1, A2, A3)) {
        agents.add(new JsonObject().put("id", id).put("displayName", "agent").put("presence", presence("Available",
            "Available")));
      }
      h.emulated.post("/emulator/users", new JsonObject().put("value", agents));
      h.t.install(TestServer.bundle("presence"));
      awaitPresence(h, A1, "Available");

      // agent1 is in a call: firstAvailable takes agent2 and says why.
      report(h, A1, "Busy", "InACall");
      String call = h.call(FIRST);
      JsonObject routed = h.await(call, "routed", e -> true);
      assertEquals(A2, routed.getJsonObject("target").getString("user"));
      assertTrue(routed.getString("reason").matches("agent1 is Busy \\(InACall\\) since [0-9:]{8}; transferring to "
          + "agent2 \\(Available since [0-9:]{8}\\)"), routed.getString("reason"));
      assertEquals(A2, h.await(call, "transferring", e -> true).getJsonObject("target").getString("user"));

      // agent1 is back, more recently than agent2 and agent3: longestAvailable still takes agent2 (the earliest of
      // the two who were never away), firstAvailable agent1.
      report(h, A1, "Available", "Available");
      report(h, A3, "Away", "Away");
      report(h, A3, "Available", "Available");
      String longest = h.call(LONGEST);
      JsonObject byLongest = h.await(longest, "routed", e -> true);
      assertEquals(A2, byLongest.getJsonObject("target").getString("user"), byLongest.encode());
      assertTrue(byLongest.getString("reason").endsWith(", the longest)"), byLongest.getString("reason"));
      String first = h.call(FIRST);
      assertEquals(A1, h.await(first, "routed", e -> true).getJsonObject("target").getString("user"));

      // Nobody available: voicemail.
      report(h, A1, "Busy", "InACall");
      report(h, A2, "DoNotDisturb", "Presenting");
      report(h, A3, "Away", "Away");
      String nobody = h.call(FIRST);
      JsonObject none = h.await(nobody, "routed", e -> true);
      assertNull(none.getJsonObject("target"));
      assertEquals("voicemail", none.getString("next"));
      assertTrue(none.getString("reason").startsWith("nobody is available (agent1 is Busy (InACall)"),
          none.getString("reason"));
      h.await(nobody, "recording", e -> true);

      // The presence bundle is gone: voicemail, and the event says the presence bundle did not answer.
      assertEquals(204, h.t.admin(HttpMethod.DELETE, "/admin/bundles/presence", null).statusCode());
      String gone = h.call(FIRST);
      JsonObject unanswered = h.await(gone, "routed", e -> true);
      assertFalse(unanswered.getBoolean("presenceAnswered"));
      assertTrue(unanswered.getString("reason").startsWith("the presence bundle did not answer within 2000 ms"),
          unanswered.getString("reason"));
      h.await(gone, "recording", e -> true);
    }
  }

  private static JsonObject presence(String availability, String activity) {
    return new JsonObject().put("availability", availability).put("activity", activity);
  }

  /** Changes the agent's presence in the emulator and waits until the presence bundle's cache shows it. */
  private static void report(IvrHarness h, String user, String availability, String activity) throws Exception {
    h.emulated.post("/emulator/users/" + user + "/presence", presence(availability, activity));
    awaitPresence(h, user, availability);
  }

  private static void awaitPresence(IvrHarness h, String user, String availability) throws InterruptedException {
    TestServer.awaitUntil(user + " " + availability + " in the cache", Duration.ofSeconds(15), () -> {
      try {
        CachedPresences c = TestServer.await(PresenceClient.of(h.t.vertx.eventBus()).cached(List.of(user)));
        return !c.value().isEmpty() && c.value().get(0).presence().availability().equals(availability);
      } catch (Exception e) {
        return false;
      }
    });
  }
}
