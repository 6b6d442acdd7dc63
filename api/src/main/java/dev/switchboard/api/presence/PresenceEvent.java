package dev.switchboard.api.presence;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the presence bundle publishes about watched users, with the user id as key
 * ({@link dev.switchboard.api.PluginContext#publishKeyed}): a plugin that
 * {@linkplain dev.switchboard.api.PluginContext#follow follows} {@link PresenceChanged#TOPIC} gets each event once, in
 * order per user, whatever the number of running versions of either plugin; plain event-bus consumers of the topic
 * get it too (once per consumer). Read one with {@link #fromJson}.
 */
public sealed interface PresenceEvent {

  /** Every topic the presence bundle publishes on. */
  List<String> TOPICS = List.of(PresenceChanged.TOPIC);

  /** The user the event is about (its key). */
  String userId();

  /** The JSON form, with {@code type}. */
  JsonObject toJson();

  /**
   * Reads an event by its {@code type}.
   *
   * @throws dev.switchboard.api.SwitchboardException {@code 400} when {@code json} is not a presence event
   */
  static PresenceEvent fromJson(JsonObject json) {
    Objects.requireNonNull(json, "json");
    String type = Json.string(json, "type");
    if (PresenceChanged.TYPE.equals(type)) {
      JsonObject previous = json.getJsonObject("previous");
      return new PresenceChanged(Presence.fromJson(json.getJsonObject("presence", new JsonObject())),
          previous == null ? null : Presence.fromJson(previous), Json.instant(json, "availabilitySince"),
          Json.instant(json, "observedAt"));
    }
    throw Json.bad("A presence event's 'type' is presenceChanged; got " + type + ".");
  }

  /**
   * A watched user's availability or activity changed (a change of the status message alone is no event).
   * Published once per change the bundle observed, in the order observed for the user.
   *
   * @param presence what the user shows now
   * @param previous what the user showed before, or {@code null} when the bundle had not seen the user yet
   * @param availabilitySince since when the user has shown {@code presence}'s availability (see
   *     {@link CachedPresence#availabilitySince()})
   * @param observedAt when the bundle learned of the change
   */
  record PresenceChanged(Presence presence, Presence previous, Instant availabilitySince, Instant observedAt)
      implements PresenceEvent {

    public static final String TOPIC = "switchboard.presence.changed";
    static final String TYPE = "presenceChanged";

    public PresenceChanged {
      Objects.requireNonNull(presence, "presence");
      Objects.requireNonNull(availabilitySince, "availabilitySince");
      Objects.requireNonNull(observedAt, "observedAt");
    }

    @Override
    public String userId() {
      return presence.userId();
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("type", TYPE).put("userId", userId()).put("presence", presence.toJson())
          .put("previous", previous == null ? null : previous.toJson())
          .put("availabilitySince", availabilitySince.toString()).put("observedAt", observedAt.toString());
    }
  }
}
