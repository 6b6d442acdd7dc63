package dev.switchboard.emulator;

import static dev.switchboard.emulator.EmulatorFixture.callState;
import static dev.switchboard.emulator.EmulatorFixture.roster;
import static dev.switchboard.emulator.EmulatorFixture.serviceHosted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** onlineMeetings (graph-reference §5), the application access policy and joining meetings (§1.2). */
class OnlineMeetingsTest {

  private static final String ADELE = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01";
  private static final String ALEX = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e02";
  private static final String MEGAN = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e03";
  private static final String MEETINGS = "/v1.0/users/" + ADELE + "/onlineMeetings";
  private static EmulatorFixture fx;

  @BeforeAll
  static void start() {
    fx = new EmulatorFixture(100);
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @BeforeEach
  void reset() {
    fx.reset();
  }

  private static void grant(JsonObject policy) {
    EmulatorFixture.Response r = fx.control("POST", "/emulator/access-policies", policy);
    assertEquals(201, r.status(), r.body());
  }

  private static JsonObject create(JsonObject body) {
    EmulatorFixture.Response r = fx.graph("POST", MEETINGS, body);
    assertEquals(201, r.status(), r.body());
    return r.json();
  }

  private static EmulatorFixture.Response filter(String base, String expression) {
    return fx.graph("GET", base + "?$filter=" + URLEncoder.encode(expression, StandardCharsets.UTF_8)
        .replace("+", "%20"), null);
  }

  private static void assertError(EmulatorFixture.Response r, int status, String code) {
    assertEquals(status, r.status(), r.body());
    assertEquals(code, r.json().getJsonObject("error").getString("code"), r.body());
  }

  @Test
  void accessPolicyRefusesAppOnlyCallsUntilGranted() {
    EmulatorFixture.Response refused = fx.graph("POST", MEETINGS, new JsonObject().put("subject", "x"));
    assertError(refused, 403, "General");
    assertEquals("No application access policy found for this app.",
        refused.json().getJsonObject("error").getString("message"));
    grant(new JsonObject().put("userIds", new JsonArray().add(ADELE)));
    create(new JsonObject().put("subject", "granted"));
    assertError(fx.graph("POST", "/v1.0/users/" + ALEX + "/onlineMeetings", new JsonObject()), 403, "General");
    grant(new JsonObject().put("global", true));
    assertEquals(201, fx.graph("POST", "/v1.0/users/" + ALEX + "/onlineMeetings", new JsonObject()).status());
    fx.control("POST", "/emulator/access-policies/revoke", new JsonObject().put("global", true));
    assertError(fx.graph("POST", "/v1.0/users/" + ALEX + "/onlineMeetings", new JsonObject()), 403, "General");
    JsonObject policy = fx.control("GET", "/emulator/access-policies", null).json();
    assertEquals(new JsonObject().put("global", false).put("userIds", new JsonArray().add(ADELE)), policy);
    // app-only tokens cannot use /me; an unknown organizer is 404
    EmulatorFixture.Response me = fx.graph("POST", "/v1.0/me/onlineMeetings", new JsonObject());
    assertError(me, 400, "BadRequest");
    assertTrue(me.json().getJsonObject("error").getString("message").contains("delegated authentication flow"));
    grant(new JsonObject().put("global", true));
    assertError(fx.graph("POST", "/v1.0/users/nosuch/onlineMeetings", new JsonObject()), 404, "itemNotFound");
  }

  @Test
  void routesNeedTheOnlineMeetingsPermissions() {
    grant(new JsonObject().put("global", true));
    String id = create(new JsonObject()).getString("id");
    fx.control("PUT", "/emulator/roles", new JsonObject().put("roles", new JsonArray().add("OnlineMeetings.Read.All")));
    fx.forgetToken();
    assertEquals(200, fx.graph("GET", MEETINGS + "/" + id, null).status());
    assertError(fx.graph("POST", MEETINGS, new JsonObject()), 403, "Forbidden");
    assertError(fx.graph("PATCH", MEETINGS + "/" + id, new JsonObject().put("subject", "x")), 403, "Forbidden");
    fx.control("PUT", "/emulator/roles", new JsonObject().put("roles", new JsonArray()));
    fx.forgetToken();
    assertError(fx.graph("GET", MEETINGS + "/" + id, null), 403, "Forbidden");
  }

  @Test
  void createGeneratesTeamsJoinDetails() {
    grant(new JsonObject().put("global", true));
    JsonObject m = create(new JsonObject().put("subject", "Support call")
        .put("startDateTime", "2030-07-12T14:30:00-07:00").put("endDateTime", "2030-07-12T15:00:00-07:00"));
    assertEquals("2030-07-12T21:30:00Z", m.getString("startDateTime"));
    assertEquals("2030-07-12T22:00:00Z", m.getString("endDateTime"));
    Matcher url = Pattern.compile("https://teams\\.microsoft\\.com/l/meetup-join/([^/]+)/([^/?]+)\\?context=(.+)")
        .matcher(m.getString("joinWebUrl"));
    assertTrue(url.matches(), m.getString("joinWebUrl"));
    String thread = URLDecoder.decode(url.group(1), StandardCharsets.UTF_8);
    assertTrue(thread.matches("19:meeting_[A-Za-z0-9]+@thread\\.v2"), thread);
    assertEquals(thread, m.getJsonObject("chatInfo").getString("threadId"));
    assertEquals(url.group(2), m.getJsonObject("chatInfo").getString("messageId"));
    JsonObject context = new JsonObject(URLDecoder.decode(url.group(3), StandardCharsets.UTF_8));
    assertEquals(fx.tenant(), context.getString("Tid"));
    assertEquals(ADELE, context.getString("Oid"));
    JsonObject ids = m.getJsonObject("joinMeetingIdSettings");
    assertTrue(ids.getString("joinMeetingId").matches("\\d{12}"), ids.encode());
    assertTrue(ids.getString("passcode").matches("\\w{6}"), ids.encode());
    assertEquals(true, ids.getBoolean("isPasscodeRequired"));
    assertTrue(m.getString("videoTeleconferenceId").matches("\\d+"));
    assertTrue(m.getJsonObject("audioConferencing").getString("dialinUrl")
        .endsWith("?id=" + m.getJsonObject("audioConferencing").getString("conferenceId")));
    assertEquals(ADELE, m.getJsonObject("participants").getJsonObject("organizer").getJsonObject("identity")
        .getJsonObject("user").getString("id"));
    assertEquals(m, fx.graph("GET", MEETINGS + "/" + m.getString("id"), null).json().put("@odata.context",
        m.getString("@odata.context")));
    assertError(fx.graph("POST", MEETINGS, new JsonObject().put("startDateTime", "2030-07-12T15:00:00Z")
        .put("endDateTime", "2030-07-12T14:00:00Z")), 400, "invalidRequest");
  }

  @Test
  void createOrGetIsIdempotentByExternalIdWithTheDocumentedDefaults() {
    grant(new JsonObject().put("userIds", new JsonArray().add(ADELE)));
    String path = MEETINGS + "/createOrGet";
    EmulatorFixture.Response first = fx.graph("POST", path, new JsonObject().put("externalId", "ext-1").put("subject", "a"));
    assertEquals(201, first.status(), first.body());
    EmulatorFixture.Response again = fx.graph("POST", path, new JsonObject().put("externalId", "ext-1").put("subject", "b"));
    assertEquals(200, again.status(), again.body());
    assertEquals(first.json().getString("id"), again.json().getString("id"));
    assertEquals("a", again.json().getString("subject"));
    assertEquals("ext-1", again.json().getString("externalId"));
    // no start/end: now .. now+1h; start only: start+1h
    JsonObject m = first.json();
    assertEquals(Duration.ofHours(1), Duration.between(Instant.parse(m.getString("startDateTime")),
        Instant.parse(m.getString("endDateTime"))));
    JsonObject s = fx.graph("POST", path, new JsonObject().put("externalId", "ext-2")
        .put("startDateTime", "2030-01-01T10:00:00Z")).json();
    assertEquals("2030-01-01T11:00:00Z", s.getString("endDateTime"));
    assertError(fx.graph("POST", path, new JsonObject().put("externalId", "ext-3")
        .put("endDateTime", "2030-01-01T10:00:00Z")), 400, "invalidRequest");
    assertError(fx.graph("POST", path, new JsonObject().put("externalId", "ext-4")
        .put("startDateTime", "2030-01-01T10:00:00Z").put("endDateTime", "2030-01-01T09:00:00Z")), 400, "invalidRequest");
    assertError(fx.graph("POST", path, new JsonObject().put("subject", "no external id")), 400, "invalidRequest");
  }

  @Test
  void filtersFindAMeetingByJoinUrlJoinMeetingIdAndVideoTeleconferenceId() {
    grant(new JsonObject().put("global", true));
    JsonObject m = create(new JsonObject().put("subject", "found"));
    create(new JsonObject().put("subject", "other"));
    String id = m.getString("id");
    JsonArray byUrl = filter(MEETINGS, "JoinWebUrl eq '" + m.getString("joinWebUrl") + "'").json().getJsonArray("value");
    assertEquals(1, byUrl.size());
    assertEquals(id, byUrl.getJsonObject(0).getString("id"));
    // the docs' form: the join URL itself URL-encoded inside the filter
    JsonArray byEncodedUrl = filter(MEETINGS, "JoinWebUrl eq '" + URLEncoder.encode(m.getString("joinWebUrl"),
        StandardCharsets.UTF_8) + "'").json().getJsonArray("value");
    assertEquals(id, byEncodedUrl.getJsonObject(0).getString("id"));
    String joinId = m.getJsonObject("joinMeetingIdSettings").getString("joinMeetingId");
    assertEquals(id, filter(MEETINGS, "joinMeetingIdSettings/joinMeetingId eq '" + joinId + "'").json()
        .getJsonArray("value").getJsonObject(0).getString("id"));
    assertEquals(id, filter("/v1.0/communications/onlineMeetings/", "VideoTeleconferenceId eq '"
        + m.getString("videoTeleconferenceId") + "'").json().getJsonArray("value").getJsonObject(0).getString("id"));
    assertEquals(0, filter(MEETINGS, "joinMeetingIdSettings/joinMeetingId eq '1'").json().getJsonArray("value").size());
    assertError(filter(MEETINGS, "subject eq 'found'"), 400, "invalidRequest");
    assertError(fx.graph("GET", MEETINGS, null), 400, "invalidRequest");
  }

  @Test
  void patchFollowsGraphsRulesAndDeleteRemoves() {
    grant(new JsonObject().put("global", true));
    JsonObject m = create(new JsonObject().put("participants", new JsonObject().put("attendees", new JsonArray()
        .add(attendee(ALEX)).add(attendee(MEGAN)))));
    String path = MEETINGS + "/" + m.getString("id");
    assertError(fx.graph("PATCH", path, new JsonObject().put("startDateTime", "2030-01-01T10:00:00Z")), 400,
        "invalidRequest");
    assertError(fx.graph("PATCH", path, new JsonObject().put("participants", new JsonObject().put("organizer",
        attendee(ALEX)))), 400, "invalidRequest");
    assertError(fx.graph("PATCH", path, new JsonObject().put("joinMeetingIdSettings",
        new JsonObject().put("isPasscodeRequired", false))), 400, "invalidRequest");
    EmulatorFixture.Response ok = fx.graph("PATCH", path, new JsonObject().put("subject", "moved")
        .put("startDateTime", "2030-01-01T10:00:00Z").put("endDateTime", "2030-01-01T10:30:00Z")
        .put("participants", new JsonObject().put("attendees", new JsonArray().add(attendee(MEGAN))))
        .put("lobbyBypassSettings", new JsonObject().put("isDialInBypassEnabled", true)));
    assertEquals(200, ok.status(), ok.body());
    JsonObject u = ok.json();
    assertEquals("moved", u.getString("subject"));
    assertEquals("2030-01-01T10:30:00Z", u.getString("endDateTime"));
    JsonArray attendees = u.getJsonObject("participants").getJsonArray("attendees");
    assertEquals(1, attendees.size());
    assertEquals(MEGAN, attendees.getJsonObject(0).getJsonObject("identity").getJsonObject("user").getString("id"));
    assertEquals(new JsonObject().put("scope", "organization").put("isDialInBypassEnabled", true),
        u.getJsonObject("lobbyBypassSettings"));
    assertEquals(m.getString("joinWebUrl"), u.getString("joinWebUrl"));
    assertEquals(204, fx.graph("DELETE", path, null).status());
    assertError(fx.graph("GET", path, null), 404, "itemNotFound");
    assertError(fx.graph("DELETE", path, null), 404, "itemNotFound");
  }

  @Test
  void enumValuesAreGraphsAndAnUnknownOneIsRefused() {
    grant(new JsonObject().put("global", true));
    JsonObject m = create(new JsonObject().put("participants", new JsonObject().put("attendees", new JsonArray()
        .add(attendee(ALEX).put("role", "producer")))));
    // what the emulator generates is in Graph's enums (graph-reference §5)
    assertEquals("presenter", m.getJsonObject("participants").getJsonObject("organizer").getString("role"));
    assertEquals("producer", m.getJsonObject("participants").getJsonArray("attendees").getJsonObject(0)
        .getString("role"));
    assertTrue(Set.of("organizer", "organization", "organizationAndFederated", "everyone", "invited",
        "organizationExcludingGuests").contains(m.getJsonObject("lobbyBypassSettings").getString("scope")), m.encode());
    assertTrue(Set.of("everyone", "organization", "roleIsPresenter", "organizer").contains(
        m.getString("allowedPresenters")), m.encode());
    assertTrue(Set.of("enabled", "disabled", "limited").contains(m.getString("allowMeetingChat")), m.encode());
    // every value Graph names is taken, each one echoed
    String path = MEETINGS + "/" + m.getString("id");
    for (String scope : List.of("organizer", "organization", "organizationAndFederated", "everyone", "invited",
        "organizationExcludingGuests")) {
      EmulatorFixture.Response r = fx.graph("PATCH", path, new JsonObject().put("lobbyBypassSettings",
          new JsonObject().put("scope", scope)));
      assertEquals(200, r.status(), r.body());
      assertEquals(scope, r.json().getJsonObject("lobbyBypassSettings").getString("scope"));
    }
    for (String presenters : List.of("everyone", "organization", "roleIsPresenter", "organizer")) {
      assertEquals(presenters, fx.graph("PATCH", path, new JsonObject().put("allowedPresenters", presenters)).json()
          .getString("allowedPresenters"));
    }
    for (String role : List.of("attendee", "presenter", "producer", "coorganizer")) {
      assertEquals(role, fx.graph("PATCH", path, new JsonObject().put("participants", new JsonObject()
          .put("attendees", new JsonArray().add(attendee(MEGAN).put("role", role))))).json()
          .getJsonObject("participants").getJsonArray("attendees").getJsonObject(0).getString("role"));
    }
    // an unknown value is refused and changes nothing
    assertError(fx.graph("PATCH", path, new JsonObject().put("lobbyBypassSettings", new JsonObject()
        .put("scope", "anyone"))), 400, "invalidRequest");
    assertError(fx.graph("PATCH", path, new JsonObject().put("allowedPresenters", "nobody")), 400, "invalidRequest");
    assertError(fx.graph("PATCH", path, new JsonObject().put("participants", new JsonObject().put("attendees",
        new JsonArray().add(attendee(ALEX).put("role", "boss"))))), 400, "invalidRequest");
    JsonObject after = fx.graph("GET", path, null).json();
    assertEquals("organizationExcludingGuests", after.getJsonObject("lobbyBypassSettings").getString("scope"));
    assertEquals("organizer", after.getString("allowedPresenters"));
  }

  @Test
  void joinsByUrlAndByIdLandInTheMeetingAndPeopleJoiningShowAsRosterUpdates() {
    grant(new JsonObject().put("global", true));
    JsonObject m = create(new JsonObject().put("subject", "standup"));
    String meetingId = m.getString("id");
    EmulatorFixture.Response in = fx.control("POST", "/emulator/meetings/" + meetingId + "/participants",
        new JsonObject().put("userId", ALEX));
    assertEquals(200, in.status(), in.body());

    // by join URL: chatInfo + organizerMeetingInfo, as a bot derives them from the URL
    int mark = fx.mark();
    EmulatorFixture.Response r = fx.graph("POST", "/v1.0/communications/calls", join(m.getJsonObject("chatInfo"),
        new JsonObject().put("@odata.type", "#microsoft.graph.organizerMeetingInfo").put("organizer", new JsonObject()
            .put("user", new JsonObject().put("id", ADELE).put("tenantId", fx.tenant())))));
    assertEquals(201, r.status(), r.body());
    String byUrl = r.json().getString("id");
    fx.await(mark, callState(byUrl, "established"));
    fx.await(mark, roster(byUrl, a -> has(a, ALEX) && !has(a, MEGAN)));

    // by join meeting id + passcode: the same meeting
    JsonObject ids = m.getJsonObject("joinMeetingIdSettings");
    mark = fx.mark();
    r = fx.graph("POST", "/v1.0/communications/calls", join(null, new JsonObject()
        .put("@odata.type", "#microsoft.graph.joinMeetingIdMeetingInfo")
        .put("joinMeetingId", ids.getString("joinMeetingId")).put("passcode", ids.getString("passcode"))));
    assertEquals(201, r.status(), r.body());
    String byId = r.json().getString("id");
    fx.await(mark, callState(byId, "established"));

    // a person joins, then leaves: both of the bot's calls in the meeting see it
    mark = fx.mark();
    fx.control("POST", "/emulator/meetings/" + meetingId + "/participants", new JsonObject().put("userId", MEGAN));
    fx.await(mark, roster(byUrl, a -> has(a, MEGAN)));
    fx.await(mark, roster(byId, a -> has(a, MEGAN)));
    mark = fx.mark();
    fx.control("POST", "/emulator/meetings/" + meetingId + "/participants", new JsonObject().put("userId", MEGAN)
        .put("action", "leave"));
    fx.await(mark, roster(byUrl, a -> !has(a, MEGAN) && has(a, ALEX)));
    assertEquals(409, fx.control("POST", "/emulator/meetings/" + meetingId + "/participants", new JsonObject()
        .put("userId", MEGAN).put("action", "leave")).status());

    // wrong passcode, unknown meeting id, unknown thread: refused as Graph refuses a join (201, then terminated)
    assertRefused(join(null, new JsonObject().put("@odata.type", "#microsoft.graph.joinMeetingIdMeetingInfo")
        .put("joinMeetingId", ids.getString("joinMeetingId")).put("passcode", "wrong1")), 403, 0, "wrong");
    assertRefused(join(null, new JsonObject().put("@odata.type", "#microsoft.graph.joinMeetingIdMeetingInfo")
        .put("joinMeetingId", "999").put("passcode", "x")), 400, 2203, "join meeting id 999");
    assertRefused(join(new JsonObject().put("threadId", "19:meeting_nosuch@thread.v2").put("messageId", "0"),
        new JsonObject().put("@odata.type", "#microsoft.graph.organizerMeetingInfo").put("organizer", new JsonObject()
            .put("user", new JsonObject().put("id", ADELE)))), 400, 2203, "19:meeting_nosuch@thread.v2");
  }

  @Test
  void aJoinNamingNoMeetingIsCreatedThenTerminatedWithGraphsResultInfo() {
    JsonObject adhoc = assertRefused(join(new JsonObject().put("threadId", "19:meeting_adhoc@thread.v2")
        .put("messageId", "0"), new JsonObject().put("@odata.type", "#microsoft.graph.organizerMeetingInfo")
        .put("organizer", new JsonObject().put("user", new JsonObject().put("id", ADELE)))), 400, 2203,
        "19:meeting_adhoc@thread.v2");
    assertTrue(adhoc.getString("message").endsWith("DiagCode: 400#2203.@"), adhoc.encode());
    // a meeting that is deleted can no longer be joined
    grant(new JsonObject().put("global", true));
    JsonObject m = create(new JsonObject());
    assertEquals(204, fx.graph("DELETE", MEETINGS + "/" + m.getString("id"), null).status());
    assertRefused(join(m.getJsonObject("chatInfo"), new JsonObject()
        .put("@odata.type", "#microsoft.graph.organizerMeetingInfo").put("organizer", new JsonObject()
            .put("user", new JsonObject().put("id", ADELE)))), 400, 2203, m.getJsonObject("chatInfo")
        .getString("threadId"));
    // a missing passcode when one is required
    JsonObject other = create(new JsonObject());
    JsonObject missing = assertRefused(join(null, new JsonObject()
        .put("@odata.type", "#microsoft.graph.joinMeetingIdMeetingInfo").put("joinMeetingId",
            other.getJsonObject("joinMeetingIdSettings").getString("joinMeetingId"))), 403, 0, "missing");
    assertTrue(missing.getString("message").endsWith("DiagCode: 403#0.@"), missing.encode());
  }

  /**
   * A refused join: {@code 201} with the call, {@code establishing}, then {@code terminated} (changeType
   * {@code deleted}) with the expected resultInfo, and nobody ever in the call; returns the resultInfo.
   */
  private static JsonObject assertRefused(JsonObject joinBody, int code, int subcode, String messagePart) {
    int mark = fx.mark();
    EmulatorFixture.Response r = fx.graph("POST", "/v1.0/communications/calls", joinBody);
    assertEquals(201, r.status(), r.body());
    String callId = r.json().getString("id");
    assertEquals("establishing", r.json().getString("state"), r.body());
    int establishing = fx.received.indexOf(fx.await(mark, callState(callId, "establishing")));
    EmulatorFixture.Received ended = fx.await(mark, callState(callId, "terminated"));
    assertTrue(fx.received.indexOf(ended) > establishing, "establishing comes before terminated");
    assertEquals("deleted", ended.notification().getString("changeType"));
    JsonObject result = ended.notification().getJsonObject("resourceData").getJsonObject("resultInfo");
    assertEquals(code, result.getInteger("code"), result.encode());
    assertEquals(subcode, result.getInteger("subcode"), result.encode());
    assertTrue(result.getString("message").contains(messagePart), result.encode());
    for (int i = mark; i < fx.mark(); i++) {
      JsonObject n = fx.received.get(i).notification();
      assertTrue(!n.getString("resourceUrl").equals("/communications/calls/" + callId + "/participants"),
          "a refused join has no roster: " + n.encode());
    }
    return result;
  }

  private static boolean has(JsonArray roster, String userId) {
    return roster.stream().map(JsonObject.class::cast).anyMatch(p -> p.getJsonObject("info").getJsonObject("identity")
        .getJsonObject("user") != null && userId.equals(p.getJsonObject("info").getJsonObject("identity")
        .getJsonObject("user").getString("id")));
  }

  private static JsonObject attendee(String id) {
    return new JsonObject().put("identity", new JsonObject().put("user", new JsonObject().put("id", id)));
  }

  private static JsonObject join(JsonObject chatInfo, JsonObject meetingInfo) {
    JsonObject body = new JsonObject().put("@odata.type", "#microsoft.graph.call").put("callbackUri", fx.botUrl)
        .put("requestedModalities", new JsonArray().add("audio")).put("mediaConfig", serviceHosted())
        .put("meetingInfo", meetingInfo).put("tenantId", fx.tenant());
    if (chatInfo != null) {
      body.put("chatInfo", new JsonObject().put("@odata.type", "#microsoft.graph.chatInfo")
          .put("threadId", chatInfo.getString("threadId")).put("messageId", chatInfo.getString("messageId")));
    }
    return body;
  }
}
