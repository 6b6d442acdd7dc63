package dev.switchboard.presence;

import static dev.switchboard.platform.TestServer.await;
import static dev.switchboard.platform.TestServer.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.presence.CachedPresence;
import dev.switchboard.api.presence.CachedPresences;
import dev.switchboard.api.presence.Watches;
import dev.switchboard.platform.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API: reads, set and clear as the app, watches that survive an update, the cache, Graph's errors. */
class PresenceRestIT {

  @TempDir
  Path home;

  @Test
  void readSetClearWatchAndCache() throws Exception {
    try (PresenceHarness h = PresenceHarness.start(home, 700, 0)) {
      String adele = h.users.get(0);
      String alex = h.users.get(1);

      // One user from Graph; a batch of 650 in one request.
      JsonObject one = TestServer.json(h.rest(HttpMethod.GET, "/presence/" + adele, null));
      assertEquals(adele, one.getString("userId"));
      assertEquals("Available", one.getString("availability"));
      HttpResponse<Buffer> batch = h.rest(HttpMethod.POST, "/presence/batch",
          new JsonObject().put("ids", new JsonArray(h.users.subList(0, 650))));
      assertEquals(200, batch.statusCode(), batch.bodyAsString());
      assertEquals(650, batch.bodyAsJsonObject().getJsonArray("value").size());

      // Set as the app (sessionId = the app's client id), then clear.
      HttpResponse<Buffer> set = h.rest(HttpMethod.POST, "/presence/" + adele + "/setPresence", new JsonObject()
          .put("availability", "DoNotDisturb").put("activity", "Presenting").put("expirationDuration", "PT1H"));
      assertEquals(204, set.statusCode(), set.bodyAsString());
      assertEquals("DoNotDisturb", TestServer.json(h.rest(HttpMethod.GET, "/presence/" + adele, null))
          .getString("availability"));
      JsonObject sent = h.emulated.requests("/setPresence").getJsonObject(0);
      assertTrue(sent.encode().contains(h.emulated.emulator.graphConfig().getString("clientId")), sent.encode());
      assertEquals(204, h.rest(HttpMethod.POST, "/presence/" + adele + "/clearPresence", null).statusCode());
      assertEquals("Available", TestServer.json(h.rest(HttpMethod.GET, "/presence/" + adele, null))
          .getString("availability"));
      assertEquals(204, h.rest(HttpMethod.POST, "/presence/" + adele + "/setPreferredPresence", new JsonObject()
          .put("availability", "Away").put("activity", "Away")).statusCode());
      assertEquals(204, h.rest(HttpMethod.POST, "/presence/" + adele + "/clearPreferredPresence", null).statusCode());
      assertEquals(204, h.rest(HttpMethod.POST, "/presence/" + adele + "/setStatusMessage", new JsonObject()
          .put("message", "Back at 3")).statusCode());
      assertEquals("Back at 3", TestServer.json(h.rest(HttpMethod.GET, "/presence/" + adele, null))
          .getString("statusMessage"));

      // Watches added over REST: cached, served from memory with their age, kept across an update. Graph creates the
      // subscription late (a latency fault): a change before it exists is still seen (read again once it does).
      h.emulated.post("/emulator/faults", new JsonObject().put("type", "latency").put("method", "POST")
          .put("path", "/v1.0/subscriptions").put("latencyMs", 1500).put("count", 1));
      HttpResponse<Buffer> watched = h.rest(HttpMethod.POST, "/presence/watches",
          new JsonObject().put("userIds", new JsonArray().add(adele).add(alex)));
      assertEquals(200, watched.statusCode(), watched.bodyAsString());
      assertEquals(List.of(adele, alex), Watches.fromJson(watched.bodyAsJsonObject()).added());
      awaitUntil("both cached", Duration.ofSeconds(15), () -> cached(h, List.of(adele, alex)).notCached().isEmpty());
      Instant firstSeen = cached(h, List.of(alex)).value().get(0).availabilitySince();
      h.report(alex, "Busy", "InACall");
      assertEquals(0, subscriptions(h), "the change came before the subscription");
      awaitUntil("alex busy", Duration.ofSeconds(15), () -> "Busy".equals(cached(h, List.of(alex)).value().get(0)
          .presence().availability()));
      CachedPresence busy = cached(h, List.of(alex)).value().get(0);
      assertTrue(busy.availabilitySince().isAfter(firstSeen), "since when alex is Busy");

      int graphReads = h.graphRequests("/presence") + h.graphRequests("getPresencesByUserId");
      for (int i = 0; i < 50; i++) {
        JsonObject fromMemory = TestServer.json(h.rest(HttpMethod.GET, "/presence/" + alex + "?cached=true", null));
        assertEquals("Busy", fromMemory.getString("availability"));
        assertTrue(fromMemory.getLong("ageMs") >= 0);
        assertEquals(busy.availabilitySince().toString(), fromMemory.getString("availabilitySince"));
      }
      JsonObject cachedBatch = TestServer.json(h.rest(HttpMethod.POST, "/presence/batch?cached=true", new JsonObject()
          .put("ids", new JsonArray().add(adele).add(alex).add(h.users.get(2)))));
      assertEquals(2, cachedBatch.getJsonArray("value").size());
      assertEquals(new JsonArray().add(h.users.get(2)), cachedBatch.getJsonArray("notCached"));
      assertEquals(graphReads, h.graphRequests("/presence") + h.graphRequests("getPresencesByUserId"),
          "cache reads never reach Graph");
      assertEquals(404, h.rest(HttpMethod.GET, "/presence/" + h.users.get(2) + "?cached=true", null).statusCode());

      HttpResponse<Buffer> updated = h.t.admin(HttpMethod.PUT, "/admin/bundles/presence?mode=takeover",
          Buffer.buffer(TestServer.withBundleVersion(PresenceHarness.jar(), "0.1.1")));
      assertEquals(200, updated.statusCode(), updated.bodyAsString());
      Watches after = Watches.fromJson(TestServer.json(h.rest(HttpMethod.GET, "/presence/watches", null)));
      assertEquals(List.of(adele, alex), after.added());
      assertEquals(1, after.subscriptions());
      assertEquals(busy.availabilitySince(), cached(h, List.of(alex)).value().get(0).availabilitySince(),
          "the new version knows since when alex is Busy");
      h.report(alex, "Available", "Available");
      awaitUntil("alex's change after the update", Duration.ofSeconds(15), () -> h.events.stream()
          .anyMatch(e -> e.userId().equals(alex) && e.presence().available()));

      // Unwatch: the subscription follows (the old filter is deleted, not left to renew forever).
      assertEquals(200, h.rest(HttpMethod.DELETE, "/presence/watches/" + adele, null).statusCode());
      awaitUntil("one subscription, on alex only", Duration.ofSeconds(15), () -> {
        try {
          List<JsonObject> subs = h.subscriptions();
          return subs.size() == 1 && !subs.get(0).getString("resource").contains(adele);
        } catch (Exception e) {
          return false;
        }
      });
      awaitUntil("the old subscription deleted in Graph", Duration.ofSeconds(15), () -> {
        try {
          List<JsonObject> inGraph = TestServer.await(h.emulated.control.getAbs(h.emulated.emulator.baseUrl()
              + "/emulator/subscriptions").send()).bodyAsJsonObject().getJsonArray("value").stream()
              .map(JsonObject.class::cast).filter(x -> "active".equals(x.getString("state"))).toList();
          return inGraph.size() == 1 && !inGraph.get(0).getString("resource").contains(adele);
        } catch (Exception e) {
          return false;
        }
      });
    }
  }

