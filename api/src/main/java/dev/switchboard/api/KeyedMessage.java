package dev.switchboard.api;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A message sent to one key of a keyed address (for calls, the key is the call id).
 *
 * @param address the keyed address
 * @param key the key
 * @param body the message
 */
public record KeyedMessage(String address, String key, JsonObject body) {

  /**
   * The event-bus header that carries the key. Senders that do not use
   * {@link PluginContext#sendToKey(String, String, JsonObject)} may send (or request) a {@link JsonObject}
   * to the address with this header; the reply is the owner's reply.
   */
  public static final String KEY_HEADER = "switchboard-key";

  public KeyedMessage {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(body, "body");
  }
}
