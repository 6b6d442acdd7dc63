package dev.switchboard.api.presence;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A user's presence as Graph reports it (graph-reference §6).
 *
 * @param userId the user's Entra object id
 * @param availability Graph's value: {@code Available}, {@code AvailableIdle}, {@code Away}, {@code BeRightBack},
 *     {@code Busy}, {@code BusyIdle}, {@code DoNotDisturb}, {@code Offline}, {@code PresenceUnknown}
 * @param activity Graph's value, e.g. {@code Available}, {@code InACall}, {@code InAMeeting}, {@code Presenting}
 * @param statusMessage the text of the user's status message, or {@code null}
 */
public record Presence(String userId, String availability, String activity, String statusMessage) {

  /** Graph's availability of a user who can take a call. */
  public static final String AVAILABLE = "Available";

  public Presence {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(availability, "availability");
    Objects.requireNonNull(activity, "activity");
  }

  /** Whether the user shows {@code Available} (not {@code AvailableIdle}: an idle user is not at the desk). */
  public boolean available() {
    return AVAILABLE.equals(availability);
  }

  /** Whether {@code other} shows the same availability and activity (the status message aside). */
  public boolean sameState(Presence other) {
    return other != null && availability.equals(other.availability) && activity.equals(other.activity);
  }

  /** {@code {"userId", "availability", "activity", "statusMessage"}}. */
  public JsonObject toJson() {
    return new JsonObject().put("userId", userId).put("availability", availability).put("activity", activity)
        .put("statusMessage", statusMessage);
  }

  /**
   * Reads {@link #toJson()}.
   *
   * @throws dev.switchboard.api.SwitchboardException {@code 400} naming a missing or mistyped field
   */
  public static Presence fromJson(JsonObject json) {
    return new Presence(Json.required(json, "userId"), Json.required(json, "availability"),
        Json.required(json, "activity"), Json.string(json, "statusMessage"));
  }
}
