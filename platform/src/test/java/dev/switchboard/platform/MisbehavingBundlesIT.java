package dev.switchboard.platform;

import static dev.switchboard.platform.TestServer.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.platform.plugin.PluginInfo;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four misbehaving test bundles beside a well-behaved one: one blocks its event loop for seconds, one throws on
 * every message, one allocates without bound, one never answers {@code stop}. Each is detected (its blocking and
 * its failures counted and attributed to it, its allocation measured), marked degraded in {@code GET /admin/bundles}
 * and in readiness (which stays ready), can be uninstalled, and the well-behaved plugin answers throughout. Timings
 * are not asserted: the others' latency beside them is measured by bench/misbehaving.sh.
 */
class MisbehavingBundlesIT {

  @TempDir
  Path home;

  @Test
  void misbehavingBundlesAreDetectedMarkedDegradedAndDoNotTakeOthersDown() throws Exception {
    Runtime rt = Runtime.getRuntime();
    System.gc(); // the baseline is what is live now, not garbage that a collection would free anyway
    long heapLimit = rt.totalMemory() - rt.freeMemory() + 64L * 1024 * 1024;
    Map<String, String> watchdog = Map.of("switchboard.watchdog.blockedMs", "500",
        "switchboard.watchdog.failures", "10", "switchboard.watchdog.heapLimitBytes", String.valueOf(heapLimit));
    watchdog.forEach(System::setProperty);
    TestServer started;
    try {
      started = TestServer.start(home, Map.of("SWITCHBOARD_DEPLOY_STOP_TIMEOUT", "2s"));
    } finally {
      watchdog.keySet().forEach(System::clearProperty);
    }
    try (TestServer t = started) {
      for (String bundle : new String[] {"hello-v1", "blocking-plugin", "throwing-plugin", "hog-plugin",
          "unstoppable-plugin"}) {
        t.install(TestServer.bundle(bundle));
      }
      assertEquals("hello", hello(t));

      // Blocks its event loop for 3 s: a warning names it, it is counted and marked degraded.
      t.request("test.blocking", new JsonObject().put("ms", 3000));
      awaitUntil("the blocking plugin is degraded", Duration.ofSeconds(30), () -> degraded(t, "blocking"));
      PluginInfo blocking = plugin(t, "blocking").orElseThrow();
      assertTrue(blocking.health().degraded().contains("blocked thread"), blocking.health().degraded());
      assertEquals(1, blocking.health().blocked());
      assertEquals("hello", hello(t), "the others answer once the loop is free");

      // Throws on every message: each failure counted, then degraded.
      for (int i = 0; i < 30; i++) {
        t.requestOrFailure("test.throwing");
      }
      awaitUntil("30 failures counted", Duration.ofSeconds(10),
          () -> plugin(t, "throwing").orElseThrow().health().failures() == 30);
      awaitUntil("the throwing plugin is degraded", Duration.ofSeconds(30), () -> degraded(t, "throwing"));

      // Allocates without bound: the top allocator while the heap is above its limit.
      hog(t, 96); // beyond the limit
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (!degraded(t, "hog") && System.nanoTime() < deadline) {
        hog(t, 1); // goes on allocating, a little at a time, so that the test's own heap stays small
        Thread.sleep(200);
      }
      assertTrue(degraded(t, "hog"), "the hog is degraded: " + plugin(t, "hog"));
      assertTrue(plugin(t, "hog").orElseThrow().health().allocatedBytes() > 8L * 1024 * 1024);
      assertTrue(plugin(t, "hello").map(p -> !p.degraded()).orElse(false), "the well-behaved plugin is not");

      // Operators see all three, and readiness lists them without taking the node out of service.
      JsonArray bundles = new JsonArray(t.admin(HttpMethod.GET, "/admin/bundles", null).bodyAsString());
      for (String name : new String[] {"blocking", "throwing", "hog"}) {
        JsonObject bundle = bundles.stream().map(JsonObject.class::cast)
            .filter(b -> b.getString("name").equals("dev.switchboard.test." + name)).findFirst().orElseThrow();
        JsonObject p = bundle.getJsonArray("plugins").getJsonObject(0);
        assertTrue(p.containsKey("degraded"), p.encode());
        assertTrue(bundle.getJsonArray("problems").encode().contains("is degraded"), bundle.encode());
      }
      var ready = t.http(HttpMethod.GET, "/health/ready", null);
      assertEquals(200, ready.statusCode(), ready.bodyAsString());
      assertEquals(3, ready.bodyAsJsonObject().getJsonArray("degraded").size(), ready.bodyAsString());

      // Never answers stop: uninstalling it ends at the stop timeout, counted; the others keep running.
      assertEquals("still here", t.request("test.unstoppable", "ping").toCompletionStage().toCompletableFuture()
          .get());
      var removed = t.admin(HttpMethod.DELETE, "/admin/bundles/dev.switchboard.test.unstoppable", null);
      assertTrue(removed.statusCode() / 100 == 2, removed.bodyAsString());
      assertEquals(1, t.server.plugins().stopTimeouts());
      assertTrue(t.admin(HttpMethod.DELETE, "/admin/bundles/dev.switchboard.test.hog", null).statusCode() / 100 == 2);
      assertEquals("hello", hello(t));
    }
  }

  private static void hog(TestServer t, int mib) throws Exception {
    t.request("test.hog", new JsonObject().put("mib", mib)).toCompletionStage().toCompletableFuture().get();
  }

  private static String hello(TestServer t) throws Exception {
    Object reply = t.request("test.hello", "hi").toCompletionStage().toCompletableFuture().get();
    return ((JsonObject) reply).getString("text");
  }

  private static Optional<PluginInfo> plugin(TestServer t, String name) {
    return t.server.plugins().all().stream().filter(p -> p.name().equals(name)).findFirst();
  }

  private static boolean degraded(TestServer t, String name) {
    return plugin(t, name).map(PluginInfo::degraded).orElse(false);
  }
}
