package dev.switchboard.presence;

import static dev.switchboard.platform.TestServer.await;
import static dev.switchboard.platform.TestServer.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.presence.CachedPresences;
import dev.switchboard.api.presence.PresenceEvent;
import dev.switchboard.api.presence.PresenceEvent.PresenceChanged;
import dev.switchboard.platform.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 2,000 watched users in four subscriptions; presence changes of random users arrive as events, every one, in order
 * per user, also while the presence bundle is updated with {@code takeover}. (The full rate, 500 changes/s, is in
 * {@code bench/presence.sh}; here a user changes again only after its previous change was read, because without the
 * platform's rich notifications a basic notification makes the bundle read Graph, which shows the latest state.)
 */
class PresenceWatchIT {

  private static final String[][] STATES = {{"Busy", "InACall"}, {"Away", "Away"}, {"DoNotDisturb", "Presenting"},
      {"Available", "Available"}};

  @TempDir
  Path home;

  @Test
  void everyChangeOfTwoThousandWatchedUsersArrivesInOrderAcrossATakeover() throws Exception {
    // A follower: the keyed counter test bundle follows the presence topic and reports each event it gets.
    try (PresenceHarness h = PresenceHarness.start(home, 2_000, 2_000,
        Map.of("SWITCHBOARD_PLUGINS_COUNTER_FOLLOW", PresenceChanged.TOPIC))) {
      List<JsonObject> followed = new java.util.concurrent.CopyOnWriteArrayList<>();
      await(h.t.vertx.eventBus().<JsonObject>consumer("test.counter.events", m -> followed.add(m.body()))
          .completion());
      h.t.install(TestServer.bundle("keyed-v1"));
      awaitUntil("four presence subscriptions", Duration.ofSeconds(30), () -> count(h) == 4);
      awaitUntil("2,000 users cached", Duration.ofSeconds(30), () -> cached(h).notCached().isEmpty());
      assertTrue(h.events.isEmpty(), "the first read of a user is no change: " + h.events.size());

      // 300 random users change 4 times each, in rounds: a user's next change comes a round (about 1.5 s) later.
      Random random = new Random(14);
      List<String> changing = new ArrayList<>(h.users);
      java.util.Collections.shuffle(changing, random);
      List<String> chosen = changing.subList(0, 300);
      Map<String, List<String>> expected = new HashMap<>();
      CompletableFuture<Void> changes = CompletableFuture.runAsync(() -> {
        try {
          for (String[] state : STATES) {
            for (String user : chosen) {
              h.report(user, state[0], state[1]);
              expected.computeIfAbsent(user, u -> new ArrayList<>()).add(state[0] + "/" + state[1]);
              Thread.sleep(5);
            }
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      // The update happens while presence keeps changing.
      awaitUntil("some events", Duration.ofSeconds(15), () -> h.events.size() > 200);
      HttpResponse<Buffer> swapped = h.t.admin(HttpMethod.PUT, "/admin/bundles/presence?mode=takeover",
          Buffer.buffer(TestServer.withBundleVersion(PresenceHarness.jar(), "0.1.1")));
      assertEquals(200, swapped.statusCode(), swapped.bodyAsString());
      changes.get();
      awaitUntil("1,200 events", Duration.ofSeconds(30), () -> h.events.size() >= 1_200);
      Thread.sleep(500);

      Map<String, List<String>> seen = new HashMap<>();
      for (PresenceChanged e : h.events) {
        seen.computeIfAbsent(e.userId(), u -> new ArrayList<>()).add(e.presence().availability() + "/"
            + e.presence().activity());
      }
      assertEquals(expected, seen, "every change, once, in order per user");
      awaitUntil("1,200 events at the follower", Duration.ofSeconds(30), () -> followed.size() >= 1_200);
      Map<String, List<String>> atFollower = new HashMap<>();
      for (JsonObject f : followed) {
        PresenceChanged e = (PresenceChanged) PresenceEvent.fromJson(f.getJsonObject("body"));
        assertEquals(e.userId(), f.getString("key"));
        atFollower.computeIfAbsent(e.userId(), u -> new ArrayList<>()).add(e.presence().availability() + "/"
            + e.presence().activity());
      }
      assertEquals(expected, atFollower, "a follower gets every change once, in order per user");
      assertEquals("0.1.1", h.t.bundleNamed("dev.switchboard.presence").getVersion().toString());
      assertEquals(4, count(h), "the takeover kept the four subscriptions");
      // The event says since when the user shows its availability.
      PresenceChanged last = h.events.get(h.events.size() - 1);
      assertEquals(last.observedAt(), last.availabilitySince());
    }
  }

  private static int count(PresenceHarness h) {
    try {
      return h.subscriptions().size();
    } catch (Exception e) {
      return -1;
    }
  }

  private static CachedPresences cached(PresenceHarness h) {
    try {
      return await(h.client().cached(h.users));
    } catch (Exception e) {
      return new CachedPresences(List.of(), List.of("unavailable"));
    }
  }
}
