package dev.switchboard.api;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * What the owner of a key receives on a keyed address (for calls, the key is the call id). One of four kinds,
 * each its own type, so that an owner dispatches on the type and never on which fields a body happens to hold:
 * <ul>
 *   <li>{@link Notification}: a Graph notification about the key, produced only by the platform's callback ingress
 *       after it verified Graph's token. A bundle cannot send one: whatever a bundle sends to a keyed address,
 *       through {@link PluginContext#sendToKey} or straight over the event bus, arrives as a {@link Command}.</li>
 *   <li>{@link Command}: a request from another plugin (or another part of the same plugin), with the name of the
 *       plugin that sent it.</li>
 *   <li>{@link Timer}: a key timer ({@link PluginContext#keyTimer}) that came due. Key timers belong to the key,
 *       not to a plugin version: after an update moved the key, the timer fires on the version that owns it then.</li>
 *   <li>{@link Event}: an event another plugin published for the same key on a topic this plugin
 *       {@linkplain PluginContext#follow follows}.</li>
 * </ul>
 * All four are delivered to the key's owner one at a time, in the order they were accepted for the key.
 *
 * <p>Bodies are the platform's copies: the owner may keep or change them.
 */
public sealed interface KeyedMessage {

  /**
   * The event-bus header that carries the key for senders that use the event bus directly instead of
   * {@link PluginContext#sendToKey}: a {@link JsonObject} sent (or requested) to a keyed address with this header
   * reaches the key's owner as a {@link Command} whose {@linkplain Command#sender() sender} is {@code null}
   * (unverified); the reply is the owner's reply.
   */
  String KEY_HEADER = "switchboard-key";

  /** The keyed address the message was delivered on. */
  String address();

  /** The key. */
  String key();

  /**
   * A Graph notification, verified by the platform's ingress.
   *
   * @param address the keyed address
   * @param key the key (for calls, the call id parsed from the notification's {@code resourceUrl})
   * @param tenantId the tenant of the token Graph signed the callback with
   * @param receivedAt when the platform accepted the batch the notification came in
   * @param notification the notification exactly as Graph sent it (for calls, one {@code commsNotification})
   */
  record Notification(String address, String key, String tenantId, Instant receivedAt, JsonObject notification)
      implements KeyedMessage {
    public Notification {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(receivedAt, "receivedAt");
      Objects.requireNonNull(notification, "notification");
    }
  }

  /**
   * A command sent to the key.
   *
   * @param address the keyed address
   * @param key the key
   * @param sender the name of the plugin that sent it with {@link PluginContext#sendToKey}, or {@code null} when it
   *     came over the event bus with {@link #KEY_HEADER} (anyone may have sent it)
   * @param body the command; its shape is the keyed address's contract
   */
  record Command(String address, String key, String sender, JsonObject body) implements KeyedMessage {
    public Command {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(body, "body");
    }
  }

  /**
   * A key timer that came due.
   *
   * @param address the keyed address
   * @param key the key
   * @param name the timer's name, as given to {@link PluginContext#keyTimer}
   * @param payload the payload given when the timer was set
   * @param dueAt when it was due (it is delivered at or after that instant, in order with the key's other messages)
   */
  record Timer(String address, String key, String name, JsonObject payload, Instant dueAt) implements KeyedMessage {
    public Timer {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(payload, "payload");
      Objects.requireNonNull(dueAt, "dueAt");
    }
  }

  /**
   * An event published for this key on a followed topic.
   *
   * @param address the keyed address (the follower's own)
   * @param key the key
   * @param topic the topic it was published on (e.g. a {@code dev.switchboard.api.calls.CallEvent} address)
   * @param publisher the name of the plugin that published it
   * @param body the event; its shape is the topic's contract
   */
  record Event(String address, String key, String topic, String publisher, JsonObject body) implements KeyedMessage {
    public Event {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(publisher, "publisher");
      Objects.requireNonNull(body, "body");
    }
  }
}
