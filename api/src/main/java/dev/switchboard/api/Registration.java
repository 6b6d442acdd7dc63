package dev.switchboard.api;

/**
 * A resource obtained from a {@link PluginContext} that can be released before the plugin stops.
 * Closing it twice is harmless.
 */
@FunctionalInterface
public interface Registration extends AutoCloseable {

  /** Releases the resource. Never throws. */
  @Override
  void close();
}
