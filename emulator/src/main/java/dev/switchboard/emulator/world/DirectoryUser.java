package dev.switchboard.emulator.world;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A simulated person: a Teams user (with an id) or a PSTN caller (with only a phone number).
 *
 * @param id the user's object id, or {@code null} for a phone-only party
 * @param displayName the name shown in identities; may be {@code null}
 * @param phone an E.164 number, or {@code null}
 * @param behavior how the person behaves in calls
 * @param presence the user's presence, {@code {"availability", "activity"}}, or {@code null} when never set
 */
public record DirectoryUser(String id, String displayName, String phone, Behavior behavior, JsonObject presence) {

  public DirectoryUser {
    if (id == null && phone == null) {
      throw new IllegalArgumentException("a user needs an id or a phone number");
    }
    Objects.requireNonNull(behavior, "behavior");
  }

  /** Whether this party is reached over the phone network (it has no Teams user id). */
  public boolean isPhoneOnly() {
    return id == null;
  }

  /**
   * The party as a Graph {@code identitySet}: a {@code user} identity for users, a {@code phone}
   * identity for phone-only parties.
   */
  public JsonObject identitySet(String tenantId) {
    JsonObject set = new JsonObject().put("@odata.type", "#microsoft.graph.identitySet");
    if (isPhoneOnly()) {
      return set.put("phone", new JsonObject().put("@odata.type", "#microsoft.graph.identity").put("id", phone));
    }
    return set.put("user", new JsonObject()
        .put("@odata.type", "#microsoft.graph.identity")
        .put("displayName", displayName)
        .put("id", id)
        .put("tenantId", tenantId));
  }

  /** The JSON form served by the control API. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("displayName", displayName)
        .put("phone", phone)
        .put("behavior", behavior.toJson())
        .put("presence", presence);
  }
}
