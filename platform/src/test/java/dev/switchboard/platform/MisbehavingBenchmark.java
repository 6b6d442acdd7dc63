package dev.switchboard.platform;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark harness (not a test) for {@code bench/misbehaving.sh}: a real server with the well-behaved hello bundle
 * and the four misbehaving test bundles. A client on a Vert.x of its own calls hello's {@code GET /api/v1/hello/x}
 * at a steady rate; its latency is measured idle (the baseline), then while each misbehaving bundle misbehaves in
 * turn: blocking its event loop (2 s at a time), throwing on every message (500/s), allocating without bound
 * (1 MiB every 20 ms, held), and uninstalled while it never answers stop. Prints one line per phase.
 * Arguments: rate per second (default 200), seconds per phase (default 10). Run it with
 * {@code -Dswitchboard.plugins.isolation=thread} to measure a thread per plugin.
 */
public final class MisbehavingBenchmark {

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Path home = Files.createTempDirectory("misbehaving-bench");
    Vertx clientVertx = Vertx.vertx();
    try (TestServer t = TestServer.start(home, Map.of("SWITCHBOARD_API_AUTH", "none",
        "SWITCHBOARD_DEPLOY_STOP_TIMEOUT", "2s"))) {
      for (String bundle : new String[] {"hello-v1", "blocking-plugin", "throwing-plugin", "hog-plugin",
          "unstoppable-plugin"}) {
        t.install(TestServer.bundle(bundle));
      }
      WebClient client = WebClient.create(clientVertx);
      System.out.println("isolation " + System.getProperty("switchboard.plugins.isolation", "eventLoop") + ", "
          + rate + " requests/s to hello, " + seconds + " s per phase");
      System.out.println("phase | requests | failed | p50 ms | p99 ms | max ms | p99 vs baseline");
      double baseline = phase("baseline (misbehaving bundles idle)", t, client, rate, seconds, 0, null);
      phase("beside a plugin blocking its loop 2 s at a time", t, client, rate, seconds, baseline,
          () -> t.request("test.blocking", new JsonObject().put("ms", 2000)), 2000);
      phase("beside a plugin throwing on every message", t, client, rate, seconds, baseline,
          () -> t.request("test.throwing", "x"), 2);
      phase("beside a plugin allocating 50 MiB/s, held", t, client, rate, seconds, baseline,
          () -> t.request("test.hog", new JsonObject().put("mib", 1)), 20);
      t.admin(HttpMethod.DELETE, "/admin/bundles/dev.switchboard.test.hog", null);
      phase("while a plugin that never answers stop is uninstalled", t, client, rate, seconds, baseline,
          () -> t.admin(HttpMethod.DELETE, "/admin/bundles/dev.switchboard.test.unstoppable", null), 100_000);
      double after = phase("baseline again", t, client, rate, seconds, baseline, null);
      System.out.println("degraded: " + t.server.plugins().all().stream().filter(p -> p.degraded())
          .map(p -> p.name()).toList() + "; stop timeouts: " + t.server.plugins().stopTimeouts()
          + "; baseline p99 drift " + String.format("%.2fx", after / baseline));
    } finally {
      clientVertx.close();
    }
    System.exit(0);
  }

  private interface Action {
    Object run() throws Exception;
  }

  private static double phase(String name, TestServer t, WebClient client, int rate, int seconds, double baseline,
      Action misbehave) throws Exception {
    return phase(name, t, client, rate, seconds, baseline, misbehave, 0);
  }

  /** Runs {@code misbehave} every {@code everyMs} on a thread of its own while measuring hello; returns the p99. */
  private static double phase(String name, TestServer t, WebClient client, int rate, int seconds, double baseline,
      Action misbehave, long everyMs) throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    Thread culprit = null;
    if (misbehave != null) {
      culprit = new Thread(() -> {
        while (running.get()) {
          try {
            misbehave.run();
            Thread.sleep(everyMs);
          } catch (InterruptedException e) {
            return;
          } catch (Exception e) {
            // The misbehaving plugin's failures are the point.
          }
        }
      }, "culprit");
      culprit.start();
    }
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicLong failed = new AtomicLong();
    int total = rate * seconds;
    CountDownLatch done = new CountDownLatch(total);
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long due = start + i * 1_000_000_000L / rate;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      long sent = System.nanoTime();
      client.get(t.server.httpPort(), "127.0.0.1", "/api/v1/hello/x").send().onComplete(ar -> {
        // Measured from when the request was due: a stalled client does not hide a stalled server.
        latencies.add(System.nanoTime() - Math.min(sent, due));
        if (ar.failed() || ar.result().statusCode() != 200) {
          failed.incrementAndGet();
        }
        done.countDown();
      });
    }
    done.await();
    running.set(false);
    if (culprit != null) {
      culprit.interrupt();
      culprit.join();
    }
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    double p50 = sorted.get(sorted.size() / 2) / 1e6;
    double p99 = sorted.get((int) (sorted.size() * 0.99)) / 1e6;
    double max = sorted.get(sorted.size() - 1) / 1e6;
    System.out.printf("%s | %d | %d | %.2f | %.2f | %.2f | %s%n", name, total, failed.get(), p50, p99, max,
        baseline == 0 ? "1.0x" : String.format("%.1fx", p99 / baseline));
    return p99;
  }

  private MisbehavingBenchmark() {
  }
}
