package dev.switchboard.meetings;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.GraphClient;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.meetings.MeetingCommand;
import dev.switchboard.api.meetings.OnlineMeeting;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Graph's {@code /users/{organizer}/onlineMeetings} (graph-reference §5) and the mapping between Graph's
 * {@code onlineMeeting} and the contract's {@link OnlineMeeting}. Graph's failures pass through as Graph's (status,
 * code, message): {@code 403 General} without an application access policy, {@code 404 itemNotFound}, ...
 */
final class GraphMeetings {

  private final GraphClient graph;

  GraphMeetings(GraphClient graph) {
    this.graph = graph;
  }

  /** Creates (or, with an external id, creates or gets) a meeting; whether Graph created it (201). */
  Future<MeetingCommand.Created> create(MeetingCommand.Create command) {
    JsonObject body = new JsonObject();
    putIf(body, "subject", command.subject());
    putIf(body, "startDateTime", command.startDateTime());
    putIf(body, "endDateTime", command.endDateTime());
    putIf(body, "externalId", command.externalId());
    if (!command.attendees().isEmpty()) {
      body.put("participants", new JsonObject().put("attendees", attendees(command.attendees())));
    }
    String path = users(command.organizerId()) + (command.externalId() == null ? "" : "/createOrGet");
    return graph.post(path, body).map(r -> new MeetingCommand.Created(fromGraph(r.body(), command.organizerId()),
        r.status() == 201));
  }

  Future<OnlineMeeting> get(String organizerId, String meetingId) {
    return graph.get(users(organizerId) + "/" + encode(meetingId)).map(r -> fromGraph(r.body(), organizerId));
  }

  /** The organizer's meeting with this join URL or join meeting id; {@code null} when Graph has none. */
  Future<OnlineMeeting> find(String organizerId, String joinWebUrl, String joinMeetingId) {
    String filter = joinWebUrl != null ? "JoinWebUrl eq '" + joinWebUrl + "'"
        : "joinMeetingIdSettings/joinMeetingId eq '" + joinMeetingId + "'";
    return graph.get(users(organizerId) + "?$filter=" + encode(filter)).map(r -> {
      JsonArray value = r.body().getJsonArray("value", new JsonArray());
      return value.isEmpty() ? null : fromGraph(value.getJsonObject(0), organizerId);
    });
  }

  Future<OnlineMeeting> update(String organizerId, MeetingCommand.Update command) {
    JsonObject body = new JsonObject();
    putIf(body, "subject", command.subject());
    putIf(body, "startDateTime", command.startDateTime());
    putIf(body, "endDateTime", command.endDateTime());
    if (command.attendees() != null) {
      body.put("participants", new JsonObject().put("attendees", attendees(command.attendees())));
    }
    return graph.patch(users(organizerId) + "/" + encode(command.meetingId()), body)
        .map(r -> fromGraph(r.body(), organizerId));
  }

  Future<Void> delete(String organizerId, String meetingId) {
    return graph.delete(users(organizerId) + "/" + encode(meetingId)).mapEmpty();
  }

  /** The contract's meeting from Graph's {@code onlineMeeting}. */
  static OnlineMeeting fromGraph(JsonObject m, String organizerId) {
    JsonObject participants = m.getJsonObject("participants", new JsonObject());
    String organizer = userId(participants.getJsonObject("organizer"));
    List<String> attendees = new ArrayList<>();
    participants.getJsonArray("attendees", new JsonArray()).forEach(a -> {
      String id = a instanceof JsonObject o ? userId(o) : null;
      if (id != null) {
        attendees.add(id);
      }
    });
    JsonObject chat = m.getJsonObject("chatInfo", new JsonObject());
    JsonObject ids = m.getJsonObject("joinMeetingIdSettings", new JsonObject());
    return new OnlineMeeting(m.getString("id"), organizer != null ? organizer : organizerId, m.getString("subject"),
        instant(m.getString("startDateTime")), instant(m.getString("endDateTime")),
        instant(m.getString("creationDateTime")), m.getString("joinWebUrl"), chat.getString("threadId"),
        ids.getString("joinMeetingId"), ids.getString("passcode"), m.getString("externalId"), attendees, null);
  }

  private static String userId(JsonObject participantInfo) {
    if (participantInfo == null || !(participantInfo.getValue("identity") instanceof JsonObject identity)
        || !(identity.getValue("user") instanceof JsonObject user)) {
      return null;
    }
    return user.getString("id");
  }

  private static JsonArray attendees(List<String> userIds) {
    JsonArray out = new JsonArray();
    userIds.forEach(id -> out.add(new JsonObject().put("identity", new JsonObject().put("user",
        new JsonObject().put("id", id))).put("role", "attendee")));
    return out;
  }

  private static Instant instant(String value) {
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (RuntimeException e) {
      throw new SwitchboardException(ErrorCode.UPSTREAM, "Graph sent a meeting date that is not ISO-8601: " + value);
    }
  }

  private static void putIf(JsonObject json, String field, Object value) {
    if (value != null) {
      json.put(field, value.toString());
    }
  }

  private static String users(String organizerId) {
    return "/users/" + encode(organizerId) + "/onlineMeetings";
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
