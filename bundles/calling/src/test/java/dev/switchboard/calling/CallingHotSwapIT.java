package dev.switchboard.calling;

import static dev.switchboard.calling.CallingHarness.ADELE;
import static dev.switchboard.calling.CallingHarness.ALEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.platform.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 50 live calls while the calling bundle is updated with takeover, and with drain. */
class CallingHotSwapIT {

  private static final int CALLS = 50;
  static final String V1 = "0.1.0.SNAPSHOT";
  static final String V2 = "0.1.1";

  @TempDir
  Path home;


  private static List<String> liveCalls(CallingHarness h, int count) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(h.command(new JsonObject().put("command", "create")
          .put("targets", new JsonArray().add(new JsonObject().put("user", ADELE)))).getString("id"));
    }
    for (String id : ids) {
      h.awaitEvent("established", id);
      h.command("subscribeToTone", id, new JsonObject());
    }
    return ids;
  }

  /** Presses a key on every call, {@code rounds} times, and invites Alex to every fifth call, from another thread. */
  private static CompletableFuture<Void> keepTalking(CallingHarness h, List<String> ids, int rounds) {
    return CompletableFuture.runAsync(() -> {
      try {
        for (int round = 0; round < rounds; round++) {
          for (int i = 0; i < ids.size(); i++) {
            h.emulated.post("/emulator/calls/" + ids.get(i) + "/tones", new JsonObject().put("tones", "" + (round % 10)));
            if (round == 1 && i % 5 == 0) {
              h.command("inviteParticipants", ids.get(i), new JsonObject()
                  .put("participants", new JsonArray().add(new JsonObject().put("user", ALEX))));
            }
          }
          Thread.sleep(100);
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  private static void assertEveryToneOnceInOrder(CallingHarness h, List<String> ids, int rounds) throws Exception {
    for (String id : ids) {
      TestServer.awaitUntil(rounds + " tones on " + id, Duration.ofSeconds(20),
          () -> h.events("toneReceived", id).size() >= rounds);
      List<Long> sequence = h.events("toneReceived", id).stream().map(e -> e.getLong("sequenceId")).toList();
      List<Long> expected = new ArrayList<>();
      for (long s = 1; s <= rounds; s++) {
        expected.add(s);
      }
      assertEquals(expected, sequence, "every tone of " + id + " once, in order");
    }
    for (int i = 0; i < ids.size(); i += 5) {
      String id = ids.get(i);
      h.awaitEvent("participantsChanged", id, e -> e.getJsonArray("participants").size() == 3);
      assertEquals(3, h.command("listParticipants", id, new JsonObject()).getJsonArray("value").size());
    }
  }

  private static List<String> installedVersions(CallingHarness h) throws Exception {
    JsonArray bundles = h.t.admin(HttpMethod.GET, "/admin/bundles", null).bodyAsJsonArray();
    return bundles.stream().map(b -> (JsonObject) b).filter(b -> b.getString("name").equals("dev.switchboard.calling"))
        .map(b -> b.getString("version")).sorted().toList();
  }

  @Test
  void takeoverContinuesFiftyLiveCallsFromTheStateStore() throws Exception {
    try (CallingHarness h = CallingHarness.start(home, 10, Map.of())) {
      List<String> ids = liveCalls(h, CALLS);
      int rounds = 6;
      CompletableFuture<Void> talking = keepTalking(h, ids, rounds);
      TestServer.awaitUntil("some tones arrived", Duration.ofSeconds(20), () -> h.events.stream()
          .filter(e -> e.getString("type").equals("toneReceived")).count() >= CALLS);
      HttpResponse<Buffer> swapped = h.t.admin(HttpMethod.PUT, "/admin/bundles/calling?mode=takeover",
          Buffer.buffer(TestServer.withBundleVersion(CallingHarness.jar(), V2)));
      assertEquals(200, swapped.statusCode(), swapped.bodyAsString());
      talking.get();
      assertEveryToneOnceInOrder(h, ids, rounds);
      assertTrue(h.events.stream().anyMatch(e -> e.getString("type").equals("toneReceived") && e.getString("version").equals(V1)));
      assertTrue(h.events.stream().anyMatch(e -> e.getString("type").equals("toneReceived") && e.getString("version").equals(V2)),
          "tones after the swap are delivered by the new version");
      assertEquals(List.of(V2), installedVersions(h));

      for (String id : ids) {
        JsonObject call = h.command("get", id, new JsonObject());
        assertEquals("established", call.getString("state"), call.encode());
        assertEquals(V2, call.getString("handledBy"));
        assertEquals(rounds, call.getLong("lastToneSequenceId"));
      }
      for (String id : ids) {
        h.command("hangUp", id, new JsonObject());
      }
      for (String id : ids) {
        JsonObject ended = h.awaitEvent("terminated", id);
        assertEquals(V2, ended.getString("version"));
        assertEquals("ended by the bot", ended.getString("reason"));
        assertEquals(1, h.events("established", id).size());
      }
    }
  }

  @Test
  void drainLetsOldCallsEndOnTheOldVersionAndSendsNewCallsToTheNewOne() throws Exception {
    try (CallingHarness h = CallingHarness.start(home, 10, Map.of("SWITCHBOARD_ROUTING_DRAIN_TIMEOUT", "5m"))) {
      List<String> ids = liveCalls(h, CALLS);
      int rounds = 3;
      CompletableFuture<Void> talking = keepTalking(h, ids, rounds);
      HttpResponse<Buffer> swapped = h.t.admin(HttpMethod.PUT, "/admin/bundles/calling?mode=drain",
          Buffer.buffer(TestServer.withBundleVersion(CallingHarness.jar(), V2)));
      assertEquals(200, swapped.statusCode(), swapped.bodyAsString());
      talking.get();

      String fresh = h.incoming(ADELE);
      assertEquals(V2, h.awaitEvent("incoming", fresh).getString("version"), "a new call lands on the new version");
      h.command("answer", fresh, new JsonObject().put("by", "test"));
      assertEquals(V2, h.awaitEvent("established", fresh).getString("version"));

      assertEveryToneOnceInOrder(h, ids, rounds);
      assertTrue(h.events.stream().filter(e -> ids.contains(e.getString("callId")))
          .allMatch(e -> e.getString("version").equals(V1)), "old calls stay on the old version");
      assertEquals(List.of(V1, V2), installedVersions(h));

      for (int i = 0; i < ids.size(); i++) {
        if (i % 2 == 0) {
          h.command("hangUp", ids.get(i), new JsonObject());
        } else {
          h.emulated.post("/emulator/calls/" + ids.get(i) + "/hangup", new JsonObject());
        }
      }
      for (String id : ids) {
        assertEquals(V1, h.awaitEvent("terminated", id).getString("version"));
      }
      TestServer.awaitUntil("the old version is removed once its last call ended", Duration.ofSeconds(15),
          () -> {
            try {
              return installedVersions(h).equals(List.of(V2));
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          });
      assertEquals("established", h.command("get", fresh, new JsonObject()).getString("state"));
      h.command("hangUp", fresh, new JsonObject());
      assertEquals(V2, h.awaitEvent("terminated", fresh).getString("version"));
    }
  }
}
