package dev.switchboard.api.presence;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The presence bundle's latest knowledge of a watched user.
 *
 * @param presence what the user showed when last observed
 * @param observedAt when the bundle last learned it (a notification, or a read from Graph); {@link #age} is the time
 *     since then
 * @param availabilitySince since when the user has shown this availability, as far as the bundle knows: the time of
 *     the change that brought it, or the first observation when the bundle never saw the user in another one
 */
public record CachedPresence(Presence presence, Instant observedAt, Instant availabilitySince) {

  public CachedPresence {
    Objects.requireNonNull(presence, "presence");
    Objects.requireNonNull(observedAt, "observedAt");
    Objects.requireNonNull(availabilitySince, "availabilitySince");
  }

  /** The user's id. */
  public String userId() {
    return presence.userId();
  }

  /** How old this knowledge is at {@code now}. */
  public Duration age(Instant now) {
    return Duration.between(observedAt, now);
  }

  /** The presence's fields and {@code observedAt}, {@code availabilitySince} (ISO-8601). */
  public JsonObject toJson() {
    return presence.toJson().put("observedAt", observedAt.toString())
        .put("availabilitySince", availabilitySince.toString());
  }

  /** Reads {@link #toJson()}. */
  public static CachedPresence fromJson(JsonObject json) {
    return new CachedPresence(Presence.fromJson(json), Json.instant(json, "observedAt"),
        Json.instant(json, "availabilitySince"));
  }
}
