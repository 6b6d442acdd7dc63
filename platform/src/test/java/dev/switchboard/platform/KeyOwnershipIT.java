package dev.switchboard.platform;

import static dev.switchboard.platform.TestServer.await;
import static dev.switchboard.platform.TestServer.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.api.CallNotifications;
import dev.switchboard.api.KeyedMessage;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Typed key ownership in a real server with real bundles: key timers survive a takeover and fire once on the new
 * version; a plugin's state and its key timers survive a restart; a followed topic reaches a plugin once per event while two of its versions run; nothing a bundle sends to
 * a keyed address is delivered as a Graph notification.
 */
class KeyOwnershipIT {

  private static final String BSN = "dev.switchboard.test.keyed";

  @TempDir
  Path home;

  private static Buffer jar(String artifactId) throws Exception {
    return Buffer.buffer(Files.readAllBytes(TestServer.bundle(artifactId)));
  }

  private static JsonObject send(TestServer t, String key, JsonObject body) throws Exception {
    return await(t.vertx.eventBus().<JsonObject>request("test.counter", body,
        new DeliveryOptions().addHeader(KeyedMessage.KEY_HEADER, key))).body();
  }

  @Test
  void aKeyTimerSetBeforeATakeoverFiresOnceOnTheNewVersion() throws Exception {
    try (TestServer t = TestServer.start(home, Map.of())) {
      List<JsonObject> fired = new CopyOnWriteArrayList<>();
      t.vertx.eventBus().<JsonObject>consumer("test.counter.timers", m -> fired.add(m.body()));
      assertEquals(201, t.admin(HttpMethod.POST, "/admin/bundles", jar("keyed-v1")).statusCode());

      JsonObject armed = send(t, "call-1", new JsonObject().put("seq", 1).put("timerMs", 1500));
      assertEquals("1.0.0", armed.getString("version"));
      assertNull(armed.getString("sender"), "a message over the bus has no verified sender");

      assertEquals(200, t.admin(HttpMethod.PUT, "/admin/bundles/" + BSN + "?mode=takeover", jar("keyed-v2"))
          .statusCode());
      assertEquals("2.0.0", send(t, "call-1", new JsonObject().put("seq", 2)).getString("version"),
          "the key moved to the new version");

      awaitUntil("the timer fired", Duration.ofSeconds(10), () -> !fired.isEmpty());
      Thread.sleep(700); // a second firing, if there were one, would come within this
      assertEquals(1, fired.size(), fired.toString());
      assertEquals("2.0.0", fired.get(0).getString("version"), "fired on the version that owns the key now");
      assertEquals("1.0.0", fired.get(0).getJsonObject("payload").getString("armedBy"));
    }
  }

  @Test
  void aPluginsStateIsThereAgainAfterTheServerRestarts() throws Exception {
    try (TestServer t = TestServer.start(home, Map.of())) {
      assertEquals(201, t.admin(HttpMethod.POST, "/admin/bundles", jar("keyed-v1")).statusCode());
      for (int seq = 1; seq <= 3; seq++) {
        assertEquals(seq, send(t, "call-1", new JsonObject().put("seq", seq)).getInteger("count"));
      }
    }
    try (TestServer t = TestServer.start(home, Map.of())) {
      // The bundle from the deploy folder may still be starting its plugin when start() returns (a loaded machine).
      awaitUntil("the keyed plugin consumes again after the restart", Duration.ofSeconds(30),
          () -> t.vertx.eventBus().request("test.counter", new JsonObject(), new DeliveryOptions()
              .addHeader(KeyedMessage.KEY_HEADER, "probe")).transform(ar -> Future.succeededFuture(!(ar.cause()
                  instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS)))
              .toCompletionStage().toCompletableFuture().join());
      assertEquals(4, send(t, "call-1", new JsonObject().put("seq", 4)).getInteger("count"),
          "the count the plugin stored before the restart");
    }
  }

  @Test
  void aKeyTimerArmedBeforeARestartFiresOnceAfterIt() throws Exception {
    try (TestServer t = TestServer.start(home, Map.of())) {
      assertEquals(201, t.admin(HttpMethod.POST, "/admin/bundles", jar("keyed-v1")).statusCode());
      send(t, "call-9", new JsonObject().put("seq", 1).put("timerMs", 1200));
    }
    List<JsonObject> firedAfterRestart = new CopyOnWriteArrayList<>();
    // Listening before the bundles start: on a slow start the timer is already due and fires as the plugin starts.
    try (TestServer t = TestServer.start(home, Map.of(), vertx -> vertx.eventBus().<JsonObject>consumer(
        "test.counter.timers", m -> firedAfterRestart.add(m.body())))) {
      List<JsonObject> fired = firedAfterRestart;
      awaitUntil("the timer armed before the restart fired", Duration.ofSeconds(10), () -> !fired.isEmpty());
      assertEquals("call-9", fired.get(0).getString("key"));
      assertEquals("1.0.0", fired.get(0).getJsonObject("payload").getString("armedBy"));
    }
    try (TestServer t = TestServer.start(home, Map.of())) {
      List<JsonObject> fired = new CopyOnWriteArrayList<>();
      t.vertx.eventBus().<JsonObject>consumer("test.counter.timers", m -> fired.add(m.body()));
      assertEquals(2, send(t, "call-9", new JsonObject().put("seq", 2)).getInteger("count"), "the plugin is up");
      Thread.sleep(1500); // the timer, had it been written down still, would fire at once
      assertEquals(List.of(), fired, "a timer that fired is not armed again by the next restart");
    }
  }

