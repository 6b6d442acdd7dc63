package dev.switchboard.emulator.meetings;

import dev.switchboard.emulator.http.GraphException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tenant's application access policy for the emulated app (graph-reference §5): the users whose
 * online meetings an app-only token may touch, or all of them (a global grant). Empty at start and
 * after reset, so every app-only onlineMeetings call for a user is refused until a test grants it.
 * Used on the emulator's context only.
 */
final class AccessPolicies {

  /** Graph's answer when no policy grants the app for the user. */
  static final String NO_POLICY = "No application access policy found for this app.";

  private final Set<String> userIds = new TreeSet<>();
  private boolean global;

  /**
   * @throws GraphException 403 {@code General} with Graph's message unless the app is granted for the user
   */
  void check(String userId) {
    if (!global && !userIds.contains(userId)) {
      throw new GraphException(403, "General", NO_POLICY);
    }
  }

  /** Grants: {@code {"userIds": [...]}} and/or {@code {"global": true}}; returns the policy. */
  JsonObject grant(JsonObject body) {
    apply(body, true);
    return toJson();
  }

  /** Revokes what {@code body} names, the same shape as {@link #grant}; returns the policy. */
  JsonObject revoke(JsonObject body) {
    apply(body, false);
    return toJson();
  }

  void clear() {
    userIds.clear();
    global = false;
  }

  JsonObject toJson() {
    return new JsonObject().put("global", global).put("userIds", new JsonArray(userIds.stream().toList()));
  }

  private void apply(JsonObject body, boolean grant) {
    Object ids = body.getValue("userIds");
    Object all = body.getValue("global");
    if (ids == null && all == null) {
      throw GraphException.badRequest("Send {\"userIds\": [\"<user id>\", ...]} or {\"global\": true}.");
    }
    if (all != null && !(all instanceof Boolean)) {
      throw GraphException.badRequest("Property 'global' must be a boolean.");
    }
    if (ids != null && !(ids instanceof JsonArray a && a.stream().allMatch(s -> s instanceof String t && !t.isBlank()))) {
      throw GraphException.badRequest("Property 'userIds' must be an array of user ids.");
    }
    if (ids != null) {
      ((JsonArray) ids).forEach(id -> {
        if (grant) {
          userIds.add((String) id);
        } else {
          userIds.remove((String) id);
        }
      });
    }
    if (Boolean.TRUE.equals(all)) {
      global = grant;
    }
  }
}
