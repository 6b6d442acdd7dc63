package dev.switchboard.api.presence;

import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Sends {@link PresenceCommand}s to the presence bundle and reads its replies:
 * <pre>{@code
 * PresenceClient presence = PresenceClient.of(context).withTimeout(500);
 * presence.cached(List.of(agent1, agent2))
 *     .onSuccess(cached -> ...)     // cached.value(): CachedPresence, from the bundle's memory
 *     .onFailure(e -> ...);         // a SwitchboardException
 * }</pre>
 *
 * <p>Futures complete on the caller's context and fail with a {@link SwitchboardException}: the presence bundle's
 * own (see {@link PresenceCommand}), {@code 503 noHandler} when it is not running, {@code 504 timeout} when it did
 * not answer in time. Thread-safe.
 */
public final class PresenceClient {

  private final EventBus bus;
  private final DeliveryOptions options;

  private PresenceClient(EventBus bus, DeliveryOptions options) {
    this.bus = Objects.requireNonNull(bus, "bus");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** A client over {@code bus} with the event bus's default timeout (30 s). */
  public static PresenceClient of(EventBus bus) {
    return new PresenceClient(bus, new DeliveryOptions());
  }

  /** A client on the plugin's event bus. */
  public static PresenceClient of(PluginContext context) {
    return of(context.eventBus());
  }

  /** This client with another reply timeout. */
  public PresenceClient withTimeout(long millis) {
    return new PresenceClient(bus, new DeliveryOptions(options).setSendTimeout(millis));
  }

  /** The cached presence of watched users, from the bundle's memory. */
  public Future<CachedPresences> cached(List<String> userIds) {
    return send(new PresenceCommand.Cached(userIds), CachedPresences::fromJson);
  }

  /** The presence of one or more users, read from Graph now (in requests of 650, Graph's limit). */
  public Future<Presences> fetch(List<String> userIds) {
    return send(new PresenceCommand.Fetch(userIds), Presences::fromJson);
  }

  /** Watches users (idempotent). */
  public Future<Watches> watch(List<String> userIds) {
    return send(new PresenceCommand.Watch(userIds), Watches::fromJson);
  }

  /** Stops watching users added with {@link #watch} (idempotent). */
  public Future<Watches> unwatch(List<String> userIds) {
    return send(new PresenceCommand.Unwatch(userIds), Watches::fromJson);
  }

  /** The watched users. */
  public Future<Watches> watches() {
    return send(new PresenceCommand.ListWatches(), Watches::fromJson);
  }

  /** Any other command; completes when Graph accepted it. */
  public Future<Void> send(PresenceCommand command) {
    return send(command, reply -> null);
  }

  private <R> Future<R> send(PresenceCommand command, Function<JsonObject, R> reply) {
    return bus.<JsonObject>request(PresenceCommand.ADDRESS, command.toJson(), options)
        .transform(ar -> ar.succeeded() ? Future.succeededFuture(reply.apply(ar.result().body()))
            : Future.failedFuture(SwitchboardException.from(ar.cause())));
  }
}
