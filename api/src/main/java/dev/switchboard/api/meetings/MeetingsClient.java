package dev.switchboard.api.meetings;

import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Objects;

/**
 * Sends {@link MeetingCommand}s to the meetings bundle and reads their replies:
 * <pre>{@code
 * MeetingsClient meetings = MeetingsClient.of(context);
 * meetings.send(MeetingCommand.Create.of(organizerId, "Standup", start, end))
 *     .compose(created -> meetings.scheduleJoin(created.meeting().id(), Duration.ZERO));
 * }</pre>
 * Thread-safe; the returned futures complete on the caller's context when it has one. A failure is always a
 * {@link SwitchboardException} (see {@link MeetingCommand} for the codes), also when the meetings bundle is not
 * running ({@code 503 noHandler}) or does not answer in time ({@code 504}).
 */
public final class MeetingsClient {

  private final EventBus bus;
  private final DeliveryOptions options;

  private MeetingsClient(EventBus bus, DeliveryOptions options) {
    this.bus = Objects.requireNonNull(bus, "bus");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** A client on {@code bus}, with the event bus's default reply timeout (30 s). */
  public static MeetingsClient of(EventBus bus) {
    return new MeetingsClient(bus, new DeliveryOptions());
  }

  /** A client on the plugin's event bus. */
  public static MeetingsClient of(PluginContext context) {
    return of(context.eventBus());
  }

  /** This client with another reply timeout. */
  public MeetingsClient withTimeout(long millis) {
    return new MeetingsClient(bus, new DeliveryOptions(options).setSendTimeout(millis));
  }

  /** Requests {@code command} on {@link MeetingCommand#ADDRESS}; its reply. */
  public <R> Future<R> send(MeetingCommand<R> command) {
    Objects.requireNonNull(command, "command");
    return bus.<JsonObject>request(MeetingCommand.ADDRESS, command.toJson(), options)
        .transform(ar -> ar.succeeded()
            ? Future.succeededFuture(command.replyFromJson(ar.result().body() == null ? new JsonObject()
                : ar.result().body()))
            : Future.failedFuture(SwitchboardException.from(ar.cause())));
  }

  /** The meeting {@code meetingId}. */
  public Future<OnlineMeeting> get(String meetingId) {
    return send(new MeetingCommand.Get(meetingId));
  }

  /** Joins the bot to {@code meetingId} now. */
  public Future<OnlineMeeting> join(String meetingId) {
    return send(new MeetingCommand.Join(meetingId));
  }

  /** Schedules the bot's join {@code lead} before the start of {@code meetingId} ({@code null}: the default). */
  public Future<OnlineMeeting> scheduleJoin(String meetingId, Duration lead) {
    return send(new MeetingCommand.ScheduleJoin(meetingId, lead));
  }
}
