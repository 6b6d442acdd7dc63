package dev.switchboard.api;

import io.vertx.core.Future;

/**
 * A unit of behaviour contributed by a bundle: the platform's extension point.
 *
 * <h2>How the platform finds a plugin</h2>
 * A bundle names its plugin classes in the {@value #MANIFEST_HEADER} manifest header, for example
 * (as a bnd instruction):
 * <pre>
 * Switchboard-Plugin: com.example.hello.HelloPlugin;name=hello
 * </pre>
 * Each class must be public with a public no-argument constructor. When the bundle becomes active the
 * platform instantiates each class and registers it as an OSGi service of this interface on the
 * bundle's behalf (a bundle that prefers to may register {@code Plugin} services itself; they are
 * treated alike, with the {@value #NAME_PROPERTY} service property as the name). The {@code name}
 * attribute defaults to the last segment of the bundle's symbolic name. The name identifies the plugin
 * across versions: its configuration section is {@code plugins.<name>}.
 *
 * <h2>Lifecycle and threading</h2>
 * Each plugin instance runs on its own Vert.x event-loop context. {@link #start} and {@link #stop},
 * and every handler registered through the {@link PluginContext}, are called on that context, one at
 * a time; none of them may block. Blocking work goes to {@code context.vertx().executeBlocking(...)}.
 * The thread context classloader there is the platform's, never the bundle's (a thread that inherited a
 * bundle's loader would keep an uninstalled bundle in memory); a library that looks classes up through it
 * needs it set around the call.
 *
 * <p>{@code start} is called once. If it throws, returns a failed future, or does not complete within
 * the platform's start timeout, the plugin is marked {@code FAILED} with that cause, everything it
 * obtained is released, and the rest of the server carries on. {@code stop} is called once, when the
 * bundle is stopped, updated or uninstalled, and is bounded by the same kind of timeout. After
 * {@code stop} completes (or fails, or times out) the platform releases every consumer, route and
 * timer the plugin obtained, whether or not the plugin released them itself.
 */
public interface Plugin {

  /** The manifest header listing a bundle's plugin classes. */
  String MANIFEST_HEADER = "Switchboard-Plugin";

  /** The service property carrying a plugin's name. */
  String NAME_PROPERTY = "switchboard.plugin.name";

  /**
   * Starts the plugin: registers its consumers and routes through {@code context}.
   *
   * @param context the plugin's context, valid until {@link #stop} completes
   * @return a future completed when the plugin is ready to serve
   */
  Future<Void> start(PluginContext context);

  /**
   * Stops the plugin. The default does nothing: whatever was obtained through the context is released
   * by the platform afterwards anyway. Override it to finish in-flight work or save state.
   *
   * @return a future completed when the plugin has stopped
   */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }
}
