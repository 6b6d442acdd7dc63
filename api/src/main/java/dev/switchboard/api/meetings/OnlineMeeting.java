package dev.switchboard.api.meetings;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An online meeting as the meetings bundle knows it: Graph's {@code onlineMeeting} (graph-reference §5), reduced to
 * what a bot acts on, and the bot's join.
 *
 * @param id Graph's meeting id; unique only together with its organizer, which the bundle remembers
 * @param organizerId the organizer's user id (the {@code {userId}} of {@code /users/{userId}/onlineMeetings})
 * @param subject the subject, or {@code null}
 * @param startDateTime the start, on Graph's clock
 * @param endDateTime the end, on Graph's clock
 * @param creationDateTime when Graph created it, or {@code null}
 * @param joinWebUrl the Teams join URL
 * @param threadId the meeting chat's thread ({@code chatInfo.threadId}), or {@code null}
 * @param joinMeetingId the join meeting id people type in, or {@code null}
 * @param passcode the passcode that goes with it, or {@code null}
 * @param externalId the caller's id of a meeting made with createOrGet, or {@code null}
 * @param attendees the attendees' user ids (may be empty)
 * @param botJoin the bot's join, or {@code null} when none was asked for
 */
public record OnlineMeeting(String id, String organizerId, String subject, Instant startDateTime,
    Instant endDateTime, Instant creationDateTime, String joinWebUrl, String threadId, String joinMeetingId,
    String passcode, String externalId, List<String> attendees, BotJoin botJoin) {

  public OnlineMeeting {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(organizerId, "organizerId");
    attendees = attendees == null ? List.of() : List.copyOf(attendees);
  }

  /** This meeting with another bot join. */
  public OnlineMeeting withBotJoin(BotJoin join) {
    return new OnlineMeeting(id, organizerId, subject, startDateTime, endDateTime, creationDateTime, joinWebUrl,
        threadId, joinMeetingId, passcode, externalId, attendees, join);
  }

  /** The wire form: the components by name, dates as ISO-8601, {@code botJoin} as {@link BotJoin#toJson()}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("organizerId", organizerId);
    Json.putIf(json, "subject", subject);
    Json.putIf(json, "startDateTime", startDateTime);
    Json.putIf(json, "endDateTime", endDateTime);
    Json.putIf(json, "creationDateTime", creationDateTime);
    Json.putIf(json, "joinWebUrl", joinWebUrl);
    Json.putIf(json, "threadId", threadId);
    Json.putIf(json, "joinMeetingId", joinMeetingId);
    Json.putIf(json, "passcode", passcode);
    Json.putIf(json, "externalId", externalId);
    Json.putIf(json, "attendees", attendees);
    return Json.putIf(json, "botJoin", botJoin == null ? null : botJoin.toJson());
  }

  public static OnlineMeeting fromJson(JsonObject json) {
    JsonObject join = Json.object(json, "botJoin");
    return new OnlineMeeting(Json.required(json, "id"), Json.required(json, "organizerId"),
        Json.string(json, "subject"), Json.instant(json, "startDateTime"), Json.instant(json, "endDateTime"),
        Json.instant(json, "creationDateTime"), Json.string(json, "joinWebUrl"), Json.string(json, "threadId"),
        Json.string(json, "joinMeetingId"), Json.string(json, "passcode"), Json.string(json, "externalId"),
        Json.strings(json, "attendees"), join == null ? null : BotJoin.fromJson(join));
  }
}
