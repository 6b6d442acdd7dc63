package dev.switchboard.calling;

import static dev.switchboard.calling.CallingHarness.ADELE;
import static dev.switchboard.calling.CallingHarness.ALEX;
import static dev.switchboard.calling.CallingHarness.MEGAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.emulator.EmulatorOptions;
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

/** Calls the bot places: peer-to-peer, PSTN, group, meetings; transfers; participants; keepAlive; notification faults. */
class OutgoingCallIT {

  @TempDir
  Path home;

  private static JsonObject user(String id) {
    return new JsonObject().put("user", id);
  }

  private static String create(CallingHarness h, JsonObject body) throws Exception {
    HttpResponse<Buffer> created = h.rest(HttpMethod.POST, "/calls", body);
    assertEquals(201, created.statusCode(), created.bodyAsString());
    return created.bodyAsJsonObject().getString("id");
  }

  private static JsonObject lastCreateRequest(CallingHarness h) throws Exception {
    JsonArray posts = h.requests("/v1.0/communications/calls");
    for (int i = posts.size() - 1; i >= 0; i--) {
      JsonObject r = posts.getJsonObject(i);
      if (r.getString("method").equals("POST") && r.getString("path").equals("/v1.0/communications/calls")) {
        return r.getJsonObject("body");
      }
    }
    throw new AssertionError("no create request");
  }

