package dev.switchboard.platform.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.KeyedMessage;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ForwardedMessagesTest {

  @Test
  void notificationsCommandsAndEventsTravelUnchanged() {
    Instant received = Instant.ofEpochMilli(1_700_000_000_123L);
    KeyedMessage[] messages = {
        new KeyedMessage.Notification("a", "call-1", "tenant", received, new JsonObject().put("changeType", "updated")),
        new KeyedMessage.Command("a", "call-1", "ivr", new JsonObject().put("command", "play")),
        new KeyedMessage.Command("a", "call-1", null, new JsonObject()),
        new KeyedMessage.Event("a", "call-1", "topic", "calling", new JsonObject().put("n", 1))};
    for (KeyedMessage message : messages) {
      assertEquals(message, ForwardedMessages.decode(ForwardedMessages.encode(message).copy()));
    }
    assertTrue(ForwardedMessages.awaitsReply(messages[1]));
    assertFalse(ForwardedMessages.awaitsReply(messages[0]));
  }

  @Test
  void timersNeverTravelAndUnknownKindsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> ForwardedMessages.encode(new KeyedMessage.Timer("a", "k", "t",
        new JsonObject(), Instant.now())));
    assertThrows(IllegalArgumentException.class, () -> ForwardedMessages.decode(new JsonObject().put("kind", "x")));
  }

  @Test
  void aClaimNamesItsMember() {
    assertEquals("127.0.0.1:5701-ab12cd34", OwnerClaims.memberOf("127.0.0.1:5701-ab12cd34#17"));
  }
}
