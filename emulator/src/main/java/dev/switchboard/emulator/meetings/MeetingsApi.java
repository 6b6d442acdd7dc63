package dev.switchboard.emulator.meetings;

import dev.switchboard.emulator.http.Bodies;
import dev.switchboard.emulator.http.GraphException;
import dev.switchboard.emulator.world.DirectoryUser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Graph's onlineMeetings routes (graph-reference §5) on a {@link MeetingBook}. Every token is
 * app-only: {@code /me} is refused as Graph refuses it, and each {@code /users/{id}} route needs an
 * application access policy for that user. The permission table has checked the roles before.
 */
final class MeetingsApi {

  private static final String USERS = "/v1.0/users/:userId/onlineMeetings";
  private static final Pattern FILTER = Pattern.compile("(?i)^\\s*([a-z/]+)\\s+eq\\s+'(.*)'\\s*$");
  private static final Set<String> ROLES = Set.of("attendee", "presenter", "producer", "coorganizer");
  private static final Set<String> LOBBY_SCOPES = Set.of("organizer", "organization", "organizationAndFederated",
      "everyone", "invited", "organizationExcludingGuests");
  private static final Set<String> PRESENTERS = Set.of("everyone", "organization", "roleIsPresenter", "organizer");
  private static final List<String> READ_ONLY = List.of("id", "joinWebUrl", "chatInfo", "joinMeetingIdSettings",
      "audioConferencing", "videoTeleconferenceId", "externalId", "creationDateTime", "joinInformation");

  private final MeetingBook book;

  MeetingsApi(MeetingBook book) {
    this.book = book;
  }