  @Test
  void peerToPeerPstnGroupAndMeetingCallsWithParticipantsAndTransfers() throws Exception {
    try (CallingHarness h = CallingHarness.start(home, 10, Map.of())) {
      String p2p = create(h, new JsonObject().put("targets", new JsonArray().add(user(ADELE))));
      JsonObject established = h.awaitEvent("established", p2p);
      assertEquals("peerToPeer", established.getJsonObject("call").getString("kind"));
      assertEquals("outgoing", established.getJsonObject("call").getString("direction"));

      String pstn = create(h, new JsonObject().put("targets", new JsonArray().add(new JsonObject().put("phone", "+14255550102"))));
      assertEquals(EmulatorOptions.DEFAULT_APPLICATION_INSTANCE_ID, lastCreateRequest(h).getJsonObject("source")
          .getJsonObject("identity").getJsonObject("applicationInstance").getString("id"));
      assertEquals("pstn", h.awaitEvent("established", pstn).getJsonObject("call").getString("kind"));

      // Group call: roster changes through invite, mute and remove; the bot's own mute.
      String group = create(h, new JsonObject().put("targets", new JsonArray().add(user(ADELE)).add(user(ALEX)))
          .put("subject", "standup"));
      h.awaitEvent("established", group);
      TestServer.awaitUntil("three in the group", Duration.ofSeconds(10), () -> h.events("participantsChanged", group)
          .stream().anyMatch(e -> e.getJsonArray("participants").size() == 3));
      JsonObject muted = h.command("mute", group, new JsonObject().put("clientContext", "self"));
      assertEquals("muteParticipantOperation", muted.getString("type"));
      assertEquals("completed", muted.getString("status"));
      assertEquals("unmuteParticipantOperation", h.command("unmute", group, new JsonObject()).getString("type"));
      HttpResponse<Buffer> invite = h.rest(HttpMethod.POST, "/calls/" + group + "/participants/invite",
          new JsonObject().put("participants", new JsonArray().add(user(MEGAN))).put("clientContext", "add-megan"));
      assertEquals(200, invite.statusCode(), invite.bodyAsString());
      String inviteOp = invite.bodyAsJsonObject().getString("id");
      h.awaitEvent("operationCompleted", group, e -> inviteOp.equals(e.getJsonObject("operation").getString("id")));
      JsonObject added = h.awaitEvent("participantsChanged", group, e -> e.getJsonArray("participants").size() == 4);
      String megan = added.getJsonArray("added").getString(0);
      HttpResponse<Buffer> roster = h.rest(HttpMethod.GET, "/calls/" + group + "/participants", null);
      assertEquals(4, roster.bodyAsJsonObject().getJsonArray("value").size());
      assertEquals(200, h.rest(HttpMethod.POST, "/calls/" + group + "/participants/" + megan + "/mute", null).statusCode());
      h.awaitEvent("participantsChanged", group, e -> e.getJsonArray("changed").contains(megan));
      assertEquals(204, h.rest(HttpMethod.DELETE, "/calls/" + group + "/participants/" + megan, null).statusCode());
      h.awaitEvent("participantsChanged", group, e -> e.getJsonArray("removed").contains(megan));
      assertEquals(404, h.rest(HttpMethod.DELETE, "/calls/" + group + "/participants/nobody", null).statusCode());

      // A Teams meeting (Megan's, created in the emulator) by its join URL, and by meeting id and passcode.
      JsonObject online = h.emulated.createMeeting(MEGAN, new JsonObject().put("subject", "review"));
      String thread = online.getJsonObject("chatInfo").getString("threadId");
      String meeting = create(h, new JsonObject().put("joinUrl", online.getString("joinWebUrl")));
      JsonObject join = lastCreateRequest(h);
      assertEquals(thread, join.getJsonObject("chatInfo").getString("threadId"));
      assertEquals("0", join.getJsonObject("chatInfo").getString("messageId"));
      assertEquals(MEGAN, join.getJsonObject("meetingInfo").getJsonObject("organizer").getJsonObject("user").getString("id"));
      assertEquals(h.emulated.emulator.graphConfig().getString("tenantId"), join.getString("tenantId"));
      assertEquals("meeting", h.awaitEvent("established", meeting).getJsonObject("call").getString("kind"));
      JsonObject ids = online.getJsonObject("joinMeetingIdSettings");
      String byId = create(h, new JsonObject().put("meetingId", ids.getString("joinMeetingId"))
          .put("passcode", ids.getString("passcode")));
      assertEquals("#microsoft.graph.joinMeetingIdMeetingInfo", lastCreateRequest(h).getJsonObject("meetingInfo")
          .getString("@odata.type"));
      h.awaitEvent("established", byId);
      // A join the meeting refuses (no such meeting, a wrong passcode): as Graph does, the call is created, then
      // terminated with Graph's result, which the calling bundle reports like any call's end.
      String unknown = create(h, new JsonObject().put("meetingId", "999999").put("passcode", "nope12"));
      JsonObject refused = h.awaitEvent("terminated", unknown);
      assertEquals(400, refused.getJsonObject("resultInfo").getInteger("code"), refused.encode());
      assertEquals(2203, refused.getJsonObject("resultInfo").getInteger("subcode"), refused.encode());
      assertTrue(refused.getString("reason").contains("999999"), refused.encode());
      String wrongPasscode = create(h, new JsonObject().put("meetingId", ids.getString("joinMeetingId"))
          .put("passcode", "wrong1"));
      JsonObject forbidden = h.awaitEvent("terminated", wrongPasscode);
      assertEquals(403, forbidden.getJsonObject("resultInfo").getInteger("code"), forbidden.encode());
      assertTrue(forbidden.getString("reason").contains("passcode"), forbidden.encode());
      HttpResponse<Buffer> badUrl = h.rest(HttpMethod.POST, "/calls", new JsonObject()
          .put("joinUrl", "https://teams.microsoft.com/l/meetup-join/19%3ameeting_X@thread.v2/0"));
      assertEquals(422, badUrl.statusCode());
      assertEquals("invalidJoinUrl", badUrl.bodyAsJsonObject().getJsonObject("error").getString("code"));

      // Blind transfer of the peer-to-peer call.
      h.command("transfer", p2p, new JsonObject().put("target", user(MEGAN)));
      assertEquals("accepted", h.awaitEvent("transferAccepted", p2p).getJsonObject("transfer").getString("status"));
      JsonObject transferred = h.awaitEvent("terminated", p2p);
      assertEquals(7015, transferred.getJsonObject("resultInfo").getInteger("subcode"));
      assertEquals("the transfer completed", transferred.getString("reason"));

      // Consultative transfer: the bot holds a call with Adele and one with Alex, and joins them.
      String first = create(h, new JsonObject().put("targets", new JsonArray().add(user(ADELE))));
      String consult = create(h, new JsonObject().put("targets", new JsonArray().add(user(ALEX))));
      h.awaitEvent("established", first);
      h.awaitEvent("established", consult);
      h.command("transfer", first, new JsonObject().put("target", user(ALEX)).put("replacesCallId", consult));
      assertEquals(consult, h.requests("/" + first + "/transfer").getJsonObject(0).getJsonObject("body")
          .getJsonObject("transferTarget").getString("replacesCallId"));
      assertTrue(h.awaitEvent("transferAccepted", first).getJsonObject("transfer").getBoolean("consultative"));
      assertEquals(7015, h.awaitEvent("terminated", first).getJsonObject("resultInfo").getInteger("subcode"));
      h.awaitEvent("terminated", consult);

      // A transfer the target declines: the call is established again.
      String decliner = h.emulated.post("/emulator/users", new JsonObject().put("displayName", "Declining Dan")
          .put("behavior", new JsonObject().put("answer", "decline"))).getString("id");
      h.command("transfer", pstn, new JsonObject().put("target", user(decliner)));
      JsonObject failed = h.awaitEvent("transferFailed", pstn);
      assertEquals(500, failed.getJsonObject("resultInfo").getInteger("code"));
      assertEquals("established", failed.getJsonObject("call").getString("state"));

      // Hang-ups.
      HttpResponse<Buffer> hungUp = h.rest(HttpMethod.DELETE, "/calls/" + group, null);
      assertEquals(200, hungUp.statusCode(), hungUp.bodyAsString());
      assertEquals("ended by the bot", h.awaitEvent("terminated", group).getString("reason"));
      HttpResponse<Buffer> afterEnd = h.rest(HttpMethod.POST, "/calls/" + group + "/mute", null);
      assertEquals(409, afterEnd.statusCode());
      assertTrue(afterEnd.bodyAsJsonObject().getJsonObject("error").getString("message").contains("it is terminated"));
      JsonArray live = h.rest(HttpMethod.GET, "/calls?state=established", null).bodyAsJsonObject().getJsonArray("value");
      assertEquals(List.of(pstn, meeting, byId).stream().sorted().toList(), live.stream()
          .map(c -> ((JsonObject) c).getString("id")).sorted().toList());
    }
  }

