package dev.switchboard.api.media;

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
 * Sends {@link MediaCommand}s to the media bundle and reads its replies, so that a bot never builds or parses JSON:
 * <pre>{@code
 * MediaClient media = MediaClient.of(context);
 * media.play(MediaCommand.Play.of(callId, PromptRef.text("Hello!")))
 *     .onSuccess(started -> ...)              // started.operationId(); the outcome is a MediaEvent
 *     .onFailure(e -> ...);                   // a SwitchboardException
 * }</pre>
 *
 * <p>Every future completes on the caller's context (the event bus's rule) and fails with a
 * {@link SwitchboardException}: the media bundle's own (see {@link MediaCommand}), {@code 503 noHandler} when the
 * media bundle is not running, {@code 504 timeout} when it did not answer within the send timeout. Thread-safe.
 */
public final class MediaClient {

  private final EventBus bus;
  private final DeliveryOptions options;

  private MediaClient(EventBus bus, DeliveryOptions options) {
    this.bus = Objects.requireNonNull(bus, "bus");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** A client that sends over {@code bus} with the event bus's default timeout (30 s). */
  public static MediaClient of(EventBus bus) {
    return new MediaClient(bus, new DeliveryOptions());
  }

  /** A client on the plugin's event bus. */
  public static MediaClient of(PluginContext context) {
    return of(context.eventBus());
  }

  /** This client with another reply timeout. */
  public MediaClient withTimeout(long millis) {
    return new MediaClient(bus, new DeliveryOptions(options).setSendTimeout(millis));
  }

  /** Starts a play; its outcome is a {@link MediaEvent.PlayCompleted}. */
  public Future<OperationStarted> play(MediaCommand.Play play) {
    return send(play, OperationStarted::fromJson);
  }

  /** Starts a recording; its outcome is a {@link MediaEvent.RecordCompleted}. */
  public Future<OperationStarted> record(MediaCommand.Record record) {
    return send(record, OperationStarted::fromJson);
  }

  /** Starts a gather; its outcome is a {@link MediaEvent.GatherCompleted}. */
  public Future<OperationStarted> gather(MediaCommand.Gather gather) {
    return send(gather, OperationStarted::fromJson);
  }

  /** Cancels the call's plays, recordings and gather. */
  public Future<Cancelled> cancel(String callId) {
    return send(new MediaCommand.Cancel(callId), Cancelled::fromJson);
  }

  /** The call's media. */
  public Future<MediaStatus> status(String callId) {
    return send(new MediaCommand.Status(callId), MediaStatus::fromJson);
  }

  /** The files {@code prompts} resolve to, for a call's {@code preFetchMedia}. */
  public Future<ResolvedPrompts> resolvePrompts(List<PromptRef> prompts) {
    return send(new MediaCommand.ResolvePrompts(prompts), ResolvedPrompts::fromJson);
  }

  private <R> Future<R> send(MediaCommand command, Function<JsonObject, R> reply) {
    return bus.<JsonObject>request(MediaCommand.ADDRESS, command.toJson(), options)
        .transform(ar -> ar.succeeded() ? Future.succeededFuture(reply.apply(ar.result().body()))
            : Future.failedFuture(SwitchboardException.from(ar.cause())));
  }
}
