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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 2,000 watched users in four subscriptions with resource data. Random users change presence at {@value #RATE}
 * changes/s for {@value #SECONDS} s, a user as often as the draw picks it (paced by {@link PacedChanges}' own thread,
 * not one synchronous request per change): every change arrives as an event, once, in order per user, at a plain bus
 * consumer and at a follower, and the bundle applies the presence each (decrypted) notification carries without
 * reading Graph. Then 300 users change again while the presence bundle is updated with {@code takeover}: still every
 * change, once, in order. The CI size is {@value #RATE}/s so that a slow 2-core machine keeps up; {@code
 * bench/presence.sh} makes the same check at 500 changes/s.
 */
class PresenceWatchIT {

  /** Changes per second of the first part. */
  private static final int RATE = 100;
  private static final int SECONDS = 15;

  @TempDir
  Path home;

  @Test
  void everyChangeOfTwoThousandWatchedUsersArrivesInOrderAtRateAndAcrossATakeover() throws Exception {
    // A follower: the keyed counter test bundle follows the presence topic and reports each event it gets.
    try (PresenceHarness h = PresenceHarness.start(home, 2_000, 2_000,
        Map.of("SWITCHBOARD_PLUGINS_COUNTER_FOLLOW", PresenceChanged.TOPIC))) {
      List<PresenceChanged> followed = new CopyOnWriteArrayList<>();
      await(h.t.vertx.eventBus().<JsonObject>consumer("test.counter.events", m -> {
        PresenceChanged e = (PresenceChanged) PresenceEvent.fromJson(m.body().getJsonObject("body"));
        assertEquals(e.userId(), m.body().getString("key"));
        followed.add(e);
      }).completion());
      h.t.install(TestServer.bundle("keyed-v1"));
      awaitUntil("four presence subscriptions", Duration.ofSeconds(30), () -> count(h) == 4);
      awaitUntil("2,000 users cached", Duration.ofSeconds(30), () -> cached(h).notCached().isEmpty());
      assertTrue(h.events.isEmpty(), "the first read of a user is no change: " + h.events.size());

      // Random users at RATE changes/s; many change more than once.
      PacedChanges changes = new PacedChanges(h, 14);
      // (The bundle may still be reading each chunk again once Graph lists its subscription: a few reads at most.)
      int graphReads = h.graphRequests("getPresencesByUserId") + h.graphRequests("/presence");
      changes.run(h.users, RATE, SECONDS, null);
      assertTrue(changes.repeated() > 100, "users changed more than once: " + changes.repeated());
      assertEveryChangeInOrder(h, followed, changes, "");
      int readsDuring = h.graphRequests("getPresencesByUserId") + h.graphRequests("/presence") - graphReads;
      assertTrue(readsDuring < changes.total() / 100, "the bundle applies the presence a notification carries "
          + "(basic notifications would cost about a read per change): " + readsDuring + " reads of Graph");

      // 300 random users change 4 times each, in rounds (a round takes about 1.5 s), during a takeover update.
      List<String> changing = new ArrayList<>(h.users);
      Collections.shuffle(changing, new Random(14));
      List<String> chosen = changing.subList(0, 300);
      int before = changes.total();
      CompletableFuture<Void> rounds = CompletableFuture.runAsync(() -> {
        try {
          for (int round = 0; round < 4; round++) {
            for (String user : chosen) {
              changes.changeNow(user);
              Thread.sleep(5);
            }
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      // The update happens while presence keeps changing.
      awaitUntil("some events", Duration.ofSeconds(15), () -> h.events.size() > before + 200);
      HttpResponse<Buffer> swapped = h.t.admin(HttpMethod.PUT, "/admin/bundles/presence?mode=takeover",
          Buffer.buffer(TestServer.withBundleVersion(PresenceHarness.jar(), "0.1.1")));
      assertEquals(200, swapped.statusCode(), swapped.bodyAsString());
      rounds.get();
      assertEveryChangeInOrder(h, followed, changes, ", across the update");
      assertEquals("0.1.1", h.t.bundleNamed("dev.switchboard.presence").getVersion().toString());
      assertEquals(4, count(h), "the takeover kept the four subscriptions");
      // The event says since when the user shows its availability.
      PresenceChanged last = h.events.get(h.events.size() - 1);
      assertEquals(last.observedAt(), last.availabilitySince());
    }
  }

  /**
   * Waits (up to 60 s) until both the plain consumer and the follower got as many events as changes were made, then
   * checks that each got, per user, the changes made in order (none missing, none extra). A failure names the users
   * whose events differ and says how the emulator's deliveries went.
   */
  private static void assertEveryChangeInOrder(PresenceHarness h, List<PresenceChanged> followed,
      PacedChanges changes, String when) throws InterruptedException {
    try {
      awaitUntil(changes.total() + " events at the consumer and the follower", Duration.ofSeconds(60),
          () -> h.events.size() >= changes.total() && followed.size() >= changes.total());
    } catch (AssertionError timedOut) {
      // the check below says which users' events are missing
    }
    String counts = " (" + changes.total() + " changes, " + h.events.size() + " events at the consumer, "
        + followed.size() + " at the follower)\n";
    assertEquals(Map.of(), changes.check(h.events), () -> "every change, once, in order per user" + when + counts
        + h.deliveryReport());
    assertEquals(Map.of(), changes.check(followed), () -> "a follower gets every change once, in order per user"
        + when + counts + h.deliveryReport());
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
