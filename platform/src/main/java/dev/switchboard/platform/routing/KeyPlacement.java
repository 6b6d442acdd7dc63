package dev.switchboard.platform.routing;

import dev.switchboard.api.KeyedMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * Where the keyed messages arriving at this server go when it is one member of a cluster: to the key's one owner in
 * the whole cluster, which may be this member ({@code here}) or another. Set with {@link KeyRouter#placeWith}; a
 * single server has none. Every method is called on the router's context.
 */
public interface KeyPlacement {

  /** What became of a routed message. */
  record Routed(Future<Void> accepted, Future<JsonObject> handled) {
  }

  /**
   * Routes {@code message} to its key's owner, in the order messages for the key arrived at this member.
   *
   * @param here queues a message at this member's routing and gives its handler's reply
   * @return {@code accepted}: completes once the owner has queued the message (fails when no member may take it);
   *     {@code handled}: the owner's reply (for a message handled elsewhere only commands carry one)
   */
  Routed route(KeyedMessage message, Function<KeyedMessage, Future<JsonObject>> here);

  /** Whether this member may hand a message for {@code key} to a handler now (it owns the key and is not fenced). */
  boolean mayAct(String key);

  /**
   * When {@link #mayAct} is false: whether this member holds {@code key}'s work (queued messages, timers that come
   * due) instead of failing it: it claimed the key and its lease lapsed. It then calls {@link KeyRouter#resume} or
   * {@link KeyRouter#takeBack} once it knows whether the claim is still its own.
   */
  boolean holds(String key);

  /** This member holds nothing more of {@code key} (no owner, no queue, no timer on any address). */
  void released(String key);
}
