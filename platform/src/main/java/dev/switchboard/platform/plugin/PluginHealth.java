package dev.switchboard.platform.plugin;

import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How one plugin instance behaves, as plain counters any exporter can read (the metrics engineer's meters, the
 * admin API, the {@link PluginWatchdog}): handler runs and failures, handler runs that held their thread too long,
 * bytes allocated inside its handlers, stop timeouts, and whether it is degraded and why. Every handler the plugin
 * registers through its context runs between {@link #enter()} and {@link #exit()} (see {@link PluginLogger#withMdc}).
 * Thread-safe; counting costs two clock reads and two allocation-counter reads per handler run.
 */
public final class PluginHealth {

  private static final com.sun.management.ThreadMXBean THREADS = threads();

  /** A handler running now on a thread: since when, how deep (handlers nest), allocation at entry. */
  static final class Run {
    final Thread thread;
    final long startedNanos;
    final long allocatedAtStart;
    int depth;
    /** Set once the watchdog has reported this run as blocking, so that one run is reported once. */
    volatile boolean reported;

    Run(Thread thread, long startedNanos, long allocatedAtStart) {
      this.thread = thread;
      this.startedNanos = startedNanos;
      this.allocatedAtStart = allocatedAtStart;
    }
  }

  /** The counters at one moment. */
  public record Snapshot(long handled, long failures, long blocked, long longestBlockMs, long allocatedBytes,
      long stopTimeouts, String degraded, Instant degradedSince) {

    public static final Snapshot NONE = new Snapshot(0, 0, 0, 0, 0, 0, null, null);

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("handled", handled).put("failures", failures).put("blocked", blocked)
          .put("longestBlockMs", longestBlockMs).put("allocatedBytes", allocatedBytes)
          .put("stopTimeouts", stopTimeouts);
      if (degraded != null) {
        json.put("degraded", degraded).put("degradedSince", degradedSince.toString());
      }
      return json;
    }
  }

  private final Map<Thread, Run> running = new ConcurrentHashMap<>();
  private final AtomicLong handled = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong blocked = new AtomicLong();
  private final AtomicLong longestBlockMs = new AtomicLong();
  private final AtomicLong allocatedBytes = new AtomicLong();
  private final AtomicLong stopTimeouts = new AtomicLong();
  private volatile String degraded;
  private volatile Instant degradedSince;

  /** A handler of the plugin starts running on the current thread. */
  void enter() {
    Thread t = Thread.currentThread();
    Run run = running.get(t);
    if (run != null) {
      run.depth++;
      return;
    }
    running.put(t, new Run(t, System.nanoTime(), allocated(t)));
    handled.incrementAndGet();
  }

  /** The handler started by the matching {@link #enter()} has returned. */
  void exit() {
    Thread t = Thread.currentThread();
    Run run = running.get(t);
    if (run == null) {
      return;
    }
    if (run.depth > 0) {
      run.depth--;
      return;
    }
    running.remove(t);
    long allocated = allocated(t) - run.allocatedAtStart;
    if (allocated > 0) {
      allocatedBytes.addAndGet(allocated);
    }
    if (run.reported) {
      longestBlockMs.accumulateAndGet((System.nanoTime() - run.startedNanos) / 1_000_000, Math::max);
    }
  }

  /** A handler threw or its future failed. */
  void failure() {
    failures.incrementAndGet();
  }

  /** {@code stop} did not complete within the stop timeout. */
  void stopTimedOut() {
    stopTimeouts.incrementAndGet();
  }

  /** The handler runs in progress now (for the watchdog). */
  Iterable<Run> running() {
    return running.values();
  }

  /** The watchdog reports {@code run} as blocking its thread; counted once per run. */
  void blocking(Run run, long forMs) {
    if (!run.reported) {
      run.reported = true;
      blocked.incrementAndGet();
    }
    longestBlockMs.accumulateAndGet(forMs, Math::max);
  }

  /** Marks the plugin degraded; the first reason stays (with its time) until the plugin instance is replaced. */
  void degrade(String reason) {
    if (degraded == null) {
      degradedSince = Instant.now();
      degraded = reason;
    }
  }

  public boolean isDegraded() {
    return degraded != null;
  }

  public long failures() {
    return failures.get();
  }

  public long handled() {
    return handled.get();
  }

  public long allocatedBytes() {
    return allocatedBytes.get();
  }

  public Snapshot snapshot() {
    return new Snapshot(handled.get(), failures.get(), blocked.get(), longestBlockMs.get(), allocatedBytes.get(),
        stopTimeouts.get(), degraded, degradedSince);
  }

  private static long allocated(Thread t) {
    return THREADS == null ? 0 : THREADS.getThreadAllocatedBytes(t.getId());
  }

  private static com.sun.management.ThreadMXBean threads() {
    try {
      if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
          && t.isThreadAllocatedMemorySupported()) {
        t.setThreadAllocatedMemoryEnabled(true);
        return t;
      }
    } catch (UnsupportedOperationException | SecurityException e) {
      // Allocation is then not attributed; everything else works.
    }
    return null;
  }
}
