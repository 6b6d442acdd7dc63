package dev.switchboard.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * A JSON key–value store scoped to a plugin's <em>name</em>: every version of a plugin sees the same
 * entries, so a new version continues from what the old one wrote. Values are copied in and out.
 *
 * <p>A write whose future has completed is visible to every version of the plugin, on every node of a
 * cluster, before any key changes owner. In single-node mode it is kept in memory and on the disk (the data
 * folder), so it survives bundle updates and restarts: a write whose future has completed is on the disk; cluster-wide
 * in cluster mode.
 */
public interface StateStore {

  /** The value stored under {@code key}, or {@code null}. */
  Future<JsonObject> get(String key);

  /** Stores {@code value} under {@code key}, replacing any previous value. */
  Future<Void> put(String key, JsonObject value);

  /** Removes {@code key}; removing an absent key succeeds. */
  Future<Void> remove(String key);

  /** Every key stored. */
  Future<Set<String>> keys();
}
