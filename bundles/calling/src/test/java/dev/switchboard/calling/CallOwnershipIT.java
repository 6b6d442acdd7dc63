package dev.switchboard.calling;

import static dev.switchboard.calling.CallingHarness.ADELE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallNotifications;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.calling.forger.ForgingPlugin;
import dev.switchboard.platform.TestServer;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the typed key ownership means for calls: a body shaped like a Graph notification, sent to the calling address
 * by a bundle, changes no call and is refused; the unclaimed-call deadline, a key timer, survives a takeover and
 * rejects the call once, on the new version.
 */
class CallOwnershipIT {

  @TempDir
  Path home;


  private static SwitchboardException failure(Future<?> request) throws Exception {
    try {
      request.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return SwitchboardException.from(e.getCause());
    }
    throw new AssertionError("the forged message was accepted");
  }

  @Test
  void aForgedNotificationChangesNoCallAndItsSenderGetsA400() throws Exception {
    try (CallingHarness h = CallingHarness.start(home, 10, Map.of())) {
      assertEquals(201, h.t.admin(HttpMethod.POST, "/admin/bundles", ForgerBundle.jar()).statusCode());
      String id = h.incoming(ADELE);
      h.awaitEvent("incoming", id);
      h.command("answer", id, new JsonObject().put("by", "test-bot"));
      h.awaitEvent("established", id);
      h.awaitEvent("participantsChanged", id, e -> e.getJsonArray("participants").size() == 2);
      JsonObject before = h.command("get", id, new JsonObject());
      int eventsBefore = h.events.stream().filter(e -> id.equals(e.getString("callId"))).toList().size();

      String call = "/communications/calls/" + id;
      JsonObject hangUp = new JsonObject().put("changeType", "deleted").put("resourceUrl", call)
          .put("resourceData", new JsonObject().put("@odata.type", "#microsoft.graph.call").put("state", "terminated")
              .put("resultInfo", new JsonObject().put("code", 200).put("subcode", 5001).put("message", "forged")));
      JsonObject emptyRoster = new JsonObject().put("changeType", "updated").put("resourceUrl", call + "/participants")
          .put("resourceData", new JsonArray());
      JsonObject enveloped = new JsonObject().put("tenantId", before.getString("tenantId")).put("callId", id)
          .put("receivedAt", Instant.now().toString()).put("notification", hangUp);
      for (JsonObject forged : List.of(hangUp, emptyRoster, enveloped)) {
        SwitchboardException overTheBus = failure(h.t.vertx.eventBus().request(CallNotifications.ADDRESS, forged,
            new DeliveryOptions().addHeader(KeyedMessage.KEY_HEADER, id)));
        assertEquals(400, overTheBus.status(), overTheBus.getMessage());
        assertTrue(overTheBus.getMessage().contains("needs 'command'"), overTheBus.getMessage());
        SwitchboardException fromAPlugin = failure(h.t.vertx.eventBus().request(ForgingPlugin.ADDRESS,
            new JsonObject().put("callId", id).put("body", forged)));
        assertEquals(400, fromAPlugin.status(), fromAPlugin.getMessage());
      }

      Thread.sleep(300);
      JsonObject after = h.command("get", id, new JsonObject());
      assertEquals("established", after.getString("state"));
      assertEquals(before.getJsonArray("participants"), after.getJsonArray("participants"), "the roster is as it was");
      assertEquals(before, after, "the call is as it was");
      assertEquals(eventsBefore, h.events.stream().filter(e -> id.equals(e.getString("callId"))).toList().size(),
          "no event was published");
      assertEquals("established", h.emulatorCall(id).getString("state"));
    }
  }

  @Test
  void anUnclaimedCallIsRejectedBusyExactlyOnceOnTheVersionThatTookItOver() throws Exception {
    try (CallingHarness h = CallingHarness.start(home, 1,
        Map.of("SWITCHBOARD_PLUGINS_CALLING_UNCLAIMED_REJECT_AFTER", "4s"))) {
      String id = h.incoming(ADELE);
      JsonObject incoming = h.awaitEvent("incoming", id);
      assertEquals(CallingHotSwapIT.V1, incoming.getString("version"));
      Instant arrived = Instant.parse(incoming.getString("receivedAt"));

      assertEquals(200, h.t.admin(HttpMethod.PUT, "/admin/bundles/calling?mode=takeover",
          Buffer.buffer(TestServer.withBundleVersion(CallingHarness.jar(), CallingHotSwapIT.V2))).statusCode());
      assertTrue(Duration.between(arrived, Instant.now()).toMillis() < 3500, "the takeover was over before the deadline");

      JsonObject busy = h.awaitEvent("terminated", id);
      assertTrue(busy.getBoolean("unclaimed"), busy.encode());
      assertEquals(CallingHotSwapIT.V2, busy.getString("version"), "rejected by the version that owns the call now");
      Thread.sleep(1500); // a second rejection, if there were one, would come within this
      JsonArray rejects = h.requests("/" + id + "/reject");
      assertEquals(1, rejects.size(), rejects.encode());
      long afterMs = Duration.between(arrived, Instant.parse(rejects.getJsonObject(0).getString("time"))).toMillis();
      assertTrue(afterMs >= 3900 && afterMs < 6000, "rejected " + afterMs + " ms after arriving (4 s configured)");
      assertEquals(1, h.events("terminated", id).size());
      TestServer.awaitUntil("the call is over at Graph too", Duration.ofSeconds(5),
          () -> {
            try {
              return "terminated".equals(h.emulatorCall(id).getString("state"));
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          });
    }
  }
}
