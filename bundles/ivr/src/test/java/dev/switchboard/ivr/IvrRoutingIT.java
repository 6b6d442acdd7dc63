package dev.switchboard.ivr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.presence.CachedPresences;
import dev.switchboard.api.presence.PresenceClient;
import dev.switchboard.platform.TestServer;
import dev.switchboard.testkit.Caller;
import dev.switchboard.testkit.SwitchboardKit;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

  @RegisterExtension
  final SwitchboardKit kit = SwitchboardKit.withBundles("calling", "media")
      .withFile("conf/flows/main.yaml", flow("firstAvailable", FIRST))
      .withFile("conf/flows/longest.yaml", flow("longestAvailable", LONGEST))
      .setting("SWITCHBOARD_PLUGINS_PRESENCE_WATCH", String.join(",", A1, A2, A3))
      .recordEvents(IvrEvents.ADDRESS);

  @Test
  void firstAvailableLongestAvailableNobodyAndNoPresenceBundle() throws Exception {
    JsonArray agents = new JsonArray();
    for (String id : List.of(A1, A2, A3)) {
      agents.add(new JsonObject().put("id", id).put("displayName", "agent").put("presence", new JsonObject()
          .put("availability", "Available").put("activity", "Available")));
    }
    TestServer.await(kit.emulatorClient().post("/emulator/users", new JsonObject().put("value", agents)));
    // Installed once the agents exist: the presence bundle subscribes to the users it watches as it starts.
    HttpResponse<Buffer> installed = kit.admin(HttpMethod.POST, "/admin/bundles",
        Buffer.buffer(Files.readAllBytes(TestServer.bundle("presence"))));
    assertEquals(201, installed.statusCode(), installed.bodyAsString());
    awaitPresence(A1, "Available");

    // agent1 is in a call: firstAvailable takes agent2 and says why.
    report(A1, "Busy", "InACall");
    Caller call = kit.dial(FIRST);
    JsonObject routed = ivr(call, "routed");
    assertEquals(A2, routed.getJsonObject("target").getString("user"));
    assertTrue(routed.getString("reason").matches("agent1 is Busy \\(InACall\\) since [0-9:]{8}; transferring to "
        + "agent2 \\(Available since [0-9:]{8}\\)"), routed.getString("reason"));
    assertEquals(A2, ivr(call, "transferring").getJsonObject("target").getString("user"));

    // agent1 is back, more recently than agent2 and agent3: longestAvailable still takes agent2 (the earliest of
    // the two who were never away), firstAvailable agent1.
    report(A1, "Available", "Available");
    report(A3, "Away", "Away");
    report(A3, "Available", "Available");
    Caller longest = kit.dial(LONGEST);
    JsonObject byLongest = ivr(longest, "routed");
    assertEquals(A2, byLongest.getJsonObject("target").getString("user"), byLongest.encode());
    assertTrue(byLongest.getString("reason").endsWith(", the longest)"), byLongest.getString("reason"));
    Caller first = kit.dial(FIRST);
    assertEquals(A1, ivr(first, "routed").getJsonObject("target").getString("user"));

    // Nobody available: voicemail.
    report(A1, "Busy", "InACall");
    report(A2, "DoNotDisturb", "Presenting");
    report(A3, "Away", "Away");
    Caller nobody = kit.dial(FIRST);
    JsonObject none = ivr(nobody, "routed");
    assertNull(none.getJsonObject("target"));
    assertEquals("voicemail", none.getString("next"));
    assertTrue(none.getString("reason").startsWith("nobody is available (agent1 is Busy (InACall)"),
        none.getString("reason"));
    ivr(nobody, "recording");
    nobody.awaitPrompt("Nobody can take your call. Please leave a message.");

    // The presence bundle is gone: voicemail, and the event says the presence bundle did not answer.
    assertEquals(204, kit.admin(HttpMethod.DELETE, "/admin/bundles/presence", null).statusCode());
    Caller gone = kit.dial(FIRST);
    JsonObject unanswered = ivr(gone, "routed");
    assertFalse(unanswered.getBoolean("presenceAnswered"));
    assertTrue(unanswered.getString("reason").startsWith("the presence bundle did not answer within 2000 ms"),
        unanswered.getString("reason"));
    ivr(gone, "recording");
  }

  /** The first ivr event of {@code caller}'s call of {@code type}, once there is one. */
  private JsonObject ivr(Caller caller, String type) {
    return kit.awaitMessage(IvrEvents.ADDRESS, e -> caller.id().equals(e.getString("callId"))
        && type.equals(e.getString("type")));
  }

  /** Changes the agent's presence in the emulator and waits until the presence bundle's cache shows it. */
  private void report(String user, String availability, String activity) throws Exception {
    kit.user(user).setPresence(availability, activity);
    awaitPresence(user, availability);
  }

  private void awaitPresence(String user, String availability) throws InterruptedException {
    TestServer.awaitUntil(user + " " + availability + " in the cache", Duration.ofSeconds(15), () -> {
      try {
        CachedPresences c = TestServer.await(PresenceClient.of(kit.vertx().eventBus()).cached(List.of(user)));
        return !c.value().isEmpty() && c.value().get(0).presence().availability().equals(availability);
      } catch (Exception e) {
        return false;
      }
    });
  }
}
