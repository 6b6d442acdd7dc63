package dev.switchboard.api;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/** Meters that record nothing: what {@link PluginContext#meters()} gives where the platform has no registry. */
final class NoMeters implements Meters {

  static final Meters INSTANCE = new NoMeters();
  private static final Counter COUNTER = new Counter() {
    @Override
    public void increment() {
    }

    @Override
    public void increment(double amount) {
    }
  };
  private static final Timer TIMER = new Timer() {
    @Override
    public void record(Duration duration) {
    }

    @Override
    public void recordNanos(long nanos) {
    }
  };

  private NoMeters() {
  }

  @Override
  public Counter counter(String name, String description, String... tags) {
    return COUNTER;
  }

  @Override
  public Timer timer(String name, String description, String... tags) {
    return TIMER;
  }

  @Override
  public Registration gauge(String name, String description, DoubleSupplier value, String... tags) {
    return () -> { };
  }
}
