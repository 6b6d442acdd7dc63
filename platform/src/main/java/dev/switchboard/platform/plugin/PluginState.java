package dev.switchboard.platform.plugin;

/** Where a plugin instance is in its lifecycle. */
public enum PluginState {
  /** {@code start} has been called and has not completed. */
  STARTING,
  /** Started and serving. */
  ACTIVE,
  /** {@code stop} has been called; its resources are being released. */
  STOPPING,
  /** Stopped; every resource it obtained has been released. */
  STOPPED,
  /** Could not be created or started; see its failure. Everything it obtained has been released. */
  FAILED
}
