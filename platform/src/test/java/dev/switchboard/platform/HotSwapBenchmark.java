package dev.switchboard.platform;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Benchmark (not a test): keyed-message latency at a steady rate, in steady state and while the keyed bundle
 * is updated with drain, with takeover, and rolled back, all in one run. Run by {@code bench/hotswap.sh}.
 * Arguments: [rate per second] [seconds per phase].
 */
public final class HotSwapBenchmark {

  private record Window(String name, long from, long to) {
  }

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int phaseSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    Path home = Files.createTempDirectory("hotswap-bench");
    List<Window> windows = new ArrayList<>();
    List<KeyedLoad.Reply> replies;
    try (TestServer t = TestServer.start(home, Map.of("SWITCHBOARD_ROUTING_DRAIN_TIMEOUT", "60s"))) {
      check(t.admin(HttpMethod.POST, "/admin/bundles", jar("keyed-v1")));
      int keys = rate * (phaseSeconds * 7 + 10) / 10;
      KeyedLoad load = new KeyedLoad(t.vertx, "test.counter", keys, 10, Math.max(50, rate / 20), rate);
      var finished = load.run();
      long begin = System.nanoTime();
      Thread.sleep(phaseSeconds * 1000L);
      windows.add(new Window("steady state (1.0.0)", begin + 1_000_000_000L, System.nanoTime()));
      windows.add(swap(t, "update, drain (1.0.0 -> 2.0.0)", HttpMethod.PUT, "?mode=drain", "keyed-v2", phaseSeconds));
      long steady = System.nanoTime();
      Thread.sleep(phaseSeconds * 1000L);
      windows.add(new Window("steady state (2.0.0)", steady, System.nanoTime()));
      windows.add(swap(t, "update, takeover (2.0.0 -> 3.0.0)", HttpMethod.PUT, "?mode=takeover", "keyed-v3",
          phaseSeconds));
      windows.add(swap(t, "rollback, drain (3.0.0 -> 2.0.0)", HttpMethod.POST, "/rollback", null, phaseSeconds));
      TestServer.await(finished);
      replies = load.replies();
    }
    long failed = replies.stream().filter(r -> r.failure() != null).count();
    System.out.printf("%nkeyed messages at %d/s: %d sent, %d failed%n", rate, replies.size(), failed);
    System.out.printf("%-36s %8s %9s %9s %9s%n", "window", "messages", "p50 ms", "p99 ms", "max ms");
    double steadyP99 = Double.NaN;
    for (Window w : windows) {
      List<KeyedLoad.Reply> in = replies.stream().filter(r -> r.sentNanos() >= w.from() && r.sentNanos() < w.to())
          .toList();
      double p99 = KeyedLoad.percentile(in, 99);
      if (w.name().startsWith("steady") && Double.isNaN(steadyP99)) {
        steadyP99 = p99;
      }
      System.out.printf("%-36s %8d %9.2f %9.2f %9.2f%s%n", w.name(), in.size(), KeyedLoad.percentile(in, 50), p99,
          KeyedLoad.percentile(in, 100), w.name().startsWith("steady") ? ""
              : String.format("   (p99 %.1fx steady)", p99 / steadyP99));
    }
    System.exit(failed == 0 ? 0 : 1);
  }

  /** Runs one swap; its window is from the request until a second after the answer. */
  private static Window swap(TestServer t, String name, HttpMethod method, String suffix, String jar, int phaseSeconds)
      throws Exception {
    long from = System.nanoTime();
    String path = "/admin/bundles/dev.switchboard.test.keyed" + suffix;
    check(t.admin(method, path, jar == null ? null : jar(jar)));
    long answered = System.nanoTime();
    Thread.sleep(Math.max(1000L, phaseSeconds * 250L));
    return new Window(name, from, answered + 1_000_000_000L);
  }

  private static Buffer jar(String artifactId) throws Exception {
    return Buffer.buffer(Files.readAllBytes(TestServer.bundle(artifactId)));
  }

  private static void check(HttpResponse<Buffer> response) {
    if (response.statusCode() >= 300) {
      throw new IllegalStateException("admin call failed: " + response.statusCode() + " " + response.bodyAsString());
    }
  }

  private HotSwapBenchmark() {
  }
}
