package dev.switchboard.api.presence;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The reply to {@link PresenceCommand.Cached}.
 *
 * @param value the cached presence of the users asked for that the bundle knows, in the order asked
 * @param notCached the users asked for that it does not know (not watched, or not read from Graph yet)
 */
public record CachedPresences(List<CachedPresence> value, List<String> notCached) {

  public CachedPresences {
    value = List.copyOf(value);
    notCached = List.copyOf(notCached);
  }

  public JsonObject toJson() {
    return new JsonObject().put("value", new JsonArray(value.stream().map(CachedPresence::toJson).toList()))
        .put("notCached", new JsonArray(notCached));
  }

  public static CachedPresences fromJson(JsonObject json) {
    return new CachedPresences(Json.list(json, "value", CachedPresence::fromJson),
        Json.optionalIds(json, "notCached"));
  }
}
