package dev.switchboard.meetings;

import static dev.switchboard.meetings.MeetingsHarness.ALEX;
import static dev.switchboard.meetings.MeetingsHarness.MEGAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.platform.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bot joins meetings: now, and at the start on an accelerated clock (the emulator's and the plugin's at 20x);
 * roster updates reach the bot's call; the bot leaves when the last attendee left; a scheduled join is moved with the
 * meeting, cancelled with it, and fires exactly once across a takeover update of the meetings bundle.
 */
class MeetingJoinIT {

  private static final double SPEED = 20;

  @TempDir
  Path home;

  private static boolean has(JsonArray participants, String userId) {
    return participants.stream().map(JsonObject.class::cast).map(p -> p.getJsonObject("info"))
        .map(i -> i == null ? null : i.getJsonObject("identity")).map(i -> i == null ? null : i.getJsonObject("user"))
        .anyMatch(u -> u != null && userId.equals(u.getString("id")));
  }

  private static JsonObject schedule(MeetingsHarness h, String id, String lead) throws Exception {
    HttpResponse<Buffer> scheduled = h.rest(HttpMethod.POST, "/meetings/" + id + "/join", new JsonObject()
        .put("when", "start").put("lead", lead));
    assertEquals(200, scheduled.statusCode(), scheduled.bodyAsString());
    return scheduled.bodyAsJsonObject();
  }

  @Test
  void theBotJoinsAtTheStartSeesTheRosterAndLeavesWithTheLastAttendee() throws Exception {
    try (MeetingsHarness h = MeetingsHarness.start(home, SPEED, Map.of())) {
      // the meeting starts in 60 s of Graph's time: 3 s of real time at 20x
      Instant start = h.graphNow().plusSeconds(60);
      JsonObject m = h.createMeeting(new JsonObject().put("subject", "Standup").put("startDateTime", start.toString())
          .put("endDateTime", start.plusSeconds(1800).toString()));
      String id = m.getString("id");
      long scheduledAt = System.nanoTime();
      JsonObject scheduled = schedule(h, id, "PT0S");
      assertEquals("scheduled", scheduled.getJsonObject("botJoin").getString("state"));
      assertEquals(start.toString(), scheduled.getJsonObject("botJoin").getString("dueAt"));
      h.move(id, ALEX, true);
      h.move(id, MEGAN, true);
      assertEquals(0, h.joins(m.getString("threadId")).size(), "nobody joins before the start");

      JsonObject joined = h.awaitEvent("botJoined", id, Duration.ofSeconds(20), e -> true);
      long elapsedMs = (System.nanoTime() - scheduledAt) / 1_000_000;
      assertTrue(elapsedMs >= 2000, "joined after " + elapsedMs + " ms; the start was ~3000 ms away");
      assertTrue(!h.graphNow().isBefore(start), "joined at or after the start on Graph's clock");
      String callId = joined.getString("callId");
      assertEquals(1, h.joins(m.getString("threadId")).size());

      // roster updates reach a bot: both attendees, then one leaves
      h.awaitEvent("participantsChanged", callId, Duration.ofSeconds(10),
          e -> has(e.getJsonArray("participants"), ALEX) && has(e.getJsonArray("participants"), MEGAN));
      h.move(id, ALEX, false);
      h.awaitEvent("participantsChanged", callId, Duration.ofSeconds(10),
          e -> !has(e.getJsonArray("participants"), ALEX) && has(e.getJsonArray("participants"), MEGAN));
      assertEquals(0, h.events("terminated", callId, e -> true).size(), "one attendee is still there");
      assertEquals("joined", h.rest(HttpMethod.GET, "/meetings/" + id, null).bodyAsJsonObject()
          .getJsonObject("botJoin").getString("state"));

      // the last attendee leaves: the bot hangs up
      h.move(id, MEGAN, false);
      JsonObject left = h.awaitEvent("botLeft", id, Duration.ofSeconds(10), e -> true);
      assertEquals(callId, left.getString("callId"));
      assertEquals(BotCallWatcher.LAST_ATTENDEE_LEFT, left.getString("reason"));
      h.awaitEvent("terminated", callId, Duration.ofSeconds(10), e -> true);
      JsonObject after = h.rest(HttpMethod.GET, "/meetings/" + id, null).bodyAsJsonObject();
      assertEquals("left", after.getJsonObject("botJoin").getString("state"));
    }
  }

