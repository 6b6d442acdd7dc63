package dev.switchboard.api.meetings;

import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A command to the meetings bundle: request its {@link #toJson() JSON} on {@link #ADDRESS} (or use
 * {@link MeetingsClient}, which does that and reads the reply as {@code R}). Commands on one meeting
 * ({@link OnMeeting}) are carried out one at a time, in order, by the version of the meetings plugin that owns the
 * meeting (with its scheduled join's timer); {@link Create} and {@link Find} by whichever version receives them.
 *
 * <p>On the wire a command is a JSON object whose {@code command} field names it ({@link #name()}), with
 * {@code meetingId} for a command on a meeting and the command's own fields, e.g.
 * {@code {"command": "scheduleJoin", "meetingId": "…", "lead": "PT30S"}}.
 *
 * <p>A failed command fails the reply with a {@link dev.switchboard.api.SwitchboardException}: {@code 400
 * badRequest} for a malformed command (also a change of the organizer, or an end before the start), {@code 404
 * meetingNotFound}, {@code 409 illegalState} (joining a meeting the bot is already in), {@code 422 invalidJoinUrl}
 * (a join URL that is not a Teams meeting's), and Graph's own failures with Graph's status and error code (e.g.
 * {@code 403 General} when the tenant's application access policy does not cover the organizer, {@code 404
 * itemNotFound} for an unknown organizer).
 *
 * @param <R> what the command replies
 */
public sealed interface MeetingCommand<R> {

  /** Where commands are requested (request/reply, point to point). */
  String ADDRESS = "switchboard.meetings.commands";

  /** The command's name on the wire. */
  String name();

  /** The wire form. */
  JsonObject toJson();

  /** Reads this command's reply from its wire form. */
  R replyFromJson(JsonObject reply);

  /** The wire form of this command's reply. */
  JsonObject replyToJson(R reply);

  /**
   * Reads a command.
   *
   * @throws dev.switchboard.api.SwitchboardException 400 for a body that is not a command
   */
  static MeetingCommand<?> fromJson(JsonObject json) {
    String name = Json.required(json, "command");
    return switch (name) {
      case "create" -> Create.read(json);
      case "find" -> new Find(Json.string(json, "joinWebUrl"), Json.string(json, "joinMeetingId"),
          Json.string(json, "organizerId"));
      case "get" -> new Get(Json.required(json, "meetingId"));
      case "update" -> Update.read(json);
      case "delete" -> new Delete(Json.required(json, "meetingId"));
      case "join" -> new Join(Json.required(json, "meetingId"));
      case "scheduleJoin" -> new ScheduleJoin(Json.required(json, "meetingId"), Json.duration(json, "lead"));
      case "cancelJoin" -> new CancelJoin(Json.required(json, "meetingId"));
      default -> throw Json.bad("'command' must be one of create, find, get, update, delete, join, scheduleJoin,"
          + " cancelJoin; got '" + name + "'.");
    };
  }

  /** A command on one meeting, carried out by the meeting's owner. */
  sealed interface OnMeeting<R> extends MeetingCommand<R> {
    /** The meeting. */
    String meetingId();
  }

  /** A command that replies the meeting as it is once the command was carried out. */
  sealed interface ReplyingMeeting extends MeetingCommand<OnlineMeeting> {
    @Override
    default OnlineMeeting replyFromJson(JsonObject reply) {
      return OnlineMeeting.fromJson(reply);
    }

    @Override
    default JsonObject replyToJson(OnlineMeeting reply) {
      return reply.toJson();
    }
  }

  private static JsonObject command(String name, String meetingId) {
    return Json.putIf(new JsonObject().put("command", name), "meetingId", meetingId);
  }

  /**
   * Creates an online meeting for {@code organizerId} ({@code POST /users/{organizerId}/onlineMeetings}), or, with
   * an {@code externalId}, returns the organizer's meeting of that external id and creates it only when there is
   * none (Graph's {@code createOrGet}). Graph's defaults apply: no start and end is now to an hour later, a start
   * alone lasts an hour; an end without a start, or before the start, is refused here ({@code 400}).
   *
   * @param organizerId the organizer (a user id of the tenant)
   * @param subject the subject, or {@code null}
   * @param startDateTime the start, or {@code null}
   * @param endDateTime the end, or {@code null}
   * @param attendees the attendees' user ids, or {@code null}
   * @param externalId the caller's id of the meeting (createOrGet), or {@code null}
   */
  record Create(String organizerId, String subject, Instant startDateTime, Instant endDateTime,
      List<String> attendees, String externalId) implements MeetingCommand<Created> {

    public Create {
      if (organizerId == null || organizerId.isBlank()) {
        throw Json.bad("'organizerId' is required: the user whose meeting it is.");
      }
      if (endDateTime != null && startDateTime == null) {
        throw Json.bad("'endDateTime' needs a 'startDateTime' (Graph refuses an end without a start).");
      }
      if (endDateTime != null && endDateTime.isBefore(startDateTime)) {
        throw endBeforeStart(startDateTime, endDateTime);
      }
      attendees = attendees == null ? List.of() : List.copyOf(attendees);
    }

    /** A meeting of {@code organizerId} from {@code start} to {@code end} (either may be {@code null}). */
    public static Create of(String organizerId, String subject, Instant start, Instant end) {
      return new Create(organizerId, subject, start, end, null, null);
    }

    /** This command as a createOrGet of {@code id}. */
    public Create withExternalId(String id) {
      return new Create(organizerId, subject, startDateTime, endDateTime, attendees, id);
    }

    /** This command with attendees. */
    public Create withAttendees(List<String> userIds) {
      return new Create(organizerId, subject, startDateTime, endDateTime, userIds, externalId);
    }

    static Create read(JsonObject json) {
      return new Create(Json.string(json, "organizerId"), Json.string(json, "subject"),
          Json.instant(json, "startDateTime"), Json.instant(json, "endDateTime"), Json.strings(json, "attendees"),
          Json.string(json, "externalId"));
    }

    @Override
    public String name() {
      return "create";
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = command(name(), null).put("organizerId", organizerId);
      Json.putIf(json, "subject", subject);
      Json.putIf(json, "startDateTime", startDateTime);
      Json.putIf(json, "endDateTime", endDateTime);
      Json.putIf(json, "attendees", attendees.isEmpty() ? null : attendees);
      return Json.putIf(json, "externalId", externalId);
    }

    @Override
    public Created replyFromJson(JsonObject reply) {
      return new Created(OnlineMeeting.fromJson(Json.requireNonNull(Json.object(reply, "meeting"), "meeting")),
          Json.bool(reply, "created"));
    }

    @Override
    public JsonObject replyToJson(Created reply) {
      return new JsonObject().put("meeting", reply.meeting().toJson()).put("created", reply.created());
    }
  }

  /**
   * The reply of {@link Create}.
   *
   * @param meeting the meeting
   * @param created whether it was created now ({@code false}: a createOrGet found it)
   */
  record Created(OnlineMeeting meeting, boolean created) {
  }

  /**
   * Finds a meeting by its join URL (the organizer is read from the URL) or by its join meeting id (the organizer
   * is the bundle's record of the meeting, else {@code organizerId}). Replies the meeting; {@code 404
   * meetingNotFound} when Graph has none.
   *
   * @param joinWebUrl a Teams join URL, or {@code null}
   * @param joinMeetingId a join meeting id, or {@code null}
   * @param organizerId the organizer, needed for a join meeting id the bundle does not know; or {@code null}
   */
  record Find(String joinWebUrl, String joinMeetingId, String organizerId) implements ReplyingMeeting {
    public Find {
      if ((joinWebUrl == null) == (joinMeetingId == null)) {
        throw Json.bad("finding a meeting needs exactly one of 'joinWebUrl' and 'joinMeetingId'.");
      }
    }

    @Override
    public String name() {
      return "find";
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = command(name(), null);
      Json.putIf(json, "joinWebUrl", joinWebUrl);
      Json.putIf(json, "joinMeetingId", joinMeetingId);
      return Json.putIf(json, "organizerId", organizerId);
    }
  }

  /** The meeting, as Graph has it now, with the bot's join. */
  record Get(String meetingId) implements OnMeeting<OnlineMeeting>, ReplyingMeeting {
    @Override
    public String name() {
      return "get";
    }

    @Override
    public JsonObject toJson() {
      return command(name(), meetingId);
    }
  }

  /**
   * Changes a meeting (Graph's PATCH): only the fields given. {@code startDateTime} and {@code endDateTime} go
   * together (Graph's rule); {@code attendees} replaces the whole list. The organizer cannot change: a command that
   * names one is refused ({@code 400}). A scheduled join follows a new start.
   */
  record Update(String meetingId, String subject, Instant startDateTime, Instant endDateTime,
      List<String> attendees) implements OnMeeting<OnlineMeeting>, ReplyingMeeting {

    public Update {
      Json.requireNonNull(meetingId, "meetingId");
      if ((startDateTime == null) != (endDateTime == null)) {
        throw Json.bad("'startDateTime' and 'endDateTime' change together (Graph's rule): send both or neither.");
      }
      if (startDateTime != null && endDateTime.isBefore(startDateTime)) {
        throw endBeforeStart(startDateTime, endDateTime);
      }
      if (subject == null && startDateTime == null && attendees == null) {
        throw Json.bad("nothing to change: send 'subject', 'startDateTime' and 'endDateTime', or 'attendees'.");
      }
      attendees = attendees == null ? null : List.copyOf(attendees);
    }

    static Update read(JsonObject json) {
      boolean graphShaped = json.getValue("participants") instanceof JsonObject p && p.containsKey("organizer");
      if (json.containsKey("organizerId") || json.containsKey("organizer") || graphShaped) {
        throw Json.bad("the organizer of a meeting cannot change (Graph's rule); create a meeting for the new"
            + " organizer instead.");
      }
      return new Update(Json.required(json, "meetingId"), Json.string(json, "subject"),
          Json.instant(json, "startDateTime"), Json.instant(json, "endDateTime"), Json.strings(json, "attendees"));
    }

    @Override
    public String name() {
      return "update";
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = command(name(), meetingId);
      Json.putIf(json, "subject", subject);
      Json.putIf(json, "startDateTime", startDateTime);
      Json.putIf(json, "endDateTime", endDateTime);
      return Json.putIf(json, "attendees", attendees);
    }
  }

  /** Deletes the meeting in Graph and forgets it; a scheduled join is cancelled. Idempotent once done. */
  record Delete(String meetingId) implements OnMeeting<Void> {
    @Override
    public String name() {
      return "delete";
    }

    @Override
    public JsonObject toJson() {
      return command(name(), meetingId);
    }

    @Override
    public Void replyFromJson(JsonObject reply) {
      return null;
    }

    @Override
    public JsonObject replyToJson(Void reply) {
      return new JsonObject();
    }
  }

  /**
   * Joins the bot to the meeting now, through the calling bundle (a {@code CallCommand.Create} by join URL); a
   * scheduled join is replaced. Replies the meeting with {@code botJoin} {@code joining} and the call id.
   */
  record Join(String meetingId) implements OnMeeting<OnlineMeeting>, ReplyingMeeting {
    @Override
    public String name() {
      return "join";
    }

    @Override
    public JsonObject toJson() {
      return command(name(), meetingId);
    }
  }

  /**
   * Schedules the bot's join at the meeting's start minus {@code lead} ({@code null}: the plugin's
   * {@code defaultJoinLead}). Kept in the plugin's state store with a key timer: it survives restarts and bundle
   * updates and fires once. Scheduling again replaces the schedule; a join due in the past fires at once.
   */
  record ScheduleJoin(String meetingId, Duration lead) implements OnMeeting<OnlineMeeting>, ReplyingMeeting {
    public ScheduleJoin {
      Json.requireNonNull(meetingId, "meetingId");
      if (lead != null && lead.isNegative()) {
        throw Json.bad("'lead' must not be negative; got " + lead + ".");
      }
    }

    @Override
    public String name() {
      return "scheduleJoin";
    }

    @Override
    public JsonObject toJson() {
      return Json.putIf(command(name(), meetingId), "lead", lead);
    }
  }

  /** Cancels a scheduled join that has not fired. */
  record CancelJoin(String meetingId) implements OnMeeting<OnlineMeeting>, ReplyingMeeting {
    @Override
    public String name() {
      return "cancelJoin";
    }

    @Override
    public JsonObject toJson() {
      return command(name(), meetingId);
    }
  }

  /** An end before the start: refused, as Graph refuses it (an end equal to the start is a meeting of no length). */
  private static SwitchboardException endBeforeStart(Instant start, Instant end) {
    return Json.bad("'endDateTime' (" + end + ") must not be before 'startDateTime' (" + start + ").");
  }
}
