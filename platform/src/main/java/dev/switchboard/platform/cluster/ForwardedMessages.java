package dev.switchboard.platform.cluster;

import dev.switchboard.api.KeyedMessage;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Keyed messages as they travel from the member that received them to their key's owner: JSON, one field per
 * record component. Key timers never travel (they fire on the owner).
 */
final class ForwardedMessages {

  private ForwardedMessages() {
  }

  static JsonObject encode(KeyedMessage message) {
    JsonObject json = new JsonObject().put("address", message.address()).put("key", message.key());
    if (message instanceof KeyedMessage.Notification n) {
      return json.put("kind", "notification").put("tenantId", n.tenantId())
          .put("receivedAt", n.receivedAt().toEpochMilli()).put("body", n.notification());
    }
    if (message instanceof KeyedMessage.Command c) {
      return json.put("kind", "command").put("sender", c.sender()).put("body", c.body());
    }
    if (message instanceof KeyedMessage.Event e) {
      return json.put("kind", "event").put("topic", e.topic()).put("publisher", e.publisher()).put("body", e.body());
    }
    throw new IllegalArgumentException("key timers fire on their key's owner and never travel: " + message);
  }

  static KeyedMessage decode(JsonObject json) {
    String address = json.getString("address");
    String key = json.getString("key");
    JsonObject body = json.getJsonObject("body", new JsonObject());
    return switch (json.getString("kind", "")) {
      case "notification" -> new KeyedMessage.Notification(address, key, json.getString("tenantId"),
          Instant.ofEpochMilli(json.getLong("receivedAt")), body);
      case "command" -> new KeyedMessage.Command(address, key, json.getString("sender"), body);
      case "event" -> new KeyedMessage.Event(address, key, json.getString("topic"), json.getString("publisher"), body);
      default -> throw new IllegalArgumentException("not a forwarded keyed message: " + json.getString("kind"));
    };
  }

  /** Whether the sender waits for the owner's handler (a command) or only for the owner to queue it. */
  static boolean awaitsReply(KeyedMessage message) {
    return message instanceof KeyedMessage.Command;
  }
}
