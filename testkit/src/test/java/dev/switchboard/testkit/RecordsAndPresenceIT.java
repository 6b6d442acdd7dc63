package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.presence.PresenceEvent;
import dev.switchboard.api.records.RecordStored;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit with the records and presence bundles: a call's record is stored; a watched user's presence changes. */
class RecordsAndPresenceIT {

  @BeforeAll
  static void speech() {
    Flows.assumeSpeech();
  }

  @RegisterExtension
  final SwitchboardKit kit = SwitchboardKit.withBundles("calling", "media", "ivr", "records", "presence")
      .withFile(Flows.FILE, Flows.SALES)
      .setting("SWITCHBOARD_PLUGINS_PRESENCE_WATCH", Flows.MEGAN);

  @Test
  void aCallsRecordIsStoredAfterTheCallEnds() {
    Caller caller = kit.dial("+14255550123");
    caller.awaitPrompt(Flows.MENU);
    caller.hangUp().awaitEnded();
    RecordStored record = kit.awaitRecord(caller);
    assertEquals(caller.emulatorView().getString("callChainId"), record.id());
    assertTrue(record.participants().stream().anyMatch(p -> p.contains("+14255550123")), record.toString());
  }

  @Test
  void aWatchedUsersPresenceChangeIsPublished() {
    // The plugin starts before Graph has its subscription (the platform creates it in the background): a change made
    // before it exists sends no notification.
    Await.until(Duration.ofSeconds(30), "the presence bundle's subscription is active at Graph", () -> kit
        .admin(HttpMethod.GET, "/admin/subscriptions", null).bodyAsJsonArray().stream().map(s -> (JsonObject) s)
        .filter(s -> "presence".equals(s.getString("plugin")) && "active".equals(s.getString("status")))
        .findAny().orElse(null), () -> "");
    kit.user(Flows.MEGAN).setPresence("Busy", "InACall");
    PresenceEvent.PresenceChanged changed = kit.awaitEvent(PresenceEvent.PresenceChanged.class,
        e -> e.presence().userId().equals(Flows.MEGAN) && e.presence().availability().equals("Busy"));
    assertEquals("InACall", changed.presence().activity());
  }
}
