package dev.switchboard.api.presence;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * A command to the presence bundle, sent (request/reply) as JSON to {@link #ADDRESS}, most simply through
 * {@link PresenceClient}; the same operations are served over REST under {@code /api/v1/presence}
 * ({@code docs/presence.md}).
 *
 * <p>{@link Cached}, {@link ListWatches} answer from the bundle's memory. The others call Graph; Graph's refusals come
 * back as a {@link dev.switchboard.api.GraphException} with Graph's status, code and message (e.g. {@code 400} for an
 * availability/activity pair Graph does not accept, {@code 404} for an unknown user).
 * {@link Watch} and {@link Unwatch} are idempotent.
 *
 * <p>The JSON form: {@code {"command": "<name>", ...the record's fields}}.
 */
public sealed interface PresenceCommand {

  /** Where commands are sent (request/reply). */
  String ADDRESS = "switchboard.presence.commands";

  /** The most ids Graph takes in one {@code getPresencesByUserId}, and the most users one subscription watches. */
  int MAX_IDS = 650;

  /** The command's name on the wire. */
  String name();

  /** The JSON form. */
  default JsonObject toJson() {
    return new JsonObject().put("command", name());
  }

  /**
   * Reads a command.
   *
   * @throws dev.switchboard.api.SwitchboardException {@code 400} naming what is wrong
   */
  static PresenceCommand fromJson(JsonObject json) {
    Objects.requireNonNull(json, "json");
    String name = Json.string(json, "command");
    if (name == null) {
      throw Json.bad("A presence command needs 'command'.");
    }
    return switch (name) {
      case "cached" -> new Cached(Json.ids(json, "userIds"));
      case "fetch" -> new Fetch(Json.ids(json, "userIds"));
      case "setPresence" -> new SetPresence(Json.required(json, "userId"), Json.required(json, "availability"),
          Json.required(json, "activity"), Json.string(json, "expirationDuration"));
      case "clearPresence" -> new ClearPresence(Json.required(json, "userId"));
      case "setPreferredPresence" -> new SetPreferredPresence(Json.required(json, "userId"),
          Json.required(json, "availability"), Json.required(json, "activity"),
          Json.string(json, "expirationDuration"));
      case "clearPreferredPresence" -> new ClearPreferredPresence(Json.required(json, "userId"));
      case "setStatusMessage" -> new SetStatusMessage(Json.required(json, "userId"), Json.required(json, "message"),
          Json.instant(json, "expiresAt"));
      case "watch" -> new Watch(Json.ids(json, "userIds"));
      case "unwatch" -> new Unwatch(Json.ids(json, "userIds"));
      case "listWatches" -> new ListWatches();
      default -> throw Json.bad("Unknown presence command '" + name + "'; known: cached, fetch, setPresence, "
          + "clearPresence, setPreferredPresence, clearPreferredPresence, setStatusMessage, watch, unwatch, "
          + "listWatches.");
    };
  }

  private static List<String> checkIds(List<String> userIds) {
    Objects.requireNonNull(userIds, "userIds");
    if (userIds.isEmpty()) {
      throw Json.bad("At least one user id is needed.");
    }
    return List.copyOf(userIds);
  }

  /** A command on some users: {@code {"command", "userIds": [...]}}. */
  sealed interface OnUsers extends PresenceCommand {
    List<String> userIds();

    @Override
    default JsonObject toJson() {
      return new JsonObject().put("command", name()).put("userIds", new JsonArray(List.copyOf(userIds())));
    }
  }

  /** A command on one user: {@code {"command", "userId"}}. */
  sealed interface OnUser extends PresenceCommand {
    String userId();

    @Override
    default JsonObject toJson() {
      return new JsonObject().put("command", name()).put("userId", userId());
    }
  }

  /** Sets an availability/activity pair for a while: {@code {"command", "userId", "availability", ...}}. */
  sealed interface SetsPresence extends OnUser {
    String availability();

    String activity();

    /** ISO-8601, or {@code null} for Graph's default. */
    String expirationDuration();

    @Override
    default JsonObject toJson() {
      return OnUser.super.toJson().put("availability", availability()).put("activity", activity())
          .put("expirationDuration", expirationDuration());
    }
  }

  private static void checkPair(String userId, String availability, String activity) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(availability, "availability");
    Objects.requireNonNull(activity, "activity");
  }

  /** The cached presence of watched users, from memory. Reply: {@link CachedPresences}. */
  record Cached(List<String> userIds) implements OnUsers {
    public Cached {
      userIds = checkIds(userIds);
    }

    @Override
    public String name() {
      return "cached";
    }
  }

  /**
   * The presence of one or more users, read from Graph now with {@code getPresencesByUserId}, in requests of at most
   * {@link #MAX_IDS} (Graph's limit) one after another. Reply: {@link Presences}, in the order asked.
   */
  record Fetch(List<String> userIds) implements OnUsers {
    public Fetch {
      userIds = checkIds(userIds);
    }

    @Override
    public String name() {
      return "fetch";
    }
  }

  /**
   * Sets the app's presence session for a user ({@code setPresence}, sessionId = the app's client id).
   *
   * @param expirationDuration ISO-8601, {@code PT5M}-{@code PT4H}; {@code null} for Graph's default (5 minutes)
   */
  record SetPresence(String userId, String availability, String activity, String expirationDuration)
      implements SetsPresence {
    public SetPresence {
      checkPair(userId, availability, activity);
    }

    @Override
    public String name() {
      return "setPresence";
    }
  }

  /** Ends the app's presence session for a user ({@code clearPresence}); Graph answers 404 when there is none. */
  record ClearPresence(String userId) implements OnUser {
    public ClearPresence {
      Objects.requireNonNull(userId, "userId");
    }

    @Override
    public String name() {
      return "clearPresence";
    }
  }

  /** Sets a user's preferred presence ({@code setUserPreferredPresence}). */
  record SetPreferredPresence(String userId, String availability, String activity, String expirationDuration)
      implements SetsPresence {
    public SetPreferredPresence {
      checkPair(userId, availability, activity);
    }

    @Override
    public String name() {
      return "setPreferredPresence";
    }
  }

  /** Clears a user's preferred presence ({@code clearUserPreferredPresence}). */
  record ClearPreferredPresence(String userId) implements OnUser {
    public ClearPreferredPresence {
      Objects.requireNonNull(userId, "userId");
    }

    @Override
    public String name() {
      return "clearPreferredPresence";
    }
  }

  /**
   * Sets a user's status message ({@code setStatusMessage}), as plain text.
   *
   * @param expiresAt when it expires, or {@code null} for never
   */
  record SetStatusMessage(String userId, String message, java.time.Instant expiresAt) implements OnUser {
    public SetStatusMessage {
      Objects.requireNonNull(userId, "userId");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String name() {
      return "setStatusMessage";
    }

    @Override
    public JsonObject toJson() {
      return OnUser.super.toJson().put("message", message).put("expiresAt", Json.text(expiresAt));
    }
  }

  /** Adds users to the watches kept in the bundle's state (they survive updates). Reply: {@link Watches}. */
  record Watch(List<String> userIds) implements OnUsers {
    public Watch {
      userIds = checkIds(userIds);
    }

    @Override
    public String name() {
      return "watch";
    }
  }

  /**
   * Removes users from the watches added with {@link Watch} (users watched by configuration stay watched). Reply:
   * {@link Watches}.
   */
  record Unwatch(List<String> userIds) implements OnUsers {
    public Unwatch {
      userIds = checkIds(userIds);
    }

    @Override
    public String name() {
      return "unwatch";
    }
  }

  /** The watched users. Reply: {@link Watches}. */
  record ListWatches() implements PresenceCommand {
    @Override
    public String name() {
      return "listWatches";
    }
  }
}
