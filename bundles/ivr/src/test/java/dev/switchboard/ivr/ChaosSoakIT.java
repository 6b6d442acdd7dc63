package dev.switchboard.ivr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.emulator.EmulatorOptions;
import dev.switchboard.platform.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak behind bench/soak.sh, skipped unless {@code -Dsoak.minutes=N} is given: ChaosIT's calls and faults at a
 * steady rate ({@code soak.callsPerSecond}, default 1) for N minutes, the ivr bundle updated (drain) and rolled back
 * every {@code soak.cycleMinutes} (default 2), and every {@code soak.sampleSeconds} (default 30) one line with the
 * heap in use after a full collection, the classes loaded (a leaked bundle class loader keeps its classes), the bundle
 * versions installed (an old version still draining counts) and the threads. Each call
 * must take its flow's path, as in ChaosIT.
 *
 * <p>The emulator runs in the same JVM and keeps logs with bodies ({@code soak.emulatorLog} entries each, default
 * 2,000, so that they are full within minutes and the heap shows the server's own curve). At the end the growth of
 * the heap is split: the emulator is reset (its logs, calls, recordings and call records dropped) and the heap
 * measured again; what remains is the server's (and the test's). A class histogram diff (largest growths first) is
 * printed at the end, and again after the reset.
 */
class ChaosSoakIT {

  @TempDir
  Path home;

  @Test
  void theChaosMixAtASteadyRateWithUpdatesAndRollbacksStaysFlat() throws Exception {
    double minutes = Double.parseDouble(System.getProperty("soak.minutes", "0"));
    assumeTrue(minutes > 0, "a soak runs only with -Dsoak.minutes=N (bench/soak.sh)");
    double rate = Double.parseDouble(System.getProperty("soak.callsPerSecond", "1"));
    long cycleMs = (long) (Double.parseDouble(System.getProperty("soak.cycleMinutes", "2")) * 60_000);
    long sampleMs = Long.getLong("soak.sampleSeconds", 30) * 1000;
    boolean keepEvents = Boolean.getBoolean("soak.keepEvents");
    EmulatorOptions emulator = new EmulatorOptions().setClockSpeed(5)
        .setLogCapacity(Integer.getInteger("soak.emulatorLog", 2_000));
    try (IvrHarness h = IvrHarness.start(home, ChaosIT.FLOW, ChaosIT.WATCHDOGS, emulator)) {
      h.emulated.post("/emulator/users", new JsonObject().put("id", "caller").put("phone", "+14255550100")
          .put("behavior", new JsonObject().put("speakSeconds", 2)));
      for (JsonObject fault : ChaosIT.faults()) { // the rate-based ones: the soak drops ends at the same rate
        if ("deleted".equals(fault.getString("changeType"))) {
          JsonObject atARate = fault.copy().put("rate", 0.1);
          atARate.remove("count");
          h.emulated.post("/emulator/faults", atARate);
          continue;
        }
        if (!fault.containsKey("forMs") && !fault.containsKey("count")) {
          h.emulated.post("/emulator/faults", fault);
        }
      }
      ExecutorService callers = Executors.newCachedThreadPool();
      ExecutorService cycles = Executors.newSingleThreadExecutor();
      java.util.concurrent.Future<?> cycling = java.util.concurrent.CompletableFuture.completedFuture(null);
      AtomicInteger started = new AtomicInteger();
      AtomicInteger passed = new AtomicInteger();
      Map<String, String> failed = new ConcurrentHashMap<>();
      Map<String, Integer> endedEarly = new ConcurrentHashMap<>();
      long begin = System.currentTimeMillis();
      long end = begin + (long) (minutes * 60_000);
      long nextCall = begin;
      long nextSample = begin;
      long nextCycle = begin + cycleMs;
      int cycle = 0;
      Map<String, long[]> atStart = Map.of();
      System.out.println("SOAK minute | calls started | passed | failed | heap after GC MiB | classes loaded | "
          + "bundle versions installed | threads | events recorded");
      while (System.currentTimeMillis() < end) {
        long now = System.currentTimeMillis();
        if (now >= nextCall) {
          ChaosIT.Path3 path = ChaosIT.Path3.values()[started.getAndIncrement() % ChaosIT.Path3.values().length];
          callers.submit(() -> {
            try {
              ChaosIT.Walked walked = ChaosIT.walk(h, path);
              if (!keepEvents) {
                h.forget(walked.callId()); // checked: the recorder keeps only the calls under way
              }
              if (walked.endedEarly() == null) {
                passed.incrementAndGet();
              } else {
                endedEarly.merge(walked.endedEarly(), 1, Integer::sum);
              }
            } catch (Throwable e) {
              failed.put(path + "#" + failed.size(), String.valueOf(e.getMessage()));
            }
          });
          nextCall += (long) (1000 / rate);
        }
        if (now >= nextCycle && cycling.isDone()) {
          int n = ++cycle;
          cycling = cycles.submit(() -> {
            try {
              updateAndRollBack(h, n);
            } catch (Throwable e) {
              failed.put("cycle " + n, String.valueOf(e.getMessage()));
            }
          });
          nextCycle = now + cycleMs;
        }
        if (now >= nextSample) {
          if (nextSample == begin) {
            atStart = histogram("start");
          }
          sample(h, (now - begin) / 60_000.0, started.get(), passed.get(), failed.size());
          nextSample += sampleMs;
        }
        Thread.sleep(20);
      }
      callers.shutdown();
      cycles.shutdown();
      assertTrue(callers.awaitTermination(5, TimeUnit.MINUTES), "the last calls ended");
      assertTrue(cycles.awaitTermination(5, TimeUnit.MINUTES), "the last update cycle ended");
      sample(h, (System.currentTimeMillis() - begin) / 60_000.0, started.get(), passed.get(), failed.size());
      growth("end", atStart, histogram("end"));
      // What the emulator holds (its logs, ended calls, recordings, call records) goes with its reset: the rest of the
      // growth is the server's and the test's.
      h.emulated.post("/emulator/reset", new JsonObject());
      System.out.print("SOAK after the emulator's reset: ");
      sample(h, (System.currentTimeMillis() - begin) / 60_000.0, started.get(), passed.get(), failed.size());
      growth("after the emulator's reset", atStart, histogram("reset"));
      System.out.println("SOAK watchdogs: calling " + Watchdogs.found(h.t, "calls_watchdog") + ", media "
          + Watchdogs.found(h.t, "media_watchdog"));
      System.out.println("SOAK ended early with a reason: " + endedEarly);
      assertEquals(Map.of(), failed, "every call took its flow's path or ended early with a reason");
    }
  }

