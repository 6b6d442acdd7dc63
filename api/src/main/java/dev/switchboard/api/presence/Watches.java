package dev.switchboard.api.presence;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The users the presence bundle watches (reply to {@link PresenceCommand.Watch}, {@link PresenceCommand.Unwatch},
 * {@link PresenceCommand.ListWatches}).
 *
 * @param configured from {@code plugins.presence.watch}
 * @param added added over the bus or REST, kept in the bundle's state
 * @param subscriptions how many Graph subscriptions carry them (one per 650 users)
 */
public record Watches(List<String> configured, List<String> added, int subscriptions) {

  public Watches {
    configured = List.copyOf(configured);
    added = List.copyOf(added);
  }

  public JsonObject toJson() {
    return new JsonObject().put("configured", new JsonArray(configured)).put("added", new JsonArray(added))
        .put("subscriptions", subscriptions);
  }

  public static Watches fromJson(JsonObject json) {
    return new Watches(Json.optionalIds(json, "configured"), Json.optionalIds(json, "added"),
        json.getInteger("subscriptions", 0));
  }
}