  @Test
  void joinNowAndItsFailures() throws Exception {
    try (MeetingsHarness h = MeetingsHarness.start(home, SPEED, Map.of("SWITCHBOARD_PLUGINS_MEETINGS_LEAVE_WHEN_ALONE",
        "false"))) {
      JsonObject m = h.createMeeting(new JsonObject().put("subject", "now"));
      String id = m.getString("id");
      h.move(id, ALEX, true);
      HttpResponse<Buffer> joining = h.rest(HttpMethod.POST, "/meetings/" + id + "/join", null);
      assertEquals(200, joining.statusCode(), joining.bodyAsString());
      String callId = joining.bodyAsJsonObject().getJsonObject("botJoin").getString("callId");
      assertEquals(callId, h.awaitEvent("botJoined", id, Duration.ofSeconds(10), e -> true).getString("callId"));
      HttpResponse<Buffer> twice = h.rest(HttpMethod.POST, "/meetings/" + id + "/join", null);
      assertEquals(409, twice.statusCode(), twice.bodyAsString());
      // leaveWhenAlone false: the bot stays when the attendee leaves
      h.move(id, ALEX, false);
      h.awaitEvent("participantsChanged", callId, Duration.ofSeconds(10), e -> !has(e.getJsonArray("participants"),
          ALEX));
      Thread.sleep(300);
      assertEquals(0, h.events("terminated", callId, e -> true).size(), "the bot stays");

      // a meeting deleted in Graph behind the bundle's back: Graph creates the call, then ends it (400/2203);
      // the calling bundle reports a terminated call with Graph's result, the meetings bundle a failed join
      JsonObject gone = h.createMeeting(new JsonObject().put("subject", "gone"));
      assertEquals(204, h.emulated.graph(HttpMethod.DELETE, "/v1.0/users/" + MeetingsHarness.ADELE
          + "/onlineMeetings/" + gone.getString("id"), null).statusCode());
      HttpResponse<Buffer> sent = h.rest(HttpMethod.POST, "/meetings/" + gone.getString("id") + "/join", null);
      assertEquals(200, sent.statusCode(), sent.bodyAsString());
      String refusedCall = sent.bodyAsJsonObject().getJsonObject("botJoin").getString("callId");
      JsonObject terminated = h.awaitEvent("terminated", refusedCall, Duration.ofSeconds(10), e -> true);
      assertEquals(400, terminated.getJsonObject("resultInfo").getInteger("code"), terminated.encode());
      assertEquals(2203, terminated.getJsonObject("resultInfo").getInteger("subcode"), terminated.encode());
      JsonObject failed = h.awaitEvent("botLeft", gone.getString("id"), Duration.ofSeconds(10), e -> true);
      assertEquals(refusedCall, failed.getString("callId"), failed.encode());
      assertTrue(failed.getString("reason").startsWith("the join failed: "), failed.encode());
      assertTrue(failed.getString("reason").contains("(Graph 400/2203)"), failed.encode());
      assertTrue(failed.getString("reason").contains(gone.getString("threadId")), failed.encode());
      JsonObject botJoin = failed.getJsonObject("meeting").getJsonObject("botJoin"); // (a GET asks Graph: 404)
      assertEquals("failed", botJoin.getString("state"), botJoin.encode());
      assertEquals(failed.getString("reason"), botJoin.getString("reason"));
      assertEquals(0, h.events("botJoined", gone.getString("id"), e -> true).size(), "a refused join never joined");
    }
  }

