package dev.switchboard.emulator.permissions;

import static dev.switchboard.emulator.permissions.GraphPermission.CALLS_ACCESS_MEDIA;
import static dev.switchboard.emulator.permissions.GraphPermission.CALLS_INITIATE;
import static dev.switchboard.emulator.permissions.GraphPermission.CALLS_INITIATE_GROUP_CALL;
import static dev.switchboard.emulator.permissions.GraphPermission.CALLS_JOIN_GROUP_CALL;
import static dev.switchboard.emulator.permissions.GraphPermission.CALLS_JOIN_GROUP_CALL_AS_GUEST;
import static dev.switchboard.emulator.permissions.GraphPermission.CALL_RECORDS_READ;
import static dev.switchboard.emulator.permissions.GraphPermission.ONLINE_MEETINGS_READ;
import static dev.switchboard.emulator.permissions.GraphPermission.ONLINE_MEETINGS_READ_WRITE;
import static dev.switchboard.emulator.permissions.GraphPermission.PRESENCE_READ;
import static dev.switchboard.emulator.permissions.GraphPermission.PRESENCE_READ_WRITE;
import static dev.switchboard.emulator.permissions.Requirement.NONE;
import static dev.switchboard.emulator.permissions.Requirement.anyOf;

import dev.switchboard.emulator.http.PathPattern;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Which application permission each Graph route needs (graph-reference §9), in one table, and the
 * route filter that refuses a request whose access token lacks it, as Graph does: 403 with Graph's
 * error JSON, worded as the API area words it ({@link Refusal}).
 *
 * <p>The first row that covers a request decides; a request no row covers needs nothing beyond a
 * valid token. The check reads the {@code roles} of the presented token, not the application's
 * current grants. It runs before the route, so a refused request on an unknown call is 403, not 404.
 * One table for every resource the emulator serves (calls, subscriptions, presence, online meetings, call
 * records): a module that mounts routes gets their checks from here.
 */
public final class PermissionPolicy {

  private static final String CALLS = "/v1.0/communications/calls";
  private static final String APP_HOSTED_MEDIA = "#microsoft.graph.appHostedMediaConfig";
  private static final Requirement READ_PRESENCE = anyOf(PRESENCE_READ, PRESENCE_READ_WRITE);
  private static final Requirement WRITE_PRESENCE = anyOf(PRESENCE_READ_WRITE);
  private static final Requirement READ_MEETINGS = anyOf(ONLINE_MEETINGS_READ, ONLINE_MEETINGS_READ_WRITE);
  private static final Requirement WRITE_MEETINGS = anyOf(ONLINE_MEETINGS_READ_WRITE);
  private static final Requirement READ_CALL_RECORDS = anyOf(CALL_RECORDS_READ);

  private final Function<String, Optional<String>> subscriptionResources;
  private final List<PermissionRule> rules;

  /**
   * @param subscriptionResources the {@code resource} of a live subscription, by id (empty when
   *     unknown: the route answers 404); the rows of {@code /subscriptions/{id}} need what the
   *     subscription's resource needs
   */
  public PermissionPolicy(Function<String, Optional<String>> subscriptionResources) {
    this.subscriptionResources = subscriptionResources;
    this.rules = List.of(
        // calls (graph-reference §1-3)
        rule("POST", CALLS, Refusal.CALLING, (path, body) -> createCall(body.get())),
        rule("POST", CALLS + "/*/answer", Refusal.CALLING, (path, body) -> media(body.get())),
        rule("POST", CALLS + "/*/redirect", Refusal.CALLING, anyOf(CALLS_INITIATE)),
        rule("POST", CALLS + "/*/transfer", Refusal.CALLING, anyOf(CALLS_INITIATE)),
        rule("POST", CALLS + "/*/participants/invite", Refusal.CALLING, anyOf(CALLS_INITIATE_GROUP_CALL)),
        rule("POST", CALLS + "/*/recordResponse", Refusal.CALLING, anyOf(CALLS_ACCESS_MEDIA)),
        rule("POST", CALLS + "/*/subscribeToTone", Refusal.CALLING, anyOf(CALLS_ACCESS_MEDIA)),
        rule("POST", CALLS + "/*/changeScreenSharingRole", Refusal.CALLING, anyOf(CALLS_ACCESS_MEDIA)),
        rule("POST", CALLS + "/*/updateRecordingStatus", Refusal.CALLING,
            anyOf(CALLS_JOIN_GROUP_CALL).and(anyOf(CALLS_ACCESS_MEDIA))),
        // get, delete, keepAlive, reject, playPrompt, cancelMediaProcessing, mute, unmute, sendDtmfTones,
        // operations, participants (list, get, mute, delete, hold music): what the call was created with
        rule(null, CALLS + "/**", Refusal.CALLING, NONE),
        // presence (§6)
        rule("GET", "/v1.0/communications/presences", Refusal.GRAPH, READ_PRESENCE),
        rule("GET", "/v1.0/communications/presences/*", Refusal.GRAPH, READ_PRESENCE),
        rule("POST", "/v1.0/communications/getPresencesByUserId", Refusal.GRAPH, READ_PRESENCE),
        rule("GET", "/v1.0/users/*/presence", Refusal.GRAPH, READ_PRESENCE),
        rule("POST", "/v1.0/users/*/presence/*", Refusal.GRAPH, WRITE_PRESENCE),
        // online meetings (§5): create, createOrGet, update, delete; get, list, find
        rule("POST", "/v1.0/users/*/onlineMeetings", Refusal.GRAPH, WRITE_MEETINGS),
        rule("POST", "/v1.0/users/*/onlineMeetings/createOrGet", Refusal.GRAPH, WRITE_MEETINGS),
        rule("PATCH", "/v1.0/users/*/onlineMeetings/*", Refusal.GRAPH, WRITE_MEETINGS),
        rule("DELETE", "/v1.0/users/*/onlineMeetings/*", Refusal.GRAPH, WRITE_MEETINGS),
        rule("GET", "/v1.0/users/*/onlineMeetings", Refusal.GRAPH, READ_MEETINGS),
        rule("GET", "/v1.0/users/*/onlineMeetings/**", Refusal.GRAPH, READ_MEETINGS),
        rule("GET", "/v1.0/communications/onlineMeetings", Refusal.GRAPH, READ_MEETINGS),
        rule("GET", "/v1.0/communications/onlineMeetings/**", Refusal.GRAPH, READ_MEETINGS),
        // call records (§7): get, sessions, getPstnCalls, getDirectRoutingCalls
        rule("GET", "/v1.0/communications/callRecords", Refusal.GRAPH, READ_CALL_RECORDS),
        rule("GET", "/v1.0/communications/callRecords/**", Refusal.GRAPH, READ_CALL_RECORDS),
        // subscriptions (§8): what reading the watched resource needs; listing needs nothing
        rule("GET", "/v1.0/subscriptions", Refusal.SUBSCRIPTIONS, NONE),
        rule("POST", "/v1.0/subscriptions", Refusal.SUBSCRIPTIONS,
            (path, body) -> newSubscription(body.get())),
        rule(null, "/v1.0/subscriptions/**", Refusal.SUBSCRIPTIONS, (path, body) -> subscriptionResources
            .apply(segment(path, 3)).map(PermissionPolicy::subscriptionTo).orElse(NONE)));
  }

