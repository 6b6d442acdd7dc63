package dev.switchboard.platform.plugin;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A snapshot of one plugin instance, for operators.
 *
 * @param name the plugin's name
 * @param version the version of the bundle providing it
 * @param bundleId the id of that bundle
 * @param state its lifecycle state
 * @param failure why it failed, in words, or {@code null}
 * @param since when it entered {@code state}
 */
public record PluginInfo(String name, String version, long bundleId, PluginState state, String failure, Instant since) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name).put("version", version).put("state", state.name())
        .put("since", since.toString());
    if (failure != null) {
      json.put("failure", failure);
    }
    return json;
  }
}
