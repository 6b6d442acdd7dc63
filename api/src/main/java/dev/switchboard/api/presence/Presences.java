package dev.switchboard.api.presence;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The reply to {@link PresenceCommand.Fetch}: presences in the order asked ({@code {"value": [...]}}). */
public record Presences(List<Presence> value) {

  public Presences {
    value = List.copyOf(value);
  }

  public JsonObject toJson() {
    return new JsonObject().put("value", new JsonArray(value.stream().map(Presence::toJson).toList()));
  }

  public static Presences fromJson(JsonObject json) {
    return new Presences(Json.list(json, "value", Presence::fromJson));
  }
}
