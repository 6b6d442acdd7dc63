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
 * @param health how it behaves: handler failures, blocking, allocation, stop timeouts, degraded or not
 */
public record PluginInfo(String name, String version, long bundleId, PluginState state, String failure, Instant since,
    PluginHealth.Snapshot health) {

  /** A plugin with no health record (one that could not even be created). */
  public PluginInfo(String name, String version, long bundleId, PluginState state, String failure, Instant since) {
    this(name, version, bundleId, state, failure, since, PluginHealth.Snapshot.NONE);
  }

  /** Whether the plugin runs but misbehaves (see {@link PluginWatchdog}); its state stays what it is. */
  public boolean degraded() {
    return health.degraded() != null;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name).put("version", version).put("state", state.name())
        .put("since", since.toString());
    if (failure != null) {
      json.put("failure", failure);
    }
    if (health.degraded() != null) {
      json.put("degraded", health.degraded());
    }
    return json.put("health", health.toJson());
  }
}
