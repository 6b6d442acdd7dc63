package dev.switchboard.platform.plugin;

import dev.switchboard.api.Meters;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-plugin handler meters: {@code switchboard_plugin_handler_seconds{plugin,version,kind}} (from the handler's
 * invocation to the completion of the future it returned; to its return for bus consumers and timers) and
 * {@code switchboard_plugin_handler_failures_total{plugin,version,kind}} (a handler that threw, or whose future failed
 * with anything but a {@link SwitchboardException} below 500, which is an answer, not a failure). Kinds: {@code keyed},
 * {@code bus}, {@code route}, {@code change}, {@code timer}. Released with the plugin's other meters.
 */
final class HandlerMeters {

  private final Meters meters;
  private final PluginHealth health;
  private final Map<String, Meters.Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, Meters.Counter> failures = new ConcurrentHashMap<>();

  HandlerMeters(Meters meters, PluginHealth health) {
    this.meters = meters;
    this.health = health;
  }

  /** Records a handler that began at {@code began} ({@link System#nanoTime()}) once {@code result} completes. */
  <T> Future<T> timed(String kind, long began, Future<T> result) {
    result.onComplete(ar -> {
      timer(kind).recordNanos(System.nanoTime() - began);
      if (ar.failed() && isFailure(ar.cause())) {
        failed(kind);
      }
    });
    return result;
  }

  /** Records a handler that began at {@code began} and has returned. */
  void returned(String kind, long began) {
    timer(kind).recordNanos(System.nanoTime() - began);
  }

  /** Counts a handler of {@code kind} that failed, on its meter and in the plugin's health. */
  void failed(String kind) {
    failures(kind).increment();
    health.failure();
  }

  private Meters.Counter failures(String kind) {
    return failures.computeIfAbsent(kind, k -> meters.counter("plugin.handler.failures",
        "Plugin handlers that threw or whose future failed (not with an answer below 500), by kind", "kind", k));
  }

  private Meters.Timer timer(String kind) {
    return timers.computeIfAbsent(kind, k -> {
      failures(k); // shown from the first handler on, at zero, so that rate() sees the first failure
      return meters.timer("plugin.handler",
          "Time plugin handlers took, from invocation to the completion of what they returned, by kind", "kind", k);
    });
  }

  private static boolean isFailure(Throwable cause) {
    return !(cause instanceof SwitchboardException e) || e.code().status() >= 500;
  }
}
