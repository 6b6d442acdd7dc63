package dev.switchboard.api;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * A plugin's own meters, exposed by the platform on {@code GET /metrics} (Prometheus text format) beside the
 * platform's. Obtained from {@link PluginContext#meters()}.
 *
 * <h2>Names</h2>
 * A meter's name is lower case words joined by dots or underscores ({@code calls.started}); the platform prefixes
 * {@code switchboard_}, turns dots into underscores and adds the tags {@code plugin} (the plugin's name) and
 * {@code version} (its bundle's version: during a drain two versions count side by side), so a counter
 * {@code calls.started} of the plugin {@code calling} 1.0.0 is
 * {@code switchboard_calls_started_total{plugin="calling",version="1.0.0"}}
 * in Prometheus (counters end in {@code _total}, timers give {@code _seconds_count}, {@code _seconds_sum},
 * {@code _seconds_max} and histogram buckets {@code _seconds_bucket}). Tags are given as pairs: {@code "result",
 * "200"}; a meter with the same name and tags is the same meter (asking again returns it). One name must keep one
 * kind and one set of tag keys across plugins; asking for it as another kind or with other tag keys throws
 * {@link IllegalArgumentException}, as do a bad name, an odd number of tag strings or the reserved tag keys
 * {@code plugin} and {@code version}.
 *
 * <h2>Lifetime</h2>
 * Meters are released when the plugin instance stops: a new version of the plugin starts from zero and registers its
 * own (Prometheus' {@code rate()} and {@code increase()} treat the restart as a counter reset). Updating a meter after
 * the plugin stopped does nothing.
 *
 * <h2>Threading</h2>
 * Every method may be called from any thread and never blocks; updates are cheap (no allocation on the hot path once
 * a meter is held). A gauge's supplier is called on the thread that serves {@code /metrics}: it must be quick, must
 * not block, and must be safe to call from that thread (read a volatile or an atomic, not a plain field of an event
 * loop's state).
 *
 * @since 2.3.0
 */
public interface Meters {

  /**
   * A monotonic counter.
   *
   * @param name the meter's name, see the class comment
   * @param description what it counts, for the {@code # HELP} line
   * @param tags key, value pairs
   */
  Counter counter(String name, String description, String... tags);

  /**
   * A timer with a histogram (Prometheus buckets at 1, 5, 10, 25, 50, 100, 250, 500 ms, 1, 2.5, 5, 10, 30 and 60 s),
   * for latencies and durations.
   *
   * @param name the meter's name, see the class comment; the unit ({@code _seconds}) is added by the platform
   * @param description what it times
   * @param tags key, value pairs
   */
  Timer timer(String name, String description, String... tags);

  /**
   * A gauge whose value {@code value} supplies each time {@code /metrics} is read, until the plugin stops or the
   * returned registration is closed. Registering the same name and tags again replaces the supplier.
   *
   * @param name the meter's name, see the class comment
   * @param description what it measures
   * @param value its current value; see the class comment on threading
   * @param tags key, value pairs
   */
  Registration gauge(String name, String description, DoubleSupplier value, String... tags);

  /** A counter: only goes up. */
  interface Counter {

    /** Adds one. */
    void increment();

    /** Adds {@code amount}, which must not be negative. */
    void increment(double amount);
  }

  /** A timer: counts events and sums and distributes their durations. */
  interface Timer {

    /** Records one event that took {@code duration}. */
    void record(Duration duration);

    /** Records one event that took {@code nanos} nanoseconds (e.g. the difference of two {@link System#nanoTime()}). */
    void recordNanos(long nanos);
  }
}
