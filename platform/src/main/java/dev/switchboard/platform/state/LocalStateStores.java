package dev.switchboard.platform.state;

import dev.switchboard.api.StateStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-node state store: one in-memory map of JSON per plugin name, shared by every version of the
 * plugin. A write is visible to all versions as soon as its future completes (it completes at once). Values
 * are copied in and out so that no version holds another's objects (or classes). The clustered store
 * implements the same {@link StateStore} over the cluster manager's maps.
 */
public final class LocalStateStores {

  private final Map<String, Store> stores = new ConcurrentHashMap<>();

  /** The store of plugin {@code pluginName}. */
  public StateStore forPlugin(String pluginName) {
    return stores.computeIfAbsent(Objects.requireNonNull(pluginName, "pluginName"), n -> new Store());
  }

  private static final class Store implements StateStore {
    private final Map<String, JsonObject> entries = new ConcurrentHashMap<>();

    @Override
    public Future<JsonObject> get(String key) {
      JsonObject value = entries.get(Objects.requireNonNull(key, "key"));
      return Future.succeededFuture(value == null ? null : value.copy());
    }

    @Override
    public Future<Void> put(String key, JsonObject value) {
      entries.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value").copy());
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> remove(String key) {
      entries.remove(Objects.requireNonNull(key, "key"));
      return Future.succeededFuture();
    }

    @Override
    public Future<Set<String>> keys() {
      return Future.succeededFuture(Set.copyOf(entries.keySet()));
    }
  }
}
