/**
 * The Switchboard plugin API: everything a feature bundle is written against.
 *
 * <p>A bundle contributes behaviour by providing one or more {@link dev.switchboard.api.Plugin}s. The
 * platform gives each plugin instance a {@link dev.switchboard.api.PluginContext} through which it
 * obtains event-bus consumers, HTTP routes and timers; the platform releases all of them when the
 * plugin stops, so that a bundle can be updated or removed while the server runs.
 *
 * <p>Only JSON ({@link io.vertx.core.json.JsonObject}) and {@link io.vertx.core.buffer.Buffer} cross
 * the bus between plugins: messages must survive a change of bundle version, classloader or node.
 *
 * <p>This package imports only {@code java.*}, the public {@code io.vertx.core} API and Jackson
 * annotations; it is exported by the platform's system bundle with its own version (bundles import it
 * with the range {@code [2.0,3.0)}). Each feature contract (calls, media, ...) is a subpackage with its own version.
 */
package dev.switchboard.api;
