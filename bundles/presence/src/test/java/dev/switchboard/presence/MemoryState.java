package dev.switchboard.presence;

import dev.switchboard.api.StateStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** A state store in a map, completing at once, for unit tests. */
final class MemoryState implements StateStore {

  final Map<String, JsonObject> values = new HashMap<>();

  @Override
  public Future<JsonObject> get(String key) {
    JsonObject v = values.get(key);
    return Future.succeededFuture(v == null ? null : v.copy());
  }

  @Override
  public Future<Void> put(String key, JsonObject value) {
    values.put(key, value.copy());
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> remove(String key) {
    values.remove(key);
    return Future.succeededFuture();
  }

  @Override
  public Future<Set<String>> keys() {
    return Future.succeededFuture(Set.copyOf(values.keySet()));
  }
}