  @Test
  void aScheduledJoinMovesWithTheMeetingIsCancelledWithItAndFiresOnceAcrossATakeover() throws Exception {
    try (MeetingsHarness h = MeetingsHarness.start(home, SPEED, Map.of())) {
      Instant now = h.graphNow();
      // moved in Graph behind the bundle's back (as in Teams): a GET picks the new start up and moves the join
      JsonObject elsewhere = h.createMeeting(new JsonObject().put("startDateTime", now.plusSeconds(3600).toString())
          .put("endDateTime", now.plusSeconds(5400).toString()));
      schedule(h, elsewhere.getString("id"), "PT0S");
      Instant teamsStart = now.plusSeconds(7200);
      assertEquals(200, h.emulated.graph(HttpMethod.PATCH, "/v1.0/users/" + MeetingsHarness.ADELE + "/onlineMeetings/"
          + elsewhere.getString("id"), new JsonObject().put("startDateTime", teamsStart.toString())
          .put("endDateTime", teamsStart.plusSeconds(600).toString())).statusCode());
      assertEquals(teamsStart.toString(), h.rest(HttpMethod.GET, "/meetings/" + elsewhere.getString("id"), null)
          .bodyAsJsonObject().getJsonObject("botJoin").getString("dueAt"));

      // deleted before its start: never joins
      JsonObject deleted = h.createMeeting(new JsonObject().put("startDateTime", now.plusSeconds(40).toString())
          .put("endDateTime", now.plusSeconds(600).toString()));
      schedule(h, deleted.getString("id"), "PT0S");
      assertEquals(204, h.rest(HttpMethod.DELETE, "/meetings/" + deleted.getString("id"), null).statusCode());

      // scheduled an hour out, then moved to 80 s from now with a 20 s lead: due in ~60 s of Graph's time (3 s)
      JsonObject moved = h.createMeeting(new JsonObject().put("startDateTime", now.plusSeconds(3600).toString())
          .put("endDateTime", now.plusSeconds(5400).toString()));
      String id = moved.getString("id");
      schedule(h, id, "PT20S");
      Instant newStart = h.graphNow().plusSeconds(80);
      HttpResponse<Buffer> patched = h.rest(HttpMethod.PATCH, "/meetings/" + id, new JsonObject()
          .put("startDateTime", newStart.toString()).put("endDateTime", newStart.plusSeconds(600).toString()));
      assertEquals(200, patched.statusCode(), patched.bodyAsString());
      assertEquals(newStart.minusSeconds(20).toString(), patched.bodyAsJsonObject().getJsonObject("botJoin")
          .getString("dueAt"));

      // the meetings bundle is replaced (takeover) while the join waits
      HttpResponse<Buffer> swapped = h.t.admin(HttpMethod.PUT, "/admin/bundles/meetings?mode=takeover",
          Buffer.buffer(TestServer.withBundleVersion(MeetingsHarness.jar(), "0.1.1")));
      assertEquals(200, swapped.statusCode(), swapped.bodyAsString());
      assertEquals(0, h.joins(moved.getString("threadId")).size(), "not yet due");

      JsonObject joined = h.awaitEvent("botJoined", id, Duration.ofSeconds(20), e -> true);
      assertTrue(!h.graphNow().isBefore(newStart.minusSeconds(20)), "not before it was due");
      Thread.sleep(1000);
      assertEquals(1, h.joins(moved.getString("threadId")).size(), "fired exactly once");
      assertEquals(1, h.events("botJoined", id, e -> true).size());
      assertEquals(joined.getString("callId"), h.rest(HttpMethod.GET, "/meetings/" + id, null).bodyAsJsonObject()
          .getJsonObject("botJoin").getString("callId"), "the new version reads the join the old one scheduled");
      assertEquals(0, h.joins(deleted.getString("threadId")).size(), "the deleted meeting's join was cancelled");
    }
  }

  @Test
  void aJoinThatCameDueWhileTheServerWasDownFiresAtOnceAfterTheStartAndOnce() throws Exception {
    try (MeetingsHarness h = MeetingsHarness.start(home, SPEED, Map.of())) {
      // due in 40 s of Graph's time (2 s real); the server is down from before until after it
      Instant start = h.graphNow().plusSeconds(40);
      JsonObject m = h.createMeeting(new JsonObject().put("subject", "after the restart")
          .put("startDateTime", start.toString()).put("endDateTime", start.plusSeconds(600).toString()));
      String id = m.getString("id");
      schedule(h, id, "PT0S");
      h.move(id, ALEX, true);
      h.t.close();
      h.t = null;
      // the downtime outlasts the due time: wait until Graph's clock is 20 s past the start
      TestServer.awaitUntil("Graph's clock past the meeting's start", Duration.ofSeconds(30),
          () -> !graphNow(h).isBefore(start.plusSeconds(20)));
      assertEquals(0, h.joins(m.getString("threadId")).size(), "nobody joined while the server was down");
      h.events.clear();
      Instant restarted = h.graphNow();
      h.startServer(home, false);

      // nothing is due any more: the restarted server joins at once (from the armed timer written down, or the
      // re-arm at start, whichever comes first), not at some later time, and once
      JsonObject joined = h.awaitEvent("botJoined", id, Duration.ofSeconds(30), e -> true);
      JsonObject botJoin = joined.getJsonObject("meeting").getJsonObject("botJoin");
      Instant firedAt = Instant.parse(botJoin.getString("firedAt"));
      assertTrue(!firedAt.isBefore(restarted), "fired after the restart (" + firedAt + "), not before ("
          + restarted + ")");
      assertTrue(firedAt.isAfter(start.plusSeconds(20)), "fired past the due time, which went by while down");
      assertEquals(start.toString(), botJoin.getString("dueAt"));
      Thread.sleep(1000);
      assertEquals(1, h.joins(m.getString("threadId")).size(), "fired exactly once");
      assertEquals(1, h.events("botJoined", id, e -> true).size());
      JsonObject after = h.rest(HttpMethod.GET, "/meetings/" + id, null).bodyAsJsonObject();
      assertEquals("joined", after.getJsonObject("botJoin").getString("state"));
      assertEquals(joined.getString("callId"), after.getJsonObject("botJoin").getString("callId"));
    }
  }

  private static Instant graphNow(MeetingsHarness h) {
    try {
      return h.graphNow();
    } catch (Exception e) {
      throw new IllegalStateException("the emulator's clock could not be read", e);
    }
  }
}