  /**
   * What a request needs: the requirement of the first row covering it, with the refusal of its area.
   *
   * @param body the request's JSON object, or null when absent or not an object; read only by the
   *     rows that depend on it
   */
  Optional<Verdict> required(String method, String path, Supplier<JsonObject> body) {
    return rules.stream().filter(r -> r.covers(method, path)).findFirst()
        .map(r -> new Verdict(r.requirement().apply(path, body), r.refusal()));
  }

  /** What a request needs and how its refusal is worded. */
  record Verdict(Requirement requirement, Refusal refusal) {
  }

  /**
   * A route filter for the Graph routes, installed after the bearer check: passes a request whose
   * token meets the requirement and fails the others with the 403 of their area. Runs on the event loop.
   *
   * @param tokenRoles the {@code roles} of the request's (verified) access token
   */
  public Handler<RoutingContext> enforcer(Function<RoutingContext, Collection<String>> tokenRoles) {
    return ctx -> {
      String method = ctx.request().method().name();
      String path = ctx.request().path();
      Optional<Verdict> verdict = required(method, path, () -> bodyObject(ctx));
      Collection<String> roles = tokenRoles.apply(ctx);
      List<Set<GraphPermission>> unmet = verdict.map(v -> v.requirement().unmetBy(roles)).orElse(List.of());
      if (unmet.isEmpty()) {
        ctx.next();
      } else {
        ctx.fail(verdict.get().refusal().refuse(method, path, unmet, roles));
      }
    };
  }

  /** Create call: peer-to-peer, group call or joining a meeting, plus media access for app-hosted media. */
  private static Requirement createCall(JsonObject body) {
    if (body == null) {
      return NONE;
    }
    Requirement kind;
    if (body.getValue("meetingInfo") != null || body.getValue("chatInfo") != null) {
      kind = anyOf(CALLS_JOIN_GROUP_CALL, CALLS_JOIN_GROUP_CALL_AS_GUEST);
    } else if (body.getValue("targets") instanceof JsonArray targets && targets.size() > 1) {
      kind = anyOf(CALLS_INITIATE_GROUP_CALL);
    } else {
      kind = anyOf(CALLS_INITIATE);
    }
    return kind.and(media(body));
  }

  /** Application-hosted media needs Calls.AccessMedia.All; service-hosted media nothing. */
  private static Requirement media(JsonObject body) {
    return body != null && body.getValue("mediaConfig") instanceof JsonObject config
        && APP_HOSTED_MEDIA.equals(config.getValue("@odata.type")) ? anyOf(CALLS_ACCESS_MEDIA) : NONE;
  }

  private static Requirement newSubscription(JsonObject body) {
    return body == null ? NONE : subscriptionTo(body.getValue("resource"));
  }

  /** A subscription needs what reading its resource needs; an unsupported resource is the route's 400. */
  private static Requirement subscriptionTo(Object resource) {
    if (!(resource instanceof String text)) {
      return NONE;
    }
    String r = text.toLowerCase(Locale.ROOT).replaceFirst("^/", "");
    if (r.startsWith("communications/callrecords")) {
      return READ_CALL_RECORDS;
    }
    if (r.startsWith("communications/presences")) {
      return READ_PRESENCE;
    }
    if (r.startsWith("communications/onlinemeetings")) {
      return READ_MEETINGS;
    }
    return NONE;
  }

  private static String segment(String path, int index) {
    String[] segments = path.split("/");
    return index < segments.length ? segments[index] : "";
  }

  private static JsonObject bodyObject(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().isEmpty()) {
      return null;
    }
    try {
      return Json.decodeValue(ctx.body().buffer()) instanceof JsonObject o ? o : null;
    } catch (DecodeException e) {
      return null;
    }
  }

  private static PermissionRule rule(String method, String glob, Refusal refusal, Requirement requirement) {
    return rule(method, glob, refusal, (path, body) -> requirement);
  }

  private static PermissionRule rule(String method, String glob, Refusal refusal,
      BiFunction<String, Supplier<JsonObject>, Requirement> requirement) {
    return new PermissionRule(method, new PathPattern(glob), refusal, requirement);
  }
}
