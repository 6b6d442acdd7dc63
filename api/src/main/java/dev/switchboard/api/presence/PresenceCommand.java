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
 * back as a {@link dev.switchboard.api.GraphException} with Graph's status, code and message (e.g. {@code 400} for more
 * than 650 ids or an availability/activity pair Graph does not accept, {@code 404} for an unknown user).
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

  private static JsonArray array(List<String> ids) {
    return new JsonArray(List.copyOf(ids));
  }

  private static List<String> checkIds(List<String> userIds) {
    Objects.requireNonNull(userIds, "userIds");
    if (userIds.isEmpty()) {
      throw Json.bad("At least one user id is needed.");
    }
    return List.copyOf(userIds);
  }

  /** The cached presence of watched users, from memory. Reply: {@link CachedPresences}. */
  record Cached(List<String> userIds) implements PresenceCommand {
    public Cached {
      userIds = checkIds(userIds);
    }

    @Override
    public String name() {
      return "cached";
    }

    @Override
    public JsonObject toJson() {
      return PresenceCommand.super.toJson().put("userIds", array(userIds));
    }
  }

  /** The presence of 1-650 users, read from Graph in one {@code getPresencesByUserId}. Reply: {@link Presences}. */
  record Fetch(List<String> userIds) implements PresenceCommand {
    public Fetch {
      userIds = checkIds(userIds);
    }

    @Override
    public String name() {
      return "fetch";
    }

    @Override
    public JsonObject toJson() {
      return PresenceCommand.super.toJson().put("userIds", array(userIds));
    }
  }

  /**
   * Sets the app's presence session for a user ({@code setPresence}, sessionId = the app's client id).
   *
   * @param expirationDuration ISO-8601, {@code PT5M}-{@code PT4H}; {@code null} for Graph's default (5 minutes)
   */
  record SetPresence(String userId, String availability, String activity, String expirationDuration)
      implements PresenceCommand {
    public SetPresence {
      Objects.requireNonNull(userId, "userId");
      Objects.requireNonNull(availability, "availability");
      Objects.requireNonNull(activity, "activity");
    }

    @Override
    public String name() {
      return "setPresence";
    }

    @Override
    public JsonObject toJson() {
      return PresenceCommand.super.toJson().put("userId", userId).put("availability", availability)
          .put("activity", activity).put("expirationDuration", expirationDuration);
    }
  }

  /** Ends the app's presence session for a user ({@code clearPresence}); Graph answers 404 when there is none. */
  record ClearPresence(String userId) implements PresenceCommand {
    public ClearPresence {
      Objects.requireNonNull(userId, "userId");
    }

    @Override
    public String name() {
      return "clearPresence";
    }

    @Override
    public JsonObject toJson() {
      return PresenceCommand.super.toJson().put("userId", userId);
    }
  }

  /** Sets a user's preferred presence ({@code setUserPreferredPresence}). */
  record SetPreferredPresence(String userId, String availability, String activity, String expirationDuration)
      implements PresenceCommand {
    public SetPreferredPresence {
      Objects.requireNonNull(userId, "userId");
      Objects.requireNonNull(availability, "availability");
      Objects.requireNonNull(activity, "activity");
    }

    @Override
    public String name() {
      return "setPreferredPresence";
    }

    @Override
    public JsonObject toJson() {
      return PresenceCommand.super.toJson().put("userId", userId).put("availability", availability)
          .put("activity", activity).put("expirationDuration", expirationDuration);
    }
  }

  /** Clears a user's preferred presence ({@code clearUserPreferredPresence}). */
  record ClearPreferredPresence(String userId) implements PresenceCommand {
    public ClearPreferredPresence {
      Objects.requireNonNull(userId, "userId");
    }

    @Override
    public String name() {
      return "clearPreferredPresence";
    }

    @Override
    public JsonObject toJson() {
      return PresenceCommand.super.toJson().put("userId", userId);
    }
  }

  /**
   * Sets a user's status message ({@code setStatusMessage}), as plain text.
   *
   * @param expiresAt when it expires, or {@code null} for never
   */
  record SetStatusMessage(String userId, String message, java.time.Instant expiresAt) implements PresenceCommand {
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
      return PresenceCommand.super.toJson().put("userId", userId).put("message", message)
          .put("expiresAt", Json.text(expiresAt));
    }
  }

  /** Adds users to the watches kept in the bundle's state (they survive updates and restarts). Reply: {@link Watches}. */
  record Watch(List<String> userIds) implements PresenceCommand {
    public Watch {
      userIds = checkIds(userIds);
    }

    @Override
    public String name() {
      return "watch";
    }

    @Override
    public JsonObject toJson() {
      return PresenceCommand.super.toJson().put("userIds", array(userIds));
    }
  }

  /**
   * Removes users from the watches added with {@link Watch} (users watched by configuration stay watched). Reply:
   * {@link Watches}.
   */
  record Unwatch(List<String> userIds) implements PresenceCommand {
    public Unwatch {
      userIds = checkIds(userIds);
    }

    @Override
    public String name() {
      return "unwatch";
    }

    @Override
    public JsonObject toJson() {
      return PresenceCommand.super.toJson().put("userIds", array(userIds));
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