  /**
   * Updates the ivr bundle with drain to a new version, waits for the old version's calls to end, then rolls back
   * with drain and waits again, while calls run (a rollback during a drain is refused with 409).
   */
  private static void updateAndRollBack(IvrHarness h, int cycle) throws Exception {
    long t0 = System.nanoTime();
    var updated = h.t.admin(HttpMethod.PUT, "/admin/bundles/ivr?mode=drain",
        Buffer.buffer(TestServer.withBundleVersion(IvrHarness.ivrJar(), "0.1." + cycle)));
    awaitNoDrain(h);
    long t1 = System.nanoTime();
    var rolledBack = h.t.admin(HttpMethod.POST, "/admin/bundles/ivr/rollback?mode=drain", null);
    awaitNoDrain(h);
    System.out.printf("SOAK cycle %d: update %d (drained in %.1f s), rollback %d (drained in %.1f s)%n", cycle,
        updated.statusCode(), (t1 - t0) / 1e9, rolledBack.statusCode(), (System.nanoTime() - t1) / 1e9);
    assertEquals(200, updated.statusCode() / 100 * 100, "update: " + updated.bodyAsString());
    assertEquals(200, rolledBack.statusCode() / 100 * 100, "rollback: " + rolledBack.bodyAsString());
  }

  /** Until no bundle version is draining (its calls ended, or the drain timeout took them over). */
  private static void awaitNoDrain(IvrHarness h) throws InterruptedException {
    TestServer.awaitUntil("the draining version's calls ended", Duration.ofMinutes(6), () -> {
      try {
        return h.t.admin(HttpMethod.GET, "/admin/bundles", null).bodyAsJsonArray().stream()
            .map(JsonObject.class::cast).noneMatch(b -> "DRAINING".equals(b.getString("state")));
      } catch (Exception e) {
        return false;
      }
    });
  }

  /**
   * The class histogram after a full collection ({@code jcmd <pid> GC.class_histogram}): prints its 12 largest classes
   * and its total; returns instances and bytes per class name (empty when unavailable).
   */
  private static Map<String, long[]> histogram(String when) {
    Map<String, long[]> byClass = new java.util.HashMap<>();
    try {
      String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
          new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
          new Object[] {new String[0]}, new String[] {String[].class.getName()});
      text.lines().limit(15).forEach(l -> System.out.println("SOAK histogram " + when + " " + l));
      text.lines().filter(l -> l.contains("Total")).forEach(l -> System.out.println("SOAK histogram " + when + l));
      text.lines().map(l -> l.trim().split("\\s+")).filter(f -> f.length >= 4 && f[0].endsWith(":"))
          .forEach(f -> byClass.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])}));
    } catch (Exception e) {
      System.out.println("SOAK histogram " + when + " unavailable: " + e);
    }
    return byClass;
  }

  /** Prints the 15 classes whose bytes grew most from {@code start} to {@code end}, and the total growth. */
  private static void growth(String when, Map<String, long[]> start, Map<String, long[]> end) {
    long total = end.values().stream().mapToLong(c -> c[1]).sum() - start.values().stream().mapToLong(c -> c[1]).sum();
    System.out.printf("SOAK growth %s: %+.1f MiB in all; largest:%n", when, total / 1048576.0);
    end.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), new long[] {e.getValue()[0] - start.getOrDefault(e.getKey(), new long[2])[0],
            e.getValue()[1] - start.getOrDefault(e.getKey(), new long[2])[1]}))
        .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(15)
        .forEach(e -> System.out.printf("SOAK growth %s %+,12d bytes %+,10d instances %s%n", when, e.getValue()[1],
            e.getValue()[0], e.getKey()));
  }

  private static void sample(IvrHarness h, double minute, int started, int passed, int failed) throws Exception {
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
    int classes = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
    int bundles;
    try {
      bundles = h.t.admin(HttpMethod.GET, "/admin/bundles", null).bodyAsJsonArray().size();
    } catch (Exception e) {
      bundles = -1;
    }
    System.out.printf("SOAK %.1f | %d | %d | %d | %d | %d | %d | %d | %d%n", minute, started, passed, failed, heap,
        classes, bundles, ManagementFactory.getThreadMXBean().getThreadCount(), h.events.size());
  }
}
