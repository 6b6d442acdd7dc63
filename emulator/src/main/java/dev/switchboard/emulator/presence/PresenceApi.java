package dev.switchboard.emulator.presence;

import dev.switchboard.emulator.http.Bodies;
import dev.switchboard.emulator.http.GraphException;
import dev.switchboard.emulator.world.Directory;
import dev.switchboard.emulator.world.DirectoryUser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Graph presence routes (graph-reference §6): get one, get many, and the actions of
 * {@code /users/{id}/presence}. They are mounted after the permission filter, which checks
 * Presence.Read.All / Presence.ReadWrite.All. {@code /me/presence...} is refused: an application
 * token has no signed-in user.
 */
public final class PresenceApi {

  /** Graph's limit on the ids of one getPresencesByUserId. */
  static final int MAX_IDS = 650;
  static final Duration MIN_SESSION = Duration.ofMinutes(5);
  static final Duration MAX_SESSION = Duration.ofHours(4);

  /** setPresence: the documented availability/activity pairs. */
  static final Map<String, Set<String>> SESSION_PAIRS = Map.of(
      "Available", Set.of("Available"),
      "Busy", Set.of("InACall", "InAConferenceCall"),
      "Away", Set.of("Away"),
      "DoNotDisturb", Set.of("Presenting"));
  /** setUserPreferredPresence: the documented availability/activity pairs. */
  static final Map<String, Set<String>> PREFERRED_PAIRS = Map.of(
      "Available", Set.of("Available"),
      "Busy", Set.of("Busy"),
      "DoNotDisturb", Set.of("DoNotDisturb"),
      "BeRightBack", Set.of("BeRightBack"),
      "Away", Set.of("Away"),
      "Offline", Set.of("OffWork"));

  private static final String USER_PRESENCE = "/v1.0/users/:id/presence";

  private final PresenceBook book;
  private final Directory directory;
  private final String appId;
  private final String baseUrl;

  /**
   * @param appId the emulated app's client id: the only session id its setPresence may use
   */
  public PresenceApi(PresenceBook book, Directory directory, String appId, String baseUrl) {
    this.book = book;
    this.directory = directory;
    this.appId = appId;
    this.baseUrl = baseUrl;
  }

  public void mount(Router router) {
    router.route("/v1.0/me/presence").handler(PresenceApi::noSignedInUser);
    router.route("/v1.0/me/presence/*").handler(PresenceApi::noSignedInUser);
    router.get(USER_PRESENCE).handler(ctx -> json(ctx, presence(user(ctx), "users('" + user(ctx).id() + "')/presence/$entity")));
    router.get("/v1.0/communications/presences/:id").handler(ctx ->
        json(ctx, presence(user(ctx), "communications/presences/$entity")));
    router.post("/v1.0/communications/getPresencesByUserId").handler(this::many);
    router.post(USER_PRESENCE + "/setPresence").handler(ctx -> {
      DirectoryUser u = user(ctx);
      JsonObject body = Bodies.object(ctx);
      String sessionId = Bodies.string(body, "sessionId", true);
      if (!sessionId.equals(appId)) {
        throw GraphException.badRequest("The sessionId '" + sessionId + "' is not the application id of the caller."
            + " Supply the application (client) id, " + appId + ", as sessionId.");
      }
      String[] pair = pair(body, SESSION_PAIRS);
      Duration expiration = duration(body, Duration.ofMinutes(5));
      if (expiration.compareTo(MIN_SESSION) < 0 || expiration.compareTo(MAX_SESSION) > 0) {
        throw GraphException.badRequest("The expirationDuration '" + body.getString("expirationDuration")
            + "' is out of range: it must be between PT5M and PT4H.");
      }
      book.setSession(u.id(), sessionId, pair[0], pair[1], expiration);
      ok(ctx);
    });
    router.post(USER_PRESENCE + "/clearPresence").handler(ctx -> {
      DirectoryUser u = user(ctx);
      String sessionId = Bodies.string(Bodies.object(ctx), "sessionId", true);
      if (!book.clearSession(u.id(), sessionId)) {
        throw GraphException.notFound("The presence session '" + sessionId + "' does not exist for user " + u.id()
            + " (never set, cleared, or expired).");
      }
      ok(ctx);
    });
    router.post(USER_PRESENCE + "/setUserPreferredPresence").handler(ctx -> {
      DirectoryUser u = user(ctx);
      JsonObject body = Bodies.object(ctx);
      String[] pair = pair(body, PREFERRED_PAIRS);
      boolean busy = pair[0].equals("Busy") || pair[0].equals("DoNotDisturb");
      Duration expiration = duration(body, busy ? Duration.ofDays(1) : Duration.ofDays(7));
      if (expiration.isNegative() || expiration.isZero()) {
        throw GraphException.badRequest("The expirationDuration '" + body.getString("expirationDuration")
            + "' must be a positive duration.");
      }
      book.setPreferred(u.id(), pair[0], pair[1], expiration);
      ok(ctx);
    });
    router.post(USER_PRESENCE + "/clearUserPreferredPresence").handler(ctx -> {
      book.clearPreferred(user(ctx).id());
      ok(ctx);
    });
    router.post(USER_PRESENCE + "/setStatusMessage").handler(ctx -> {
      DirectoryUser u = user(ctx);
      JsonObject status = Bodies.object(Bodies.object(ctx), "statusMessage", true);
      JsonObject message = Bodies.object(status, "message", true);
      Bodies.string(message, "content", true);
      String type = Bodies.string(message, "contentType", false);
      if (type != null && !type.equals("text") && !type.equals("html")) {
        throw GraphException.badRequest("Property 'contentType' must be text or html.");
      }
      Bodies.object(status, "expiryDateTime", false);
      book.setStatusMessage(u.id(), status);
      ok(ctx);
    });
  }

