package dev.switchboard.platform.plugin;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Watches every running plugin from a thread of its own (not an event loop, which the plugin may be blocking) and
 * marks a plugin <em>degraded</em> when it
 * <ul>
 *   <li>holds its thread in one handler longer than {@code switchboard.watchdog.blockedMs} (default 1000 ms): a
 *       warning names the plugin, the thread and what it is doing (its stack), once per handler run;</li>
 *   <li>fails most of what it handles: at least {@code switchboard.watchdog.failures} (default 10) handler
 *       failures in a check interval's window of 10 s, and more failures than successes;</li>
 *   <li>is the one allocating most (at least half of what all plugins allocated in the last 10 s) while the heap
 *       in use is above {@code switchboard.watchdog.heapLimitBytes} (default 85% of the maximum heap).</li>
 * </ul>
 * Degraded is a mark for operators (admin API, {@code bundles list}, readiness), not an action: the plugin keeps
 * its keys and its state stays ACTIVE, since stopping it could be worse than a slow plugin. The thresholds are
 * system properties ({@code -Dswitchboard.watchdog.blockedMs=...}, also through {@code SWITCHBOARD_OPTS}).
 */
final class PluginWatchdog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PluginWatchdog.class);
  private static final long CHECK_MS = 200;
  private static final int WINDOW_CHECKS = 50; // 10 s

  private final Supplier<Collection<PluginRuntime>> plugins;
  private final long blockedMs;
  private final long failureThreshold;
  private final long heapLimitBytes;
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "switchboard-plugin-watchdog");
    t.setDaemon(true);
    return t;
  });
  /** Per plugin health: the failures, runs and allocation at the start of the current window. */
  private final Map<PluginHealth, long[]> windowStart = new HashMap<>();
  private int checks;

  PluginWatchdog(Supplier<Collection<PluginRuntime>> plugins) {
    this.plugins = plugins;
    this.blockedMs = Long.getLong("switchboard.watchdog.blockedMs", 1000);
    this.failureThreshold = Long.getLong("switchboard.watchdog.failures", 10);
    long max = memory.getHeapMemoryUsage().getMax();
    this.heapLimitBytes = Long.getLong("switchboard.watchdog.heapLimitBytes",
        max > 0 ? max / 100 * 85 : Long.MAX_VALUE);
  }

  void start() {
    thread.scheduleWithFixedDelay(this::check, CHECK_MS, CHECK_MS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }

  private void check() {
    try {
      long now = System.nanoTime();
      for (PluginRuntime plugin : plugins.get()) {
        for (PluginHealth.Run run : plugin.health().running()) {
          long ms = (now - run.startedNanos) / 1_000_000;
          if (ms >= blockedMs) {
            blocking(plugin, run, ms);
          }
        }
      }
      if (++checks % WINDOW_CHECKS == 0) {
        closeWindow();
      }
    } catch (RuntimeException e) {
      LOG.warn("The plugin watchdog's check failed; it goes on: {}", e.toString());
    }
  }

  private void blocking(PluginRuntime plugin, PluginHealth.Run run, long ms) {
    boolean first = !run.reported;
    plugin.health().blocking(run, ms);
    if (first) {
      String reason = "blocked thread " + run.thread.getName() + " for more than " + blockedMs + " ms in a handler";
      plugin.health().degrade(reason);
      withPlugin(plugin, () -> LOG.warn("Plugin {} {} has held thread {} for {} ms in one handler; every other "
          + "handler on that thread waits (other plugins' included). It is marked degraded; fix it or uninstall "
          + "it. It is at:\n  {}", plugin.name(), plugin.version(), run.thread.getName(), ms,
          Arrays.stream(run.thread.getStackTrace()).limit(12).map(String::valueOf)
              .collect(Collectors.joining("\n  "))));
    }
  }

  /** Every 10 s: plugins failing most of what they handle, and the top allocator when the heap is full. */
  private void closeWindow() {
    Collection<PluginRuntime> all = plugins.get();
    long heapUsed = memory.getHeapMemoryUsage().getUsed();
    long totalAllocated = 0;
    PluginRuntime topAllocator = null;
    long topAllocated = 0;
    Map<PluginHealth, long[]> next = new HashMap<>();
    for (PluginRuntime plugin : all) {
      PluginHealth h = plugin.health();
      long[] now = {h.failures(), h.handled(), h.allocatedBytes()};
      long[] before = windowStart.getOrDefault(h, new long[3]);
      next.put(h, now);
      long failed = now[0] - before[0];
      long handled = now[1] - before[1];
      long allocated = now[2] - before[2];
      if (failed >= failureThreshold && failed * 2 > handled) {
        degrade(plugin, "failed " + failed + " of " + handled + " handler runs in 10 s");
      }
      totalAllocated += allocated;
      if (allocated > topAllocated) {
        topAllocated = allocated;
        topAllocator = plugin;
      }
    }
    windowStart.clear();
    windowStart.putAll(next);
    if (heapUsed > heapLimitBytes && topAllocator != null && topAllocated * 2 >= totalAllocated) {
      degrade(topAllocator, "allocated " + topAllocated / (1024 * 1024) + " MiB in 10 s, the most of any plugin, "
          + "while the heap in use (" + heapUsed / (1024 * 1024) + " MiB) is above its limit ("
          + heapLimitBytes / (1024 * 1024) + " MiB)");
    }
  }

  private static void degrade(PluginRuntime plugin, String reason) {
    if (!plugin.health().isDegraded()) {
      plugin.health().degrade(reason);
      withPlugin(plugin, () -> LOG.warn("Plugin {} {} is marked degraded: it {}. Fix it or uninstall it.",
          plugin.name(), plugin.version(), reason));
    }
  }

  private static void withPlugin(PluginRuntime plugin, Runnable log) {
    MDC.put(PluginLogger.MDC_KEY, plugin.name() + "@" + plugin.version());
    try {
      log.run();
    } finally {
      MDC.remove(PluginLogger.MDC_KEY);
    }
  }
}
