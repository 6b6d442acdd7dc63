package dev.switchboard.meetings;

import static dev.switchboard.meetings.MeetingsHarness.ADELE;
import static dev.switchboard.meetings.MeetingsHarness.ALEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.meetings.MeetingCommand;
import dev.switchboard.api.meetings.MeetingEvent;
import dev.switchboard.api.meetings.MeetingsClient;
import dev.switchboard.api.meetings.OnlineMeeting;
import dev.switchboard.platform.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The meetings bundle's REST API and bus commands against the emulator's onlineMeetings: the happy path and bad input. */
class MeetingsRestIT {

  @TempDir
  Path home;

  private static void assertError(HttpResponse<Buffer> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertEquals(code, r.bodyAsJsonObject().getJsonObject("error").getString("code"), r.bodyAsString());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Test
  void createGetFindUpdateDeleteAndCreateOrGet() throws Exception {
    try (MeetingsHarness h = MeetingsHarness.start(home, 1, Map.of())) {
      JsonObject m = h.createMeeting(new JsonObject().put("subject", "Review").put("startDateTime",
          "2030-05-01T10:00:00Z").put("endDateTime", "2030-05-01T10:30:00Z")
          .put("attendees", new JsonArray().add(ALEX)));
      String id = m.getString("id");
      assertEquals(ADELE, m.getString("organizerId"));
      assertEquals("Review", m.getString("subject"));
      assertEquals("2030-05-01T10:00:00Z", m.getString("startDateTime"));
      assertEquals(new JsonArray().add(ALEX), m.getJsonArray("attendees"));
      assertTrue(m.getString("joinWebUrl").startsWith("https://teams.microsoft.com/l/meetup-join/"));
      assertTrue(m.getString("joinMeetingId").matches("\\d+"), m.encode());
      assertNotNull(m.getString("passcode"));
      h.awaitEvent("created", id, Duration.ofSeconds(5), e -> true);

      assertEquals(m, h.rest(HttpMethod.GET, "/meetings/" + id, null).bodyAsJsonObject());
      assertEquals(id, h.rest(HttpMethod.GET, "/meetings?joinWebUrl=" + encode(m.getString("joinWebUrl")), null)
          .bodyAsJsonObject().getString("id"));
      assertEquals(id, h.rest(HttpMethod.GET, "/meetings?joinMeetingId=" + m.getString("joinMeetingId"), null)
          .bodyAsJsonObject().getString("id"));

      HttpResponse<Buffer> patched = h.rest(HttpMethod.PATCH, "/meetings/" + id, new JsonObject().put("subject",
          "Review, moved").put("startDateTime", "2030-05-01T11:00:00Z").put("endDateTime", "2030-05-01T11:30:00Z"));
      assertEquals(200, patched.statusCode(), patched.bodyAsString());
      assertEquals("Review, moved", patched.bodyAsJsonObject().getString("subject"));
      assertEquals("2030-05-01T11:00:00Z", patched.bodyAsJsonObject().getString("startDateTime"));
      h.awaitEvent("updated", id, Duration.ofSeconds(5), e -> true);

      // createOrGet: 201, then 200 with the same meeting, unchanged; Graph's defaults (an hour from now)
      HttpResponse<Buffer> first = h.rest(HttpMethod.POST, "/meetings/createOrGet", new JsonObject()
          .put("organizerId", ADELE).put("externalId", "crm-42").put("subject", "first"));
      assertEquals(201, first.statusCode(), first.bodyAsString());
      HttpResponse<Buffer> again = h.rest(HttpMethod.POST, "/meetings/createOrGet", new JsonObject()
          .put("organizerId", ADELE).put("externalId", "crm-42").put("subject", "second"));
      assertEquals(200, again.statusCode(), again.bodyAsString());
      assertEquals(first.bodyAsJsonObject().getString("id"), again.bodyAsJsonObject().getString("id"));
      assertEquals("first", again.bodyAsJsonObject().getString("subject"));
      assertEquals("crm-42", again.bodyAsJsonObject().getString("externalId"));
      JsonObject defaults = first.bodyAsJsonObject();
      assertEquals(Duration.ofHours(1), Duration.between(Instant.parse(defaults.getString("startDateTime")),
          Instant.parse(defaults.getString("endDateTime"))));

      // the typed client on the bus
      MeetingsClient client = MeetingsClient.of(h.t.vertx.eventBus());
      OnlineMeeting typed = TestServer.await(client.get(id));
      assertEquals("Review, moved", typed.subject());
      MeetingCommand.Created made = TestServer.await(client.send(MeetingCommand.Create.of(ADELE, "typed", null, null)));
      assertTrue(made.created());

      assertEquals(204, h.rest(HttpMethod.DELETE, "/meetings/" + id, null).statusCode());
      h.awaitEvent("deleted", id, Duration.ofSeconds(5), e -> true);
      assertError(h.rest(HttpMethod.GET, "/meetings/" + id, null), 404, "itemNotFound");
      assertEquals(1, h.events.stream().filter(e -> MeetingEvent.fromJson(e) instanceof MeetingEvent.Deleted).count());
    }
  }

  @Test
  void badInputIsRefusedWithAClearErrorAndChangesNothing() throws Exception {
    try (MeetingsHarness h = MeetingsHarness.start(home, 1, Map.of())) {
      JsonObject m = h.createMeeting(new JsonObject().put("subject", "kept"));
      String id = m.getString("id");
      // an end equal to the start: a meeting of no length, which Graph (and so the bundle) accepts
      HttpResponse<Buffer> noLength = h.rest(HttpMethod.POST, "/meetings", new JsonObject().put("organizerId", ADELE)
          .put("startDateTime", "2030-05-01T10:00:00Z").put("endDateTime", "2030-05-01T10:00:00Z"));
      assertEquals(201, noLength.statusCode(), noLength.bodyAsString());
      assertEquals(Instant.parse("2030-05-01T10:00:00Z"), Instant.parse(noLength.bodyAsJsonObject()
          .getString("endDateTime")));
      // end before start, end without start: the platform's 400
      assertError(h.rest(HttpMethod.POST, "/meetings", new JsonObject().put("organizerId", ADELE)
          .put("startDateTime", "2030-05-01T11:00:00Z").put("endDateTime", "2030-05-01T10:00:00Z")), 400, "badRequest");
      assertError(h.rest(HttpMethod.POST, "/meetings", new JsonObject().put("organizerId", ADELE)
          .put("endDateTime", "2030-05-01T10:00:00Z")), 400, "badRequest");
      assertError(h.rest(HttpMethod.POST, "/meetings", new JsonObject().put("organizerId", ADELE)
          .put("startDateTime", "tomorrow")), 400, "badRequest");
      assertError(h.rest(HttpMethod.POST, "/meetings", new JsonObject().put("subject", "no organizer")), 400,
          "badRequest");
      assertError(h.rest(HttpMethod.POST, "/meetings/createOrGet", new JsonObject().put("organizerId", ADELE)), 400,
          "badRequest");
      // an unknown organizer: Graph's 404
      assertError(h.rest(HttpMethod.POST, "/meetings", new JsonObject().put("organizerId", "nosuch-user")), 404,
          "itemNotFound");
      // the organizer cannot change; start and end change together
      assertError(h.rest(HttpMethod.PATCH, "/meetings/" + id, new JsonObject().put("organizerId", ALEX)), 400,
          "badRequest");
      // ... also named as Graph's PATCH names it (the emulator refuses that too)
      JsonObject graphShaped = new JsonObject().put("subject", "renamed").put("participants", new JsonObject()
          .put("organizer", new JsonObject().put("identity", new JsonObject().put("user", new JsonObject()
              .put("id", ALEX)))));
      HttpResponse<Buffer> organizerPatch = h.rest(HttpMethod.PATCH, "/meetings/" + id, graphShaped);
      assertError(organizerPatch, 400, "badRequest");
      assertTrue(organizerPatch.bodyAsString().contains("cannot change"), organizerPatch.bodyAsString());
      assertEquals(400, h.emulated.graph(HttpMethod.PATCH, "/v1.0/users/" + ADELE + "/onlineMeetings/" + id,
          graphShaped).statusCode(), "the emulator refuses the same body");
      assertError(h.rest(HttpMethod.PATCH, "/meetings/" + id, new JsonObject().put("startDateTime",
          "2030-05-01T11:00:00Z")), 400, "badRequest");
      // a join URL that is not a Teams meeting's: 422
      HttpResponse<Buffer> notTeams = h.rest(HttpMethod.GET, "/meetings?joinWebUrl=" + encode(
          "https://example.com/l/meetup-join/19%3ameeting_x%40thread.v2/0"), null);
      assertError(notTeams, 422, "invalidJoinUrl");
      assertError(h.rest(HttpMethod.GET, "/meetings", null), 400, "badRequest");
      // an unknown meeting id, a join meeting id of nobody's meeting
      assertError(h.rest(HttpMethod.GET, "/meetings/nosuch", null), 404, "meetingNotFound");
      assertError(h.rest(HttpMethod.GET, "/meetings?joinMeetingId=1&organizerId=" + ADELE, null), 404,
          "meetingNotFound");
      assertError(h.rest(HttpMethod.POST, "/meetings/" + id + "/join", new JsonObject().put("when", "later")), 400,
          "badRequest");
      assertError(h.rest(HttpMethod.POST, "/meetings/" + id + "/join", new JsonObject().put("when", "start")
          .put("lead", "-PT1M")), 400, "badRequest");
      // without the tenant's application access policy: Graph's 403
      h.emulated.post("/emulator/access-policies/revoke", new JsonObject().put("global", true));
      HttpResponse<Buffer> refused = h.rest(HttpMethod.POST, "/meetings", new JsonObject().put("organizerId", ADELE));
      assertError(refused, 403, "General");
      // scopes: a key that may only read
      String reader = h.t.createKey("reader", new JsonArray().add("meetings:read"), null).getString("secret");
      HttpResponse<Buffer> forbidden = TestServer.await(h.t.client.request(HttpMethod.POST, h.t.server.httpPort(),
          "127.0.0.1", "/api/v1/meetings").putHeader("Authorization", "Bearer " + reader)
          .sendJsonObject(new JsonObject().put("organizerId", ADELE)));
      assertEquals(403, forbidden.statusCode(), forbidden.bodyAsString());
      // nothing changed
      h.emulated.post("/emulator/access-policies", new JsonObject().put("global", true));
      JsonObject after = h.rest(HttpMethod.GET, "/meetings/" + id, null).bodyAsJsonObject();
      assertEquals("kept", after.getString("subject"));
      assertEquals(ADELE, after.getString("organizerId"));
      assertEquals(m.getString("startDateTime"), after.getString("startDateTime"));
    }
  }
}
