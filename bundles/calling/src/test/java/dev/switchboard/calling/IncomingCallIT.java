package dev.switchboard.calling;

import static dev.switchboard.calling.CallingHarness.ADELE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incoming calls: claiming by answer, events, REST validation (reject, redirect and unclaimed rejection are in
 * {@link IncomingCallClaimsIT}, written with the test kit).
 */
class IncomingCallIT {

  @TempDir
  Path home;

  @Test
  void anAnsweredCallPublishesEveryEventAndRestRefusesWhatItsStateForbids() throws Exception {
    try (CallingHarness h = CallingHarness.start(home, 10, Map.of())) {
      String id = h.incoming(ADELE);
      JsonObject incoming = h.awaitEvent("incoming", id);
      assertEquals("incoming", incoming.getJsonObject("call").getString("direction"));
      assertEquals(ADELE, incoming.getJsonObject("call").getJsonObject("source").getJsonObject("identity")
          .getJsonObject("user").getString("id"));
      assertNotNull(incoming.getString("claimDeadline"));
      assertNotNull(incoming.getString("receivedAt"));

      JsonObject answered = h.command("answer", id, new JsonObject().put("by", "test-bot")
          .put("subscribeToTones", true));
      assertEquals("test-bot", answered.getString("claimedBy"));
      h.awaitEvent("established", id);
      JsonObject roster = h.awaitEvent("participantsChanged", id);
      assertEquals(2, roster.getJsonArray("participants").size(), roster.encode());
      assertEquals(2, roster.getJsonArray("added").size());
      assertEquals(h.callbackUri, h.requests("/" + id + "/answer").getJsonObject(0).getJsonObject("body")
          .getString("callbackUri"));

      // The admin API lists the live call with its state and the plugin version that owns it.
      io.vertx.core.json.JsonArray live = h.t.admin(HttpMethod.GET, "/admin/calls", null).bodyAsJsonArray();
      JsonObject listed = live.stream().map(JsonObject.class::cast).filter(c -> id.equals(c.getString("id")))
          .findFirst().orElseThrow(() -> new AssertionError("call " + id + " in /admin/calls: " + live.encode()));
      assertEquals("established", listed.getString("state"));
      assertTrue(listed.getString("owner").startsWith("calling@"), listed.encode());
      assertEquals(dev.switchboard.platform.LocalNode.id(), listed.getString("node"));

      HttpResponse<Buffer> again = h.rest(HttpMethod.POST, "/calls/" + id + "/answer", new JsonObject());
      assertEquals(409, again.statusCode(), again.bodyAsString());
      JsonObject error = again.bodyAsJsonObject().getJsonObject("error");
      assertEquals("illegalState", error.getString("code"));
      assertTrue(error.getString("message").contains("it is established"), error.getString("message"));

      TestServer.awaitUntil("subscribed to tones", Duration.ofSeconds(10), () -> {
        try {
          return h.rest(HttpMethod.GET, "/calls/" + id, null).bodyAsJsonObject().getBoolean("toneSubscribed");
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      h.emulated.post("/emulator/calls/" + id + "/tones", new JsonObject().put("tones", "12#"));
      TestServer.awaitUntil("three tones", Duration.ofSeconds(10), () -> h.events("toneReceived", id).size() == 3);
      assertEquals(List.of("tone1", "tone2", "pound"), h.events("toneReceived", id).stream()
          .map(e -> e.getString("tone")).toList());
      assertEquals(3L, h.command("get", id, new JsonObject()).getLong("lastToneSequenceId"));

      JsonObject op = h.command("sendDtmfTones", id, new JsonObject()
          .put("tones", new JsonArray().add("tone5").add("star")).put("clientContext", "dtmf-1"));
      assertEquals("sendDtmfTonesOperation", op.getString("type"));
      JsonObject completed = h.awaitEvent("operationCompleted", id,
          e -> op.getString("id").equals(e.getJsonObject("operation").getString("id")));
      assertEquals("completed", completed.getJsonObject("operation").getString("status"));
      assertEquals("dtmf-1", completed.getJsonObject("operation").getString("clientContext"));
      assertEquals(0, h.command("get", id, new JsonObject()).getJsonArray("pendingOperations").size());

      // Graph's own refusal passes through with its code and request-id: the bot cannot remove itself.
      String me = h.command("get", id, new JsonObject()).getString("myParticipantId");
      HttpResponse<Buffer> graphRefused = h.rest(HttpMethod.DELETE, "/calls/" + id + "/participants/" + me, null);
      assertEquals(400, graphRefused.statusCode(), graphRefused.bodyAsString());
      JsonObject graphError = graphRefused.bodyAsJsonObject().getJsonObject("error");
      assertEquals("invalidRequest", graphError.getString("code"));
      assertTrue(graphError.getString("message").contains("Graph request-id"), graphError.encode());

      h.emulated.post("/emulator/calls/" + id + "/hangup", new JsonObject());
      JsonObject ended = h.awaitEvent("terminated", id);
      assertEquals(200, ended.getJsonObject("resultInfo").getInteger("code"));
      assertEquals(4521, ended.getJsonObject("resultInfo").getInteger("subcode"));
      assertEquals("the other participant ended the peer-to-peer call", ended.getString("reason"));
      assertEquals("terminated", h.rest(HttpMethod.GET, "/calls/" + id, null).bodyAsJsonObject().getString("state"));
      Thread.sleep(200);
      assertEquals(1, h.events("established", id).size());
      assertEquals(1, h.events("terminated", id).size());

      HttpResponse<Buffer> unknown = h.rest(HttpMethod.GET, "/calls/no-such-call", null);
      assertEquals(404, unknown.statusCode());
      assertEquals("callNotFound", unknown.bodyAsJsonObject().getJsonObject("error").getString("code"));
      assertEquals(404, h.rest(HttpMethod.POST, "/calls/no-such-call/answer", new JsonObject()).statusCode());
      assertEquals(400, h.rest(HttpMethod.POST, "/calls", "{not json").statusCode());
      assertEquals(400, h.rest(HttpMethod.POST, "/calls", new JsonObject().put("targets", "Adele")).statusCode());
      assertEquals(400, h.rest(HttpMethod.POST, "/calls/" + id + "/reject", "[1,2]").statusCode());
      HttpResponse<Buffer> badTarget = h.rest(HttpMethod.POST, "/calls", new JsonObject()
          .put("targets", new JsonArray().add(new JsonObject().put("phone", "12345"))));
      assertEquals(422, badTarget.statusCode(), badTarget.bodyAsString());
      assertEquals("invalidTarget", badTarget.bodyAsJsonObject().getJsonObject("error").getString("code"));
      SwitchboardException unknownCommand = h.failure(new JsonObject().put("command", "dance"));
      assertEquals(400, unknownCommand.status());
    }
  }
}
