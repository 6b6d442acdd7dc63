package dev.switchboard.platform;

import static dev.switchboard.platform.TestServer.await;
import static dev.switchboard.platform.TestServer.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Lossless hot swap under load: 2,000 keys × 10 ordered messages at 2,000 messages/s while the keyed bundle is
 * updated with drain, then with takeover, then rolled back.
 */
class HotSwapIT {

  private static final String BSN = "dev.switchboard.test.keyed";
  private static final int KEYS = 2000;
  private static final int MESSAGES = 10;

  @TempDir
  Path home;

  private static Buffer jar(String artifactId) throws Exception {
    return Buffer.buffer(Files.readAllBytes(TestServer.bundle(artifactId)));
  }

  @Test
  void drainTakeoverAndRollbackUnderLoadLoseNothing() throws Exception {
    try (TestServer t = TestServer.start(home, Map.of("SWITCHBOARD_PLUGINS_COUNTER_DELAY_MS", "2",
        "SWITCHBOARD_ROUTING_DRAIN_TIMEOUT", "60s"))) {
      assertEquals(201, t.admin(HttpMethod.POST, "/admin/bundles", jar("keyed-v1")).statusCode());
      WeakReference<ClassLoader> v1Loader = loaderOf(t, "1.0.0");

      KeyedLoad load = new KeyedLoad(t.vertx, "test.counter", KEYS, MESSAGES, 100, 2000);
      var finished = load.run();

      awaitUntil("400 keys started", Duration.ofSeconds(60), () -> load.keysStarted.get() >= 400);
      long drainStart = System.nanoTime();
      HttpResponse<Buffer> drained = t.admin(HttpMethod.PUT, "/admin/bundles/" + BSN + "?mode=drain", jar("keyed-v2"));
      long drainReturned = System.nanoTime();
      assertEquals(200, drained.statusCode(), drained.bodyAsString());

      awaitUntil("900 keys started", Duration.ofSeconds(60), () -> load.keysStarted.get() >= 900);
      long takeoverStart = System.nanoTime();
      HttpResponse<Buffer> taken = t.admin(HttpMethod.PUT, "/admin/bundles/" + BSN + "?mode=takeover", jar("keyed-v3"));
      long takeoverReturned = System.nanoTime();
      assertEquals(200, taken.statusCode(), taken.bodyAsString());

      awaitUntil("1400 keys started", Duration.ofSeconds(60), () -> load.keysStarted.get() >= 1400);
      long rollbackStart = System.nanoTime();
      HttpResponse<Buffer> rolledBack = t.admin(HttpMethod.POST, "/admin/bundles/" + BSN + "/rollback", null);
      long rollbackReturned = System.nanoTime();
      assertEquals(200, rolledBack.statusCode(), rolledBack.bodyAsString());
      assertEquals("2.0.0", rolledBack.bodyAsJsonObject().getString("version"));

      await(finished);
      List<KeyedLoad.Reply> replies = load.replies();
      assertEquals(KEYS * MESSAGES, replies.size());
      assertEquals(List.of(), replies.stream().filter(r -> r.failure() != null).limit(5).toList(), "no failures");

      Map<String, List<KeyedLoad.Reply>> byKey = replies.stream().collect(Collectors.groupingBy(KeyedLoad.Reply::key));
      assertEquals(KEYS, byKey.size());
      int spanningTakeover = 0;
      int continuingOnV3 = 0;
      for (Map.Entry<String, List<KeyedLoad.Reply>> e : byKey.entrySet()) {
        List<KeyedLoad.Reply> key = e.getValue().stream().sorted(Comparator.comparingInt(KeyedLoad.Reply::seq)).toList();
        for (int i = 0; i < MESSAGES; i++) {
          // Exactly once, in order, with the count carried across versions in the state store.
          assertEquals(i + 1, key.get(i).seq(), e.getKey());
          assertEquals(i + 1, key.get(i).count(), e.getKey() + " handled exactly once and in order: " + key);
        }
        KeyedLoad.Reply first = key.get(0);
        if (first.version().equals("1.0.0")) {
          assertTrue(key.stream().allMatch(r -> r.version().equals("1.0.0")),
              "a key begun before the drain stays on 1.0.0 to its end: " + key);
        }
        if (first.sentNanos() > drainReturned && key.get(MESSAGES - 1).sentNanos() < takeoverStart) {
          assertTrue(key.stream().allMatch(r -> r.version().equals("2.0.0")), "a key begun after the drain is 2.0.0's: " + key);
        }
        for (KeyedLoad.Reply r : key) {
          if (r.sentNanos() > takeoverReturned && r.sentNanos() < rollbackStart) {
            assertEquals("3.0.0", r.version(), "after the takeover every message is 3.0.0's: " + key);
          }
          if (first.sentNanos() > rollbackReturned) {
            assertEquals("2.0.0", r.version(), "a key begun after the rollback is 2.0.0's: " + key);
          }
        }
        if (key.stream().anyMatch(r -> r.version().equals("2.0.0")) && key.stream().anyMatch(r -> r.version().equals("3.0.0"))
            && first.sentNanos() < takeoverReturned) {
          spanningTakeover++;
        }
        if (first.version().equals("3.0.0")) {
          assertTrue(key.stream().allMatch(r -> r.version().equals("3.0.0")),
              "the rollback drains: a key begun on 3.0.0 ends on it: " + key);
          if (key.get(MESSAGES - 1).sentNanos() > rollbackStart) {
            continuingOnV3++;
          }
        }
      }
      assertTrue(spanningTakeover > 0, "some keys moved from 2.0.0 to 3.0.0 mid-way");
      assertTrue(continuingOnV3 > 0, "some keys owned by 3.0.0 finished on it while draining after the rollback");
      System.out.printf("hot swap: %d keys spanned the takeover, %d finished on 3.0.0 after the rollback; p50 %.1f ms, "
          + "p99 %.1f ms; drain update %d ms, takeover update %d ms, rollback %d ms%n", spanningTakeover,
          continuingOnV3, KeyedLoad.percentile(replies, 50), KeyedLoad.percentile(replies, 99),
          (drainReturned - drainStart) / 1_000_000, (takeoverReturned - takeoverStart) / 1_000_000,
          (rollbackReturned - rollbackStart) / 1_000_000);

      awaitUntil("only 2.0.0 is left installed", Duration.ofSeconds(30), () -> versions(t).equals(List.of("2.0.0")));
      HotDeployIT.assertCollected(v1Loader);
    }
  }