  void mount(Router router) {
    router.route("/v1.0/me/onlineMeetings*").handler(ctx -> {
      throw new GraphException(400, "BadRequest", "/me request is only valid with delegated authentication flow.");
    });
    router.post(USERS).handler(ctx -> {
      DirectoryUser organizer = organizer(ctx);
      json(ctx, 201, create(organizer, Bodies.object(ctx), null).toJson().put("@odata.context", context(ctx)));
    });
    router.post(USERS + "/createOrGet").handler(ctx -> {
      DirectoryUser organizer = organizer(ctx);
      JsonObject body = Bodies.object(ctx);
      String externalId = Bodies.string(body, "externalId", true);
      OnlineMeeting existing = book.byExternalId(organizer.id(), externalId);
      if (existing != null) {
        json(ctx, 200, existing.toJson().put("@odata.context", context(ctx)));
      } else {
        json(ctx, 201, create(organizer, body, externalId).toJson().put("@odata.context", context(ctx)));
      }
    });
    router.get(USERS).handler(ctx -> {
      DirectoryUser organizer = organizer(ctx);
      Predicate<OnlineMeeting> match = filter(ctx, List.of("joinweburl", "joinmeetingidsettings/joinmeetingid"));
      JsonArray value = new JsonArray();
      book.all().stream().filter(m -> m.organizerId.equals(organizer.id())).filter(match)
          .forEach(m -> value.add(m.toJson()));
      json(ctx, 200, new JsonObject().put("@odata.context", context(ctx).replace("/$entity", "")).put("value", value));
    });
    // by VideoTeleconferenceId: app-only, no access policy (graph-reference §5)
    router.get("/v1.0/communications/onlineMeetings").handler(ctx -> {
      Predicate<OnlineMeeting> match = filter(ctx, List.of("videoteleconferenceid"));
      JsonArray value = new JsonArray();
      book.all().stream().filter(match).forEach(m -> value.add(m.toJson()));
      json(ctx, 200, new JsonObject().put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata"
          + "#communications/onlineMeetings").put("value", value));
    });
    router.get(USERS + "/:meetingId").handler(ctx -> json(ctx, 200, meeting(ctx).toJson()));
    router.patch(USERS + "/:meetingId").handler(ctx -> {
      OnlineMeeting m = meeting(ctx);
      update(m, Bodies.object(ctx));
      json(ctx, 200, m.toJson());
    });
    router.delete(USERS + "/:meetingId").handler(ctx -> {
      book.remove(meeting(ctx));
      ctx.response().setStatusCode(204).end();
    });
  }

  // ---------------------------------------------------------------- operations

  private OnlineMeeting create(DirectoryUser organizer, JsonObject body, String externalId) {
    Instant start = date(body, "startDateTime");
    Instant end = date(body, "endDateTime");
    if (end != null && start == null) {
      throw GraphException.badRequest("endDateTime was given without startDateTime: give both, only startDateTime"
          + " (the meeting lasts an hour), or neither (it starts now).");
    }
    if (start == null) {
      start = book.now();
    }
    if (end == null) {
      end = start.plus(Duration.ofHours(1));
    }
    checkOrder(start, end);
    JsonObject participants = Bodies.object(body, "participants", false);
    if (participants != null && participants.getValue("organizer") instanceof JsonObject o) {
      checkOrganizer(o, organizer.id());
    }
    JsonObject idSettings = Bodies.object(body, "joinMeetingIdSettings", false);
    boolean passcode = idSettings == null || !Boolean.FALSE.equals(idSettings.getValue("isPasscodeRequired"));
    OnlineMeeting m = new OnlineMeeting(book.organizer(organizer), organizer.id(), book.tenantId(), book.now(),
        externalId, passcode);
    m.start = start;
    m.end = end;
    m.subject = Bodies.string(body, "subject", false);
    m.attendees = attendees(participants);
    m.lobbyBypassSettings = new JsonObject().put("scope", "organization").put("isDialInBypassEnabled", false);
    m.allowedPresenters = "everyone";
    m.entryExitAnnounced = true;
    settings(m, body);
    book.add(m);
    return m;
  }

  /** PATCH: start and end together, the organizer fixed, attendees replaced as a whole. */
  private void update(OnlineMeeting m, JsonObject body) {
    List<String> readOnly = READ_ONLY.stream().filter(body::containsKey).toList();
    if (!readOnly.isEmpty()) {
      throw GraphException.badRequest("Cannot update " + String.join(", ", readOnly) + ": read-only after creation."
          + " Updatable are startDateTime, endDateTime, subject, participants (attendees), isEntryExitAnnounced,"
          + " lobbyBypassSettings and allowedPresenters.");
    }
    boolean hasStart = body.getValue("startDateTime") != null;
    if (hasStart != (body.getValue("endDateTime") != null)) {
      throw GraphException.badRequest("startDateTime and endDateTime must be updated together: send both.");
    }
    Instant start = hasStart ? date(body, "startDateTime") : m.start;
    Instant end = hasStart ? date(body, "endDateTime") : m.end;
    checkOrder(start, end);
    JsonObject participants = Bodies.object(body, "participants", false);
    JsonArray attendees = m.attendees;
    if (participants != null) {
      if (participants.getValue("organizer") instanceof JsonObject o) {
        checkOrganizer(o, m.organizerId);
      }
      if (participants.containsKey("attendees")) {
        attendees = attendees(participants); // the full list: who is not in it is no longer invited
      }
    }
    String subject = body.containsKey("subject") ? Bodies.string(body, "subject", false) : m.subject;
    settings(m, body);
    m.start = start;
    m.end = end;
    m.subject = subject;
    m.attendees = attendees;
  }

  private void settings(OnlineMeeting m, JsonObject body) {
    JsonObject lobby = Bodies.object(body, "lobbyBypassSettings", false);
    if (lobby != null) {
      String scope = Bodies.string(lobby, "scope", false);
      if (scope != null && !LOBBY_SCOPES.contains(scope)) {
        throw GraphException.badRequest("lobbyBypassSettings.scope must be one of " + LOBBY_SCOPES + "; got '"
            + scope + "'.");
      }
      Object dialIn = lobby.getValue("isDialInBypassEnabled");
      if (dialIn != null && !(dialIn instanceof Boolean)) {
        throw GraphException.badRequest("lobbyBypassSettings.isDialInBypassEnabled must be a boolean.");
      }
      lobby.forEach(e -> m.lobbyBypassSettings.put(e.getKey(), e.getValue()));
    }
    String presenters = Bodies.string(body, "allowedPresenters", false);
    if (presenters != null && !PRESENTERS.contains(presenters)) {
      throw GraphException.badRequest("allowedPresenters must be one of " + PRESENTERS + "; got '" + presenters + "'.");
    }
    if (presenters != null) {
      m.allowedPresenters = presenters;
    }
    Object announced = body.getValue("isEntryExitAnnounced");
    if (announced != null && !(announced instanceof Boolean)) {
      throw GraphException.badRequest("isEntryExitAnnounced must be a boolean.");
    }
    if (announced != null) {
      m.entryExitAnnounced = (Boolean) announced;
    }
  }

  private JsonArray attendees(JsonObject participants) {
    JsonArray out = new JsonArray();
    Object given = participants == null ? null : participants.getValue("attendees");
    if (given == null) {
      return out;
    }
    if (!(given instanceof JsonArray list)) {
      throw GraphException.badRequest("participants.attendees must be an array of meetingParticipantInfo.");
    }
    for (Object o : list) {
      if (!(o instanceof JsonObject a) || !(a.getValue("identity") instanceof JsonObject identity)
          || !(identity.getValue("user") instanceof JsonObject user) || !(user.getValue("id") instanceof String id)) {
        throw GraphException.badRequest("Each attendee must be a meetingParticipantInfo with identity.user.id.");
      }
      String role = Bodies.string(a, "role", false);
      if (role != null && !ROLES.contains(role)) {
        throw GraphException.badRequest("An attendee's role must be one of " + ROLES + "; got '" + role + "'.");
      }
      out.add(book.attendee(id, user.getString("displayName"), Bodies.string(a, "upn", false),
          role == null ? "attendee" : role));
    }
    return out;
  }

  private static void checkOrganizer(JsonObject organizer, String organizerId) {
    Object user = organizer.getValue("identity") instanceof JsonObject i ? i.getValue("user") : null;
    String id = user instanceof JsonObject u ? u.getString("id") : null;
    if (id != null && !id.equals(organizerId)) {
      throw GraphException.badRequest("The organizer of an online meeting cannot be changed: it is the user in the"
          + " request path (" + organizerId + ").");
    }
  }

  private static void checkOrder(Instant start, Instant end) {
    if (end.isBefore(start)) {
      throw GraphException.badRequest("endDateTime (" + end + ") must not be before startDateTime (" + start + ").");
    }
  }

  // ---------------------------------------------------------------- request parts

  /** The user in the path, who must exist and be granted by the access policy. */
  private DirectoryUser organizer(RoutingContext ctx) {
    String userId = ctx.pathParam("userId");
    DirectoryUser user = book.user(userId);
    book.policies().check(user.id());
    return user;
  }

  private OnlineMeeting meeting(RoutingContext ctx) {
    DirectoryUser organizer = organizer(ctx);
    OnlineMeeting m = book.byId(ctx.pathParam("meetingId"));
    if (m == null || !m.organizerId.equals(organizer.id())) {
      throw GraphException.notFound("The online meeting " + ctx.pathParam("meetingId") + " was not found for user "
          + organizer.id() + ".");
    }
    return m;
  }

  private static Predicate<OnlineMeeting> filter(RoutingContext ctx, List<String> properties) {
    String filter = ctx.request().getParam("$filter");
    Matcher f = filter == null ? null : FILTER.matcher(filter);
    if (f == null || !f.matches() || !properties.contains(f.group(1).toLowerCase(Locale.ROOT))) {
      throw GraphException.badRequest("Listing online meetings needs $filter=<property> eq '<value>' with one of "
          + properties + "; got " + (filter == null ? "none" : "'" + filter + "'") + ".");
    }
    String value = f.group(2).replace("''", "'");
    return switch (f.group(1).toLowerCase(Locale.ROOT)) {
      case "joinweburl" -> m -> decode(m.joinWebUrl).equals(decode(value)); // encoded once (as documented) or not
      case "joinmeetingidsettings/joinmeetingid" -> m -> m.joinMeetingId.equals(value);
      default -> m -> m.videoTeleconferenceId.equals(value);
    };
  }

  /** Fully percent-decoded: clients encode a join URL in a filter once, twice or not at all. */
  private static String decode(String s) {
    String current = s;
    for (int i = 0; i < 3 && current.contains("%"); i++) {
      try {
        current = URLDecoder.decode(current.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return current;
      }
    }
    return current;
  }

  private static Instant date(JsonObject body, String name) {
    String text = Bodies.string(body, name, false);
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        throw GraphException.badRequest("Property '" + name + "' must be an ISO 8601 date and time such as"
            + " 2024-07-12T14:30:00Z; got '" + text + "'.");
      }
    }
  }

  private static String context(RoutingContext ctx) {
    return "https://graph.microsoft.com/v1.0/$metadata#users('" + ctx.pathParam("userId") + "')/onlineMeetings/$entity";
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
