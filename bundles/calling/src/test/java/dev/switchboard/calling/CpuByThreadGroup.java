package dev.switchboard.calling;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The benchmark's CPU time between two moments, for the whole process ({@code OperatingSystemMXBean}) and by group of
 * threads ({@link ThreadMXBean}): the event loops of each named Vert.x instance (found by running a task on each), the
 * other Java threads by their name without its number, and what no Java thread accounts for (the JVM's own: GC, JIT).
 * A thread that ended between the two moments is not counted in its group (it falls into the JVM's share).
 */
final class CpuByThreadGroup {

  private static final String JVM = "JVM (GC, JIT; threads ended meanwhile)";
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final Map<Long, String> eventLoops = new ConcurrentHashMap<>();
  private Map<Long, Long> threadsAtStart = Map.of();
  private long processAtStart;

  /** Names the event-loop threads of {@code vertx} {@code group}. Blocking, briefly. */
  CpuByThreadGroup eventLoopsOf(Vertx vertx, String group) throws InterruptedException {
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      try {
        loop.submit(() -> eventLoops.put(Thread.currentThread().getId(), group)).get();
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("could not run on an event loop of " + group, e);
      }
    }
    return this;
  }

  void start() {
    threadsAtStart = perThread();
    processAtStart = os.getProcessCpuTime();
  }

  /**
   * Waits until the process has used less than {@code idleShare} of one core for a whole second (the work started
   * before is done, whatever is still queued), but no longer than {@code max}. Blocking.
   *
   * @return whether it went quiet in time
   */
  boolean awaitQuiet(double idleShare, java.time.Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    long before = os.getProcessCpuTime();
    while (System.nanoTime() < deadline) {
      Thread.sleep(1000);
      long now = os.getProcessCpuTime();
      if (now - before < idleShare * 1e9) {
        return true;
      }
      before = now;
    }
    return false;
  }

  /** Nanoseconds of CPU since {@link #start} by group (the first entry is the process), in a stable order. */
  Map<String, Long> sinceStart() {
    long process = os.getProcessCpuTime() - processAtStart;
    Map<Long, Long> now = perThread();
    Map<String, Long> byGroup = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    for (var info : threads.getThreadInfo(now.keySet().stream().mapToLong(Long::longValue).toArray())) {
      if (info != null) {
        names.put(info.getThreadId(), info.getThreadName());
      }
    }
    long accounted = 0;
    for (var e : now.entrySet()) {
      long used = e.getValue() - threadsAtStart.getOrDefault(e.getKey(), 0L);
      String group = eventLoops.getOrDefault(e.getKey(),
          names.getOrDefault(e.getKey(), "?").replaceAll("-?\\d+$", ""));
      byGroup.merge(group, used, Long::sum);
      accounted += used;
    }
    Map<String, Long> ordered = new LinkedHashMap<>();
    ordered.put("process", process);
    Set<String> loops = new HashSet<>(eventLoops.values());
    byGroup.entrySet().stream()
        .sorted(Comparator.comparing((Map.Entry<String, Long> e) -> !loops.contains(e.getKey()))
            .thenComparing(Map.Entry::getValue, Comparator.reverseOrder()))
        .forEach(e -> ordered.put(e.getKey(), e.getValue()));
    ordered.put(JVM, Math.max(0, process - accounted));
    return ordered;
  }

  private Map<Long, Long> perThread() {
    Map<Long, Long> cpu = new HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      long t = threads.getThreadCpuTime(id);
      if (t >= 0) {
        cpu.put(id, t);
      }
    }
    return cpu;
  }
}
