package dev.switchboard.platform.metrics;

import dev.switchboard.api.Meters;
import dev.switchboard.api.Registration;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * One plugin instance's {@link Meters}: Micrometer meters named {@code switchboard.<name>} with the tag
 * {@code plugin=<name>} and {@code version=<bundle version>} (two versions run side by side during a drain; each
 * instance's meters are its own), removed from the registry by {@link #release()} when the instance stops.
 */
public final class PluginMeters implements Meters {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*([._][a-z0-9]+)*");
  /** The histogram buckets of every plugin timer: a few, so that a timer costs 16 series, not 70. */
  private static final Duration[] BUCKETS = java.util.stream.LongStream.of(1, 5, 10, 25, 50, 100, 250, 500, 1000,
      2500, 5000, 10_000, 30_000, 60_000).mapToObj(Duration::ofMillis).toArray(Duration[]::new);
  private static final Pattern TAG_KEY = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private final MeterRegistry registry;
  private final String plugin;
  private final String version;
  private final Map<Meter.Id, Meter> meters = new ConcurrentHashMap<>();
  private final Map<Meter.Id, AtomicReference<DoubleSupplier>> gauges = new ConcurrentHashMap<>();
  private volatile boolean released;

  public PluginMeters(MeterRegistry registry, String plugin, String version) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.plugin = Objects.requireNonNull(plugin, "plugin");
    this.version = Objects.requireNonNull(version, "version");
  }

  @Override
  public Counter counter(String name, String description, String... tags) {
    String meterName = meterName(name);
    Tags all = tags(tags);
    checkShape(meterName, Meter.Type.COUNTER, all);
    io.micrometer.core.instrument.Counter counter = track(io.micrometer.core.instrument.Counter
        .builder(meterName).description(description).tags(all).register(registry));
    return new Counter() {
      @Override
      public void increment() {
        counter.increment();
      }

      @Override
      public void increment(double amount) {
        if (amount < 0) {
          throw new IllegalArgumentException("a counter only goes up; got " + amount);
        }
        counter.increment(amount);
      }
    };
  }

  @Override
  public Timer timer(String name, String description, String... tags) {
    String meterName = meterName(name);
    Tags all = tags(tags);
    checkShape(meterName, Meter.Type.TIMER, all);
    io.micrometer.core.instrument.Timer timer = track(io.micrometer.core.instrument.Timer.builder(meterName)
        .description(description).tags(all).serviceLevelObjectives(BUCKETS).register(registry));
    return new Timer() {
      @Override
      public void record(Duration duration) {
        timer.record(duration);
      }

      @Override
      public void recordNanos(long nanos) {
        timer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
      }
    };
  }

  @Override
  public Registration gauge(String name, String description, DoubleSupplier value, String... tags) {
    Objects.requireNonNull(value, "value");
    String meterName = meterName(name);
    Tags all = tags(tags);
    checkShape(meterName, Meter.Type.GAUGE, all);
    Meter.Id id = new Meter.Id(meterName, all, null, description, Meter.Type.GAUGE);
    AtomicReference<DoubleSupplier> holder = gauges.computeIfAbsent(id, k -> new AtomicReference<>());
    holder.set(value);
    track(Gauge.builder(meterName, holder, h -> read(h.get())).description(description).tags(all)
        .strongReference(true).register(registry));
    return () -> {
      if (holder.compareAndSet(value, null)) {
        gauges.remove(id, holder);
        Meter gauge = meters.remove(id);
        if (gauge != null) {
          registry.remove(gauge);
        }
      }
    };
  }

  /** Removes every meter of this plugin instance from the registry; later updates count nothing. Idempotent. */
  public void release() {
    released = true;
    meters.values().forEach(registry::remove);
    meters.clear();
    gauges.clear();
  }

  private static double read(DoubleSupplier supplier) {
    if (supplier == null) {
      return Double.NaN;
    }
    try {
      return supplier.getAsDouble();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  private <M extends Meter> M track(M meter) {
    if (released) {
      registry.remove(meter);
    } else {
      meters.put(meter.getId(), meter);
    }
    return meter;
  }

  /** One name keeps one kind and one set of tag keys across every plugin (Prometheus queries rely on it). */
  private void checkShape(String meterName, Meter.Type type, Tags tags) {
    java.util.Set<String> keys = keys(tags);
    for (Meter existing : registry.find(meterName).meters()) {
      Meter.Type kind = existing.getId().getType();
      java.util.Set<String> existingKeys = keys(Tags.of(existing.getId().getTags()));
      if (kind != type || !existingKeys.equals(keys)) {
        throw new IllegalArgumentException("meter " + meterName + " exists as a " + kind.name().toLowerCase()
            + " with the tags " + existingKeys + "; it cannot also be a " + type.name().toLowerCase() + " with " + keys);
      }
    }
  }

  private static java.util.Set<String> keys(Tags tags) {
    java.util.Set<String> keys = new java.util.TreeSet<>();
    tags.forEach(t -> keys.add(t.getKey()));
    return keys;
  }

  private static String meterName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("meter name '" + name + "' must be lower case words joined by '.' or '_', "
          + "e.g. calls.started");
    }
    return "switchboard." + name.replace('_', '.');
  }

  private Tags tags(String... pairs) {
    if (pairs.length % 2 != 0) {
      throw new IllegalArgumentException("tags come as key, value pairs; got " + pairs.length + " strings");
    }
    Tags tags = Tags.of("plugin", plugin, "version", version);
    for (int i = 0; i < pairs.length; i += 2) {
      String key = pairs[i];
      if (key == null || !TAG_KEY.matcher(key).matches() || key.equals("plugin") || key.equals("version")) {
        throw new IllegalArgumentException("tag key '" + key + "' is not allowed: letters, digits and '_', and not "
            + "'plugin', which the platform sets");
      }
      tags = tags.and(key, pairs[i + 1] == null ? "" : pairs[i + 1]);
    }
    return tags;
  }
}
