package dev.switchboard.api.calls;

import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * Sends {@link CallCommand}s to the calling bundle and reads their replies, so that a bot never builds or parses
 * JSON:
 * <pre>{@code
 * CallsClient calls = CallsClient.of(context);
 * calls.send(CallCommand.Answer.of(callId, context.name(), true))
 *     .onSuccess(call -> context.logger().log(INFO, "answered, " + call.state()))
 *     .onFailure(e -> context.logger().log(WARNING, "answer failed: " + e.getMessage()));
 * }</pre>
 * Thread-safe; the returned futures complete on the caller's context when it has one. A failure is always a
 * {@link SwitchboardException} (see {@link CallCommand} for the codes), also when the calling bundle is not running
 * ({@code 503 noHandler}) or does not answer in time ({@code 504}).
 */
public final class CallsClient {

  private final EventBus bus;
  private final DeliveryOptions options;

  private CallsClient(EventBus bus, DeliveryOptions options) {
    this.bus = Objects.requireNonNull(bus, "bus");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** A client on {@code bus}, with the event bus's default reply timeout (30 s). */
  public static CallsClient of(EventBus bus) {
    return new CallsClient(bus, new DeliveryOptions());
  }

  /** A client on the plugin's event bus. */
  public static CallsClient of(PluginContext context) {
    return of(context.eventBus());
  }

  /** This client with another reply timeout. */
  public CallsClient withTimeout(long millis) {
    return new CallsClient(bus, new DeliveryOptions(options).setSendTimeout(millis));
  }

  /** Requests {@code command} on {@link CallCommand#ADDRESS}; its reply. */
  public <R> Future<R> send(CallCommand<R> command) {
    Objects.requireNonNull(command, "command");
    return bus.<JsonObject>request(CallCommand.ADDRESS, command.toJson(), options)
        .transform(ar -> ar.succeeded()
            ? Future.succeededFuture(command.replyFromJson(ar.result().body() == null ? new JsonObject()
                : ar.result().body()))
            : Future.failedFuture(SwitchboardException.from(ar.cause())));
  }

  /** The call {@code callId}. */
  public Future<CallView> get(String callId) {
    return send(new CallCommand.Get(callId));
  }

  /** Every call the bundle knows in {@code state} ({@code null}: all). */
  public Future<List<CallView>> list(CallState state) {
    return send(new CallCommand.ListCalls(state));
  }

  /** Hangs up {@code callId}. */
  public Future<CallView> hangUp(String callId) {
    return send(new CallCommand.HangUp(callId));
  }
}