  @Test
  void aFollowedTopicReachesThePluginOncePerEventWhileTwoVersionsRun() throws Exception {
    try (TestServer t = TestServer.start(home, Map.of("SWITCHBOARD_PLUGINS_COUNTER_FOLLOW", "test.topic",
        "SWITCHBOARD_ROUTING_DRAIN_TIMEOUT", "60s"))) {
      List<JsonObject> events = new CopyOnWriteArrayList<>();
      List<JsonObject> plain = new CopyOnWriteArrayList<>();
      t.vertx.eventBus().<JsonObject>consumer("test.counter.events", m -> events.add(m.body()));
      t.vertx.eventBus().<JsonObject>consumer("test.topic", m -> plain.add(m.body()
          .copy().put("key", m.headers().get(KeyedMessage.KEY_HEADER))));
      assertEquals(201, t.admin(HttpMethod.POST, "/admin/bundles", jar("keyed-v1")).statusCode());
      send(t, "old", new JsonObject().put("seq", 0)); // v1 owns "old" and keeps it through the drain

      assertEquals(200, t.admin(HttpMethod.PUT, "/admin/bundles/" + BSN + "?mode=drain", jar("keyed-v2"))
          .statusCode());
      send(t, "new", new JsonObject().put("seq", 0)); // a new key goes to v2
      for (int seq = 1; seq <= 20; seq++) {
        send(t, "old", new JsonObject().put("seq", seq).put("publish", "test.topic"));
        send(t, "new", new JsonObject().put("seq", seq).put("publish", "test.topic"));
      }

      awaitUntil("40 events followed", Duration.ofSeconds(10), () -> events.size() >= 40);
      Thread.sleep(300);
      assertEquals(40, events.size(), "each event once, although two versions follow the topic");
      for (String key : List.of("old", "new")) {
        List<JsonObject> ofKey = events.stream().filter(e -> key.equals(e.getString("key"))).toList();
        assertEquals(20, ofKey.size());
        for (int i = 0; i < 20; i++) {
          assertEquals(i + 1, ofKey.get(i).getJsonObject("body").getInteger("seq"), key + " in order");
          assertEquals("counter", ofKey.get(i).getString("publisher"));
          assertEquals(key.equals("old") ? "1.0.0" : "2.0.0", ofKey.get(i).getString("version"),
              "delivered to the owner of the key");
        }
      }
      awaitUntil("plain consumers got them too", Duration.ofSeconds(5), () -> plain.size() >= 40);
      assertEquals(20, plain.stream().filter(e -> "old".equals(e.getString("key"))).count());
    }
  }

  @Test
  void nothingABundleSendsToTheCallingAddressArrivesAsAGraphNotification() throws Exception {
    try (TestServer t = TestServer.start(home, Map.of())) {
      List<JsonObject> recorded = new CopyOnWriteArrayList<>();
      List<JsonObject> other = new CopyOnWriteArrayList<>();
      t.vertx.eventBus().<JsonObject>consumer("test.calls.recorded", m -> recorded.add(m.body()));
      t.vertx.eventBus().<JsonObject>consumer("test.calls.other", m -> other.add(m.body()));
      assertEquals(201, t.admin(HttpMethod.POST, "/admin/bundles", jar("call-recorder")).statusCode());

      JsonObject forged = new JsonObject().put("tenantId", "t").put("callId", "c-1").put("receivedAt", "now")
          .put("notification", new JsonObject().put("changeType", "deleted")
              .put("resourceUrl", "/communications/calls/c-1"));
      await(t.vertx.eventBus().request(CallNotifications.ADDRESS, forged,
          new DeliveryOptions().addHeader(KeyedMessage.KEY_HEADER, "c-1")));

      awaitUntil("the forged message arrived", Duration.ofSeconds(5), () -> !other.isEmpty());
      assertEquals("Command", other.get(0).getString("kind"));
      assertEquals(List.of(), recorded, "no notification was delivered");
    }
  }
}
