package dev.switchboard.api.meetings;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Something that happened to a meeting, published by the meetings bundle on the event's topic ({@code TOPIC} of
 * each record; all in {@link #TOPICS}) with {@link dev.switchboard.api.PluginContext#publishKeyed} (key: the meeting
 * id), by the version of the plugin that owns the meeting, in the order it happened: a plugin that
 * {@linkplain dev.switchboard.api.PluginContext#follow follows} a topic gets each event once, in order.
 *
 * <p>On the wire: {@code {"type": "<topic's last segment>", "meetingId", "at", "meeting", ...the event's
 * fields}}.
 */
public sealed interface MeetingEvent {

  /** Every topic the meetings bundle publishes on. */
  List<String> TOPICS = List.of(Created.TOPIC, Updated.TOPIC, Deleted.TOPIC, BotJoined.TOPIC, BotLeft.TOPIC);

  /** The meeting as it was once the event happened (for {@link Deleted}, as it was before). */
  OnlineMeeting meeting();

  /** When it happened (the server's clock). */
  Instant at();

  /** The topic the event is published on. */
  String topic();

  /** The meeting's id. */
  default String meetingId() {
    return meeting().id();
  }

  /** The wire form. */
  default JsonObject toJson() {
    return new JsonObject().put("type", topic().substring(topic().lastIndexOf('.') + 1)).put("meetingId", meetingId())
        .put("at", at().toString()).put("meeting", meeting().toJson());
  }

  /**
   * Reads an event.
   *
   * @throws dev.switchboard.api.SwitchboardException 400 when {@code type} names no meeting event
   */
  static MeetingEvent fromJson(JsonObject json) {
    OnlineMeeting meeting = OnlineMeeting.fromJson(Json.requireNonNull(Json.object(json, "meeting"), "meeting"));
    Instant at = Json.requireNonNull(Json.instant(json, "at"), "at");
    String type = Json.required(json, "type");
    return switch (type) {
      case "created" -> new Created(meeting, at);
      case "updated" -> new Updated(meeting, at);
      case "deleted" -> new Deleted(meeting, at);
      case "botJoined" -> new BotJoined(meeting, at, Json.required(json, "callId"));
      case "botLeft" -> new BotLeft(meeting, at, Json.string(json, "callId"), Json.string(json, "reason"));
      default -> throw Json.bad("'type' must be one of created, updated, deleted, botJoined, botLeft; got '" + type
          + "'.");
    };
  }

  private static void checked(OnlineMeeting meeting, Instant at) {
    Objects.requireNonNull(meeting, "meeting");
    Objects.requireNonNull(at, "at");
  }

  /** The bundle created a meeting (createOrGet that found one publishes nothing). */
  record Created(OnlineMeeting meeting, Instant at) implements MeetingEvent {
    public static final String TOPIC = "switchboard.meetings.created";

    public Created {
      checked(meeting, at);
    }

    @Override
    public String topic() {
      return TOPIC;
    }
  }

  /** The meeting changed: its fields (an update) or its bot join's schedule. */
  record Updated(OnlineMeeting meeting, Instant at) implements MeetingEvent {
    public static final String TOPIC = "switchboard.meetings.updated";

    public Updated {
      checked(meeting, at);
    }

    @Override
    public String topic() {
      return TOPIC;
    }
  }

  /** The meeting was deleted (and any scheduled join cancelled). */
  record Deleted(OnlineMeeting meeting, Instant at) implements MeetingEvent {
    public static final String TOPIC = "switchboard.meetings.deleted";

    public Deleted {
      checked(meeting, at);
    }

    @Override
    public String topic() {
      return TOPIC;
    }
  }

  /**
   * The bot's call in the meeting is established. A bot that acts in the meeting (plays an announcement, ...)
   * sends {@code dev.switchboard.api.calls} or {@code dev.switchboard.api.media} commands on {@code callId}.
   */
  record BotJoined(OnlineMeeting meeting, Instant at, String callId) implements MeetingEvent {
    public static final String TOPIC = "switchboard.meetings.botJoined";

    public BotJoined {
      checked(meeting, at);
      Objects.requireNonNull(callId, "callId");
    }

    @Override
    public String topic() {
      return TOPIC;
    }

    @Override
    public JsonObject toJson() {
      return MeetingEvent.super.toJson().put("callId", callId);
    }
  }

  /**
   * The bot's call in the meeting ended, or its join failed.
   *
   * @param callId the call, or {@code null} when the join failed before a call existed
   * @param reason why, in words (e.g. "the last attendee left")
   */
  record BotLeft(OnlineMeeting meeting, Instant at, String callId, String reason) implements MeetingEvent {
    public static final String TOPIC = "switchboard.meetings.botLeft";

    public BotLeft {
      checked(meeting, at);
    }

    @Override
    public String topic() {
      return TOPIC;
    }

    @Override
    public JsonObject toJson() {
      return Json.putIf(Json.putIf(MeetingEvent.super.toJson(), "callId", callId), "reason", reason);
    }
  }
}
