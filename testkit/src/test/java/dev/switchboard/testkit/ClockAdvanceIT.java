package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.presence.PresenceEvent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link KitClock#advance}: Graph's timers fall due at once. Graph's clock runs at a tenth of real speed, so what the
 * tests check comes from their advances whatever the machine's speed (the 15 s answer window is 150 real seconds); the
 * calling bundle waits a minute (real) before it rejects an unclaimed call.
 * A server per test: the emulator's reset before each test forgets the presence bundle's subscription.
 */
class ClockAdvanceIT {

  @RegisterExtension
  final SwitchboardKit kit = SwitchboardKit.withBundles("calling", "presence").clockSpeed(0.1).withoutBundleUnderTest()
      .setting("SWITCHBOARD_PLUGINS_CALLING_UNCLAIMED_REJECT_AFTER", "60s")
      .setting("SWITCHBOARD_PLUGINS_PRESENCE_WATCH", Flows.MEGAN);

  @Test
  void anIncomingCallNobodyAnswersIsDroppedWhenItsFifteenSecondsAreAdvancedPast() {
    Caller caller = kit.dial("+14255550123");
    caller.awaitEvent(CallEvent.Incoming.class, e -> true);
    Instant before = kit.clock().instant();
    Instant after = kit.clock().advance(Duration.ofSeconds(14));
    assertFalse(after.isBefore(before.plusSeconds(14)), before + " -> " + after);
    assertEquals("incoming", caller.emulatorView().getString("state"), "14 s into Graph's 15 s answer window");
    kit.clock().advance(Duration.ofSeconds(2));
    CallEvent.Terminated ended = caller.awaitEnded();
    assertEquals(408, ended.resultInfo().code().intValue(), ended.toString());
    assertTrue(caller.transcript().contains("advances Graph's clock by PT2S"), caller.transcript());
  }

  @Test
  void aPresenceSessionExpiresWhenItsExpirationDurationIsAdvancedPast() throws Exception {
    // The bundle has read Megan's presence, and Graph has its subscription: from now on a change is notified.
    Await.until(Duration.ofSeconds(60), "the presence bundle watches " + Flows.MEGAN, () -> watching() ? true : null,
        () -> "(GET /api/v1/presence/{id}?cached=true, GET /emulator/subscriptions)");
    String session = kit.emulator().graphConfig().getString("clientId");
    var set = KitRuntime.await(kit.emulatorClient().asApplication(HttpMethod.POST,
        "/v1.0/users/" + Flows.MEGAN + "/presence/setPresence", new JsonObject().put("sessionId", session)
            .put("availability", "Busy").put("activity", "InACall").put("expirationDuration", "PT10M")),
        "the application sets a presence session");
    assertEquals(200, set.statusCode(), set.bodyAsString());
    kit.awaitEvent(PresenceEvent.PresenceChanged.class, e -> e.presence().availability().equals("Busy"));
    kit.clock().advance(Duration.ofMinutes(10).plusSeconds(1));
    PresenceEvent.PresenceChanged expired = kit.awaitEvent(PresenceEvent.PresenceChanged.class,
        e -> e.presence().userId().equals(Flows.MEGAN) && e.presence().availability().equals("Offline"));
    assertEquals("Offline", expired.presence().activity());
  }

  private boolean watching() throws Exception {
    boolean cached = kit.http(HttpMethod.GET, "/api/v1/presence/" + Flows.MEGAN + "?cached=true").statusCode() == 200;
    JsonObject subscriptions = KitRuntime.await(kit.emulatorClient().get("/emulator/subscriptions"), "subscriptions");
    return cached && subscriptions.getJsonArray("value").stream().map(JsonObject.class::cast)
        .anyMatch(s -> s.getString("resource").contains("presences") && "active".equals(s.getString("state")));
  }
}
