package dev.switchboard.platform.state;

import dev.switchboard.api.StateStore;

/**
 * The state stores of a server: one per plugin name, and the platform's own. {@link LocalStateStores} keeps them in
 * the data folder; in cluster mode plugin stores (and the platform stores the cluster shares) are replicated maps.
 */
public interface StateStores extends AutoCloseable {

  /** The store of plugin {@code pluginName}, shared by all its versions. */
  StateStore forPlugin(String pluginName);

  /** A store of the platform's own, {@code name}, which no plugin can see whatever its name. */
  StateStore forPlatform(String name);

  /** Waits for accepted writes, then releases the stores. Blocking; never fails. */
  @Override
  void close();
}
