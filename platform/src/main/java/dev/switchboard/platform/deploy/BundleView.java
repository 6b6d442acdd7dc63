package dev.switchboard.platform.deploy;

import dev.switchboard.platform.plugin.PluginInfo;
import java.util.List;

/**
 * One bundle as operators see it ({@code GET /admin/bundles}): a snapshot, taken when it was made.
 *
 * @param id the framework's bundle id
 * @param name the bundle's symbolic name
 * @param version the bundle's version
 * @param state where it is in its lifecycle
 * @param keys how many keys its plugins own
 * @param file the jar it was installed from, relative to the deploy folder, or {@code null}
 * @param location its framework location when it was not installed from the deploy folder, else {@code null}
 * @param plugins its plugins, by name
 * @param problems what keeps it from serving, in words (unresolved requirements, failed plugins); empty if none
 */
public record BundleView(long id, String name, String version, State state, int keys, String file, String location,
    List<Plugin> plugins, List<String> problems) {

  public BundleView {
    plugins = List.copyOf(plugins);
    problems = List.copyOf(problems);
  }

  /** The framework's bundle states, and one of the platform's. */
  public enum State {
    INSTALLED, RESOLVED, STARTING, STOPPING, ACTIVE, UNINSTALLED,
    /** ACTIVE, but an update has replaced it: it gets no new keys and is removed once it owns none. */
    DRAINING
  }

  /**
   * One plugin of the bundle.
   *
   * @param info its lifecycle
   * @param keys how many keys it owns
   */
  public record Plugin(PluginInfo info, int keys) {
  }
}