  @Test
  void replacingTheJarInTheDeployFolderLosesNoKeyedMessage() throws Exception {
    try (TestServer t = TestServer.start(home, Map.of("SWITCHBOARD_PLUGINS_COUNTER_DELAY_MS", "2"))) {
      t.drop(TestServer.bundle("keyed-v1"), "counter.jar");
      awaitUntil("1.0.0 is active", Duration.ofSeconds(15), () -> versions(t).equals(List.of("1.0.0"))
          && t.server.plugins().all().stream().anyMatch(p -> p.state().name().equals("ACTIVE")));
      KeyedLoad load = new KeyedLoad(t.vertx, "test.counter", 300, MESSAGES, 50, 1000);
      var finished = load.run();
      awaitUntil("100 keys started", Duration.ofSeconds(30), () -> load.keysStarted.get() >= 100);
      t.drop(TestServer.bundle("keyed-v2"), "counter.jar");
      await(finished);
      List<KeyedLoad.Reply> replies = load.replies();
      assertEquals(List.of(), replies.stream().filter(r -> r.failure() != null).limit(5).toList(), "no failures");
      replies.stream().collect(Collectors.groupingBy(KeyedLoad.Reply::key)).forEach((key, list) -> {
        List<KeyedLoad.Reply> sorted = list.stream().sorted(Comparator.comparingInt(KeyedLoad.Reply::seq)).toList();
        assertEquals(MESSAGES, sorted.size(), key);
        for (int i = 0; i < MESSAGES; i++) {
          assertEquals(i + 1, sorted.get(i).count(), key + " exactly once, in order: " + sorted);
        }
      });
      assertTrue(replies.stream().anyMatch(r -> r.version().equals("1.0.0")));
      assertTrue(replies.stream().anyMatch(r -> r.version().equals("2.0.0")));
    }
  }