  @Test
  void keepAliveKeepsALongCallAliveAndA404EndsIt() throws Exception {
    // At clock speed 600 Graph's 45-minute keepAlive limit is 4.5 real seconds.
    try (CallingHarness h = CallingHarness.start(home, 600, Map.of("SWITCHBOARD_PLUGINS_CALLING_KEEP_ALIVE_INTERVAL", "1s"))) {
      String id = create(h, new JsonObject().put("targets", new JsonArray().add(user(ADELE))));
      h.awaitEvent("established", id);
      Thread.sleep(9000); // two of Graph's keepAlive windows
      assertEquals("established", h.emulatorCall(id).getString("state"));
      assertTrue(h.requests("/" + id + "/keepAlive").size() >= 6, "keepAlive about every second");
      assertTrue(h.events("terminated", id).isEmpty());
      assertTrue(h.command("get", id, new JsonObject()).getString("lastKeepAliveAt") != null);

      h.emulated.post("/emulator/reset", new JsonObject()); // Graph forgets the call without a word
      JsonObject ended = h.awaitEvent("terminated", id);
      assertEquals(404, ended.getJsonObject("resultInfo").getInteger("code"));
      assertTrue(ended.getString("reason").contains("keepAlive answered 404"), ended.getString("reason"));
      assertEquals("terminated", h.command("get", id, new JsonObject()).getString("state"));
    }
  }

  @Test
  void duplicateAndOutOfOrderNotificationsChangeTheModelOnce() throws Exception {
    try (CallingHarness h = CallingHarness.start(home, 10, Map.of())) {
      // establishing is held back until established has been delivered.
      h.emulated.post("/emulator/faults", new JsonObject().put("type", "reorder").put("path", "/communications/calls/*"));
      String id = create(h, new JsonObject().put("targets", new JsonArray().add(user(ADELE))));
      h.awaitEvent("established", id);
      TestServer.awaitUntil("both state notifications delivered", Duration.ofSeconds(10), () -> {
        try {
          JsonArray sent = TestServer.await(h.emulated.control.getAbs(h.emulated.emulator.baseUrl()
              + "/emulator/notifications").send()).bodyAsJsonObject().getJsonArray("value");
          return sent.stream().filter(n -> id.equals(((JsonObject) n).getString("resourceUrl", "").replace(
              "/communications/calls/", ""))).count() >= 2;
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      Thread.sleep(300);
      assertEquals("established", h.command("get", id, new JsonObject()).getString("state"));
      List<String> states = h.events("stateChanged", id).stream().map(e -> e.getString("state")).toList();
      assertEquals(List.of("established"), states, "the late establishing is ignored");

      // Every notification of the call twice: tones and roster changes reach the bot once each.
      h.emulated.post("/emulator/faults", new JsonObject().put("type", "duplicate").put("path", "/communications/calls/" + id + "**")
          .put("count", 100));
      h.command("subscribeToTone", id, new JsonObject());
      h.emulated.post("/emulator/calls/" + id + "/tones", new JsonObject().put("tones", "123"));
      TestServer.awaitUntil("three tones", Duration.ofSeconds(10), () -> h.events("toneReceived", id).size() >= 3);
      h.command("inviteParticipants", id, new JsonObject().put("participants", new JsonArray().add(user(ALEX))));
      h.awaitEvent("participantsChanged", id, e -> e.getJsonArray("participants").size() == 3);
      h.command("hangUp", id, new JsonObject());
      h.awaitEvent("terminated", id);
      Thread.sleep(500);
      assertEquals(List.of(1L, 2L, 3L), h.events("toneReceived", id).stream().map(e -> e.getLong("sequenceId")).toList());
      assertEquals(1, h.events("participantsChanged", id).stream()
          .filter(e -> e.getJsonArray("participants").size() == 3).count());
      assertEquals(1, h.events("operationCompleted", id).size());
      assertEquals(1, h.events("terminated", id).size());
    }
  }
}