  private void many(RoutingContext ctx) {
    Object ids = Bodies.object(ctx).getValue("ids");
    if (!(ids instanceof JsonArray list) || list.isEmpty()) {
      throw GraphException.badRequest("The request body misses the required property 'ids' (a non-empty array of"
          + " user ids).");
    }
    if (list.size() > MAX_IDS) {
      throw GraphException.badRequest("The number of ids in the request, " + list.size() + ", exceeds the limit of "
          + MAX_IDS + ".");
    }
    JsonArray value = new JsonArray();
    for (Object id : list) {
      if (!(id instanceof String s)) {
        throw GraphException.badRequest("Property 'ids' must be an array of strings.");
      }
      value.add(directory.find(s).filter(u -> s.equals(u.id())).map(u -> presence(u, null))
          .orElseGet(() -> PresenceBook.pair("PresenceUnknown", "PresenceUnknown").put("id", s)
              .put("outOfOfficeSettings", noOutOfOffice())));
    }
    json(ctx, new JsonObject().put("@odata.context", baseUrl + "/v1.0/$metadata#Collection(microsoft.graph.presence)")
        .put("value", value));
  }

  /**
   * A user's presence as {@code GET /users/{id}/presence} serves it, without {@code @odata.context}
   * (the resource data of rich presence notifications); empty for an id that is no Teams user.
   */
  public Optional<JsonObject> resource(String userId) {
    return directory.find(userId).filter(u -> userId.equals(u.id())).map(u -> presence(u, null));
  }

  /** The presence resource as Graph serves it; {@code context} null inside a collection. */
  private JsonObject presence(DirectoryUser u, String context) {
    JsonObject shown = u.presence() == null ? PresenceBook.pair("Offline", "Offline") : u.presence();
    JsonObject out = new JsonObject();
    if (context != null) {
      out.put("@odata.context", baseUrl + "/v1.0/$metadata#" + context);
    }
    out.put("id", u.id()).put("availability", shown.getString("availability"))
        .put("activity", shown.getString("activity"))
        .put("statusMessage", book.statusMessage(u.id()).orElse(null))
        .put("outOfOfficeSettings", noOutOfOffice());
    return out;
  }

  private static JsonObject noOutOfOffice() {
    return new JsonObject().put("message", null).put("isOutOfOffice", false);
  }

  /** The directory's Teams user of the path; 404 for an unknown id or a phone-only party. */
  private DirectoryUser user(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return directory.find(id).filter(u -> id.equals(u.id())).orElseThrow(() -> new GraphException(404,
        "ResourceNotFound", "User not found: no Teams user with id '" + id + "' in the emulated tenant"
        + " (POST /emulator/users adds one)."));
  }

  private static String[] pair(JsonObject body, Map<String, Set<String>> allowed) {
    String availability = Bodies.string(body, "availability", true);
    String activity = Bodies.string(body, "activity", true);
    if (!allowed.getOrDefault(availability, Set.of()).contains(activity)) {
      throw GraphException.badRequest("The availability/activity pair '" + availability + "/" + activity
          + "' is not supported. Supported pairs: " + describe(allowed) + ".");
    }
    return new String[] {availability, activity};
  }

  private static String describe(Map<String, Set<String>> allowed) {
    return allowed.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .flatMap(e -> e.getValue().stream().sorted().map(a -> e.getKey() + "/" + a))
        .reduce((a, b) -> a + ", " + b).orElse("");
  }

  private static Duration duration(JsonObject body, Duration absent) {
    String text = Bodies.string(body, "expirationDuration", false);
    if (text == null) {
      return absent;
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw GraphException.badRequest("The expirationDuration '" + text + "' is not an ISO-8601 duration such as"
          + " PT1H.");
    }
  }

  private static void noSignedInUser(RoutingContext ctx) {
    throw new GraphException(400, "BadRequest", "/me request is only valid with delegated authentication flow.");
  }

  private static void json(RoutingContext ctx, JsonObject body) {
    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(body.encode());
  }

  private static void ok(RoutingContext ctx) {
    ctx.response().setStatusCode(200).putHeader("Content-Length", "0").end();
  }
}