  @ParameterizedTest(name = "mode {0}")
  @ValueSource(strings = {"drain", "takeover"})
  void aNewVersionThatFailsToStartIsRefusedAndTheOldOneKeepsServing(String mode) throws Exception {
    try (TestServer t = TestServer.start(home, Map.of("SWITCHBOARD_PLUGINS_COUNTER_FAIL_VERSION", "2.0.0"))) {
      assertEquals(201, t.admin(HttpMethod.POST, "/admin/bundles", jar("keyed-v1")).statusCode());
      assertEquals(1, count(t, "k", 1).getInteger("count"));

      HttpResponse<Buffer> refused = t.admin(HttpMethod.PUT, "/admin/bundles/counter?mode=" + mode, jar("keyed-v2"));
      assertEquals(422, refused.statusCode(), refused.bodyAsString());
      JsonObject error = refused.bodyAsJsonObject().getJsonObject("error");
      assertEquals("updateRefused", error.getString("code"));
      assertTrue(error.getString("message").contains("configured to fail"), error.encode());
      assertTrue(error.getString("message").contains("1.0.0 keeps serving"), error.encode());

      JsonObject after = count(t, "k", 2);
      assertEquals("1.0.0", after.getString("version"));
      assertEquals(2, after.getInteger("count"), "the key kept its owner and its state");
      assertEquals(List.of("1.0.0"), versions(t));
      JsonArray list = t.admin(HttpMethod.GET, "/admin/bundles", null).bodyAsJsonArray();
      assertEquals("ACTIVE", list.getJsonObject(0).getString("state"));
      assertEquals(1, list.getJsonObject(0).getInteger("keys"), "the open key is shown");
    }
  }

  @Test
  void rollbackWithoutAnEarlierVersionIsAConflictAndBadModesAreRefused() throws Exception {
    try (TestServer t = TestServer.start(home, Map.of())) {
      assertEquals(201, t.admin(HttpMethod.POST, "/admin/bundles", jar("keyed-v1")).statusCode());
      HttpResponse<Buffer> none = t.admin(HttpMethod.POST, "/admin/bundles/counter/rollback", null);
      assertEquals(409, none.statusCode(), none.bodyAsString());
      assertEquals("noPreviousVersion", none.bodyAsJsonObject().getJsonObject("error").getString("code"));
      HttpResponse<Buffer> badMode = t.admin(HttpMethod.PUT, "/admin/bundles/counter?mode=sideways", jar("keyed-v2"));
      assertEquals(400, badMode.statusCode());
      HttpResponse<Buffer> sameVersion = t.admin(HttpMethod.PUT, "/admin/bundles/counter", jar("keyed-v1"));
      assertEquals(409, sameVersion.statusCode());
      assertEquals("versionInstalled", sameVersion.bodyAsJsonObject().getJsonObject("error").getString("code"));
    }
  }

  private static JsonObject count(TestServer t, String key, int seq) throws Exception {
    return await(t.vertx.eventBus().<JsonObject>request("test.counter", new JsonObject().put("seq", seq),
        new DeliveryOptions().addHeader(dev.switchboard.api.KeyedMessage.KEY_HEADER, key))).body();
  }

  private static List<String> versions(TestServer t) {
    return java.util.stream.Stream.of(t.server.frameworkContext().getBundles())
        .filter(b -> BSN.equals(b.getSymbolicName()) && b.getState() != Bundle.UNINSTALLED)
        .map(b -> b.getVersion().toString()).sorted().toList();
  }

  private static WeakReference<ClassLoader> loaderOf(TestServer t, String version) {
    for (Bundle b : t.server.frameworkContext().getBundles()) {
      if (BSN.equals(b.getSymbolicName()) && b.getVersion().toString().equals(version)) {
        return new WeakReference<>(b.adapt(BundleWiring.class).getClassLoader());
      }
    }
    assertNull(version, "bundle version installed");
    return null;
  }
}
