package dev.switchboard.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Handles the messages of the keys a plugin owns on a keyed address.
 *
 * <p>Called on the plugin's context, for one key at a time and in the order the messages were accepted: the
 * next message for the same key is delivered only when the future returned for the previous one has
 * completed. Messages for different keys may interleave. A plugin that keeps per-key state should write it to
 * the {@link StateStore} before completing the future: that is what another version of the plugin reads
 * when the key changes owner.
 *
 * <p>Dispatch on the message's type ({@link KeyedMessage.Notification}, {@link KeyedMessage.Command},
 * {@link KeyedMessage.Timer}, {@link KeyedMessage.Event}); a kind the handler does not expect should fail with
 * {@link ErrorCode#BAD_REQUEST} rather than be guessed at.
 */
@FunctionalInterface
public interface KeyedHandler {

  /**
   * @return a future completed (with the reply to the sender, or {@code null}) once the message is handled;
   *     a failure is passed to the sender. Replies to notifications, timers and events go nowhere.
   */
  Future<JsonObject> handle(KeyedMessage message);
}