  /** Bad input gets Graph's errors (or the platform's, for a malformed body); nothing else is affected. */
  @Test
  void badInputGetsGraphsErrors() throws Exception {
    try (PresenceHarness h = PresenceHarness.start(home, 651, 0)) {
      String adele = h.users.get(0);
      // 651 ids: the bundle asks Graph in requests of 650 (Graph's own 400 for 651 is PresenceTest's, in the emulator).
      int graphBatches = h.graphRequests("getPresencesByUserId");
      HttpResponse<Buffer> many = h.rest(HttpMethod.POST, "/presence/batch",
          new JsonObject().put("ids", new JsonArray(h.users)));
      assertEquals(200, many.statusCode(), many.bodyAsString());
      List<String> answered = many.bodyAsJsonObject().getJsonArray("value").stream()
          .map(p -> ((JsonObject) p).getString("userId")).toList();
      assertEquals(h.users, answered, "all 651, in the order asked");
      assertEquals(graphBatches + 2, h.graphRequests("getPresencesByUserId"), "650 + 1");
      assertError(h.rest(HttpMethod.GET, "/presence/0000dead-0000-4000-8000-000000000000", null), 404,
          "ResourceNotFound", "User not found");
      assertError(h.rest(HttpMethod.POST, "/presence/" + adele + "/setPresence", new JsonObject()
          .put("availability", "Available").put("activity", "InACall")), 400, "invalidRequest",
          "'Available/InACall' is not supported");
      assertError(h.rest(HttpMethod.POST, "/presence/" + adele + "/setPresence", new JsonObject()
          .put("availability", "Busy").put("activity", "InACall").put("expirationDuration", "PT1M")), 400,
          "invalidRequest", "out of range");
      assertError(h.rest(HttpMethod.POST, "/presence/" + adele + "/clearPresence", null), 404, "itemNotFound",
          "does not exist");
      assertError(h.rest(HttpMethod.POST, "/presence/watches", new JsonObject().put("userIds", "nope")), 400,
          "badRequest", "'userIds'");
      assertError(h.rest(HttpMethod.POST, "/presence/" + adele + "/setPresence", new JsonObject()), 400,
          "badRequest", "'availability' is required");
      // Nothing else was affected.
      assertEquals("Available", TestServer.json(h.rest(HttpMethod.GET, "/presence/" + adele, null))
          .getString("availability"));
    }
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String code, String message) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertEquals(code, error.getString("code"), response.bodyAsString());
    assertTrue(error.getString("message").contains(message), response.bodyAsString());
  }

  private static int subscriptions(PresenceHarness h) {
    try {
      return h.subscriptions().size();
    } catch (Exception e) {
      return -1;
    }
  }

  private static CachedPresences cached(PresenceHarness h, List<String> ids) {
    try {
      return await(h.client().cached(new ArrayList<>(ids)));
    } catch (Exception e) {
      return new CachedPresences(List.of(), ids);
    }
  }
}
