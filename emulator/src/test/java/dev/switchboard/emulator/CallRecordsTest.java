package dev.switchboard.emulator;

import static dev.switchboard.emulator.EmulatorFixture.serviceHosted;
import static dev.switchboard.emulator.EmulatorFixture.userTarget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The callRecords resource (graph-reference §7): a record per ended call after the configured delay
 * with its {@code created} notification, network conditions in the streams, paging of sessions,
 * getPstnCalls and getDirectRoutingCalls (range, 90-day limit, paging), 404, updates with
 * {@code updated} notifications, and the CallRecords.Read.All check. Real HTTPS against the emulator.
 */
class CallRecordsTest {

  private static final String ADELE = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01";
  private static final String ALEX = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e02";
  private static final String MEGAN = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e03";
  private static final String RECORDS = "/v1.0/communications/callRecords/";
  /** 1 emulated minute = 100 real ms: the 10-minute record delay is 1 s. */
  /** Real time: the test moves Graph's clock itself ({@code /emulator/clock/advance}), so a slow machine cannot race it. */
  private static final double SPEED = 1;
  private static final Duration DELAY = Duration.ofMinutes(10);

  private static EmulatorFixture fx;
  private static WebhookReceiver hook;

  @BeforeAll
  static void start() {
    fx = new EmulatorFixture(new EmulatorOptions().setClockSpeed(SPEED).setCallRecordDelay(DELAY));
    hook = new WebhookReceiver(fx.vertx, false);
  }

  @AfterAll
  static void stop() {
    hook.close();
    fx.close();
  }

  @AfterEach
  void reset() {
    fx.reset();
    hook.clear();
  }

  @Test
  void anEndedCallsRecordAppearsAfterTheDelayWithACreatedNotification() {
    JsonObject sub = fx.subscribe(fx.subscription("/communications/callRecords", "created,updated",
        hook.url("/notifications"), Duration.ofHours(1)));
    int m = hook.mark();
    String callId = fx.establishedOutgoingCall(ADELE, serviceHosted());
    String recordId = chainId(callId);
    assertEquals(204, fx.graph("DELETE", "/v1.0/communications/calls/" + callId, null).status());
    awaitPending(recordId);
    advance(Duration.ofMinutes(3));

    EmulatorFixture.Response early = fx.graph("GET", RECORDS + recordId, null);
    assertEquals(404, early.status(), "not before the delay: " + early.body());
    assertEquals("itemNotFound", early.json().getJsonObject("error").getString("code"));
    assertTrue(early.json().getJsonObject("error").getString("message").startsWith("Could not find the requested call record."));
    JsonObject pending = fx.control("GET", "/emulator/callRecords/" + recordId, null).json();
    assertFalse(pending.getBoolean("available"));
    assertEquals(callId, pending.getString("callId"));

    advance(DELAY.minusMinutes(3));
    JsonObject n = hook.await(m, WebhookReceiver.about(sub.getString("id")), 5000).notification();
    assertEquals("created", n.getString("changeType"));
    assertEquals("communications/callRecords/" + recordId, n.getString("resource"));
    Instant ended = Instant.parse(pending.getString("endDateTime"));
    assertFalse(fx.emulator.clock().instant().isBefore(ended.plus(DELAY)), "notified after the delay");

    JsonObject r = fx.graph("GET", RECORDS + recordId, null).json();
    assertEquals(recordId, r.getString("id"));
    assertEquals(1L, r.getLong("version"));
    assertEquals("peerToPeer", r.getString("type"));
    assertEquals(new JsonArray().add("audio"), r.getJsonArray("modalities"));
    assertNotNull(r.getJsonObject("organizer").getJsonObject("application"), "the bot placed the call");
    assertEquals(2, r.getJsonArray("participants").size());
    assertTrue(r.getJsonArray("participants").stream().map(JsonObject.class::cast)
        .anyMatch(p -> p.getJsonObject("user") != null && ADELE.equals(p.getJsonObject("user").getString("id"))));
    assertTrue(Instant.parse(r.getString("startDateTime")).isBefore(Instant.parse(r.getString("endDateTime"))));
    assertNull(r.getValue("joinWebUrl"));
    assertFalse(r.containsKey("sessions"), "sessions only when expanded");

    JsonObject full = fx.graph("GET", RECORDS + recordId + "?$expand=sessions($expand=segments)", null).json();
    assertEquals(1, full.getJsonArray("sessions").size());
    assertNull(full.getValue("sessions@odata.nextLink"));
    for (JsonObject s : streams(full)) {
      assertFalse(cqdPoor(s), "a good call by default: " + s.encode());
      assertTrue(s.getDouble("averagePacketLossRate") < 0.01);
    }
    assertEquals(2, streams(full).size());
  }

  @Test
  void networkConditionsOfALiveCallShowInItsRecordsStreams() {
    String callId = fx.answeredIncomingCall(new JsonObject().put("from", "+14255550123"));
    JsonObject set = fx.control("POST", "/emulator/calls/" + callId + "/network", new JsonObject()
        .put("packetLossRate", 0.15).put("jitterMs", 45).put("roundTripMs", 650).put("concealedRatio", 0.2)
        .put("audioDegradation", 2.1)).json();
    assertEquals(0.15, set.getDouble("packetLossRate"));
    advance(Duration.ofSeconds(12)); // more than 500 packets a stream (50 a second)
    assertEquals(202, fx.control("POST", "/emulator/calls/" + callId + "/hangup", null).status());
    String recordId = chainId(callId);
    JsonObject full = awaitRecord(recordId, "?$expand=sessions($expand=segments)");

    assertNotNull(full.getJsonObject("organizer").getJsonObject("phone"), "the phone called the bot");
    List<JsonObject> streams = streams(full);
    assertEquals(2, streams.size());
    for (JsonObject s : streams) {
      assertEquals(0.15, s.getDouble("averagePacketLossRate"));
      assertEquals("PT0.045S", s.getString("averageJitter"));
      assertEquals("PT0.65S", s.getString("averageRoundTripTime"));
      assertEquals(0.2, s.getDouble("averageRatioOfConcealedSamples"));
      assertEquals(2.1, s.getDouble("averageAudioDegradation"));
      assertTrue(cqdPoor(s), "poor by the Call Quality Dashboard's rule: " + s.encode());
    }
  }

  @Test
  void networkConditionsOfOneParticipantShowOnlyInTheirSession() {
    int m = fx.mark();
    EmulatorFixture.Response created = fx.graph("POST", "/v1.0/communications/calls", new JsonObject()
        .put("callbackUri", fx.botUrl)
        .put("targets", new JsonArray().add(userTarget(ALEX)).add(userTarget(MEGAN)))
        .put("requestedModalities", new JsonArray().add("audio"))
        .put("mediaConfig", serviceHosted()));
    assertEquals(201, created.status(), created.body());
    String callId = created.json().getString("id");
    fx.await(m, EmulatorFixture.roster(callId, a -> a.size() == 3));
    String megan = fx.control("GET", "/emulator/calls/" + callId, null).json().getJsonArray("participants").stream()
        .map(JsonObject.class::cast)
        .filter(p -> p.getJsonObject("info").getJsonObject("identity").getJsonObject("user") != null
            && MEGAN.equals(p.getJsonObject("info").getJsonObject("identity").getJsonObject("user").getString("id")))
        .findFirst().orElseThrow().getString("id");
    assertEquals(200, fx.control("POST", "/emulator/calls/" + callId + "/network", new JsonObject()
        .put("participantId", megan).put("packetLossRate", 0.2)).status());
    advance(Duration.ofSeconds(10));
    assertEquals(204, fx.graph("DELETE", "/v1.0/communications/calls/" + callId, null).status());
    JsonObject full = awaitRecord(chainId(callId), "?$expand=sessions($expand=segments)");

    assertEquals("groupCall", full.getString("type"));
    JsonArray sessions = full.getJsonArray("sessions");
    assertEquals(3, sessions.size(), "the bot, Alex and Megan each have a session with the conference");
    for (Object o : sessions) {
      JsonObject s = (JsonObject) o;
      assertEquals("#microsoft.graph.callRecords.serviceEndpoint", s.getJsonObject("callee").getString("@odata.type"));
      JsonObject user = s.getJsonObject("caller").getJsonObject("identity").getJsonObject("user");
      boolean isMegan = user != null && MEGAN.equals(user.getString("id"));
      for (JsonObject stream : streams(s.getJsonArray("segments"))) {
        assertEquals(isMegan ? 0.2 : 0.002, stream.getDouble("averagePacketLossRate"), s.encode());
      }
    }
  }

  @Test
  void networkConditionsNeedALiveCallAndSaneValues() {
    assertEquals(404, fx.control("POST", "/emulator/calls/nope/network", new JsonObject().put("jitterMs", 40)).status());
    String callId = fx.establishedOutgoingCall(ADELE, serviceHosted());
    EmulatorFixture.Response bad = fx.control("POST", "/emulator/calls/" + callId + "/network",
        new JsonObject().put("packetLossRate", 2));
    assertEquals(400, bad.status());
    assertTrue(bad.body().contains("packetLossRate must be between 0 and 1"), bad.body());
    assertEquals(400, fx.control("POST", "/emulator/calls/" + callId + "/network",
        new JsonObject().put("loss", 0.1)).status());
    assertEquals(404, fx.control("POST", "/emulator/calls/" + callId + "/network",
        new JsonObject().put("participantId", "nobody").put("jitterMs", 40)).status());
    EmulatorFixture.Response badType = fx.control("POST", "/emulator/calls/" + callId + "/network",
        new JsonObject().put("connectionType", "carrierPigeon"));
    assertEquals(400, badType.status());
    assertTrue(badType.body().contains("connectionType must be one of [mobile, tunnel, unknown, wifi, wired]"),
        badType.body());
    assertEquals(400, fx.control("POST", "/emulator/calls/" + callId + "/network",
        new JsonObject().put("subnet", "10.0.0")).status());
  }

  @Test
  void theConnectionTypeAndSubnetOfACallShowInItsRecordsNetworks() {
    String callId = fx.answeredIncomingCall(new JsonObject().put("from", "+14255550123"));
    JsonObject set = fx.control("POST", "/emulator/calls/" + callId + "/network", new JsonObject()
        .put("connectionType", "wifi").put("subnet", "192.168.7.0")).json();
    assertEquals("wifi", set.getString("connectionType"));
    assertEquals(0.002, set.getDouble("packetLossRate"), "values not given stay as they were");
    assertEquals(202, fx.control("POST", "/emulator/calls/" + callId + "/hangup", null).status());
    JsonObject full = awaitRecord(chainId(callId), "?$expand=sessions($expand=segments)");
    JsonObject media = full.getJsonArray("sessions").getJsonObject(0).getJsonArray("segments").getJsonObject(0)
        .getJsonArray("media").getJsonObject(0);
    for (String side : List.of("callerNetwork", "calleeNetwork")) {
      assertEquals("wifi", media.getJsonObject(side).getString("connectionType"), media.encode());
      assertEquals("192.168.7.0", media.getJsonObject(side).getString("subnet"));
      assertTrue(media.getJsonObject(side).getString("ipAddress").startsWith("192.168.7."));
    }
  }

  @Test
  void anUnansweredCallHasARecordFromTheCallerToTheBot() {
    int m = fx.mark();
    EmulatorFixture.Response r = fx.control("POST", "/emulator/calls/incoming", new JsonObject().put("from", "+14255550123"));
    assertEquals(201, r.status(), r.body());
    String callId = r.json().getString("id");
    advance(Duration.ofSeconds(16)); // the 15 s answer window passes
    fx.await(m, EmulatorFixture.callState(callId, "terminated"));
    JsonObject full = awaitRecord(chainId(callId), "?$expand=sessions($expand=segments)");
    assertEquals("peerToPeer", full.getString("type"));
    JsonObject session = full.getJsonArray("sessions").getJsonObject(0);
    assertEquals("+14255550123", session.getJsonObject("caller").getJsonObject("identity").getJsonObject("phone").getString("id"));
    assertNotNull(session.getJsonObject("callee").getJsonObject("identity").getJsonObject("applicationInstance"));
  }

  @Test
  void aMeetingCallsRecordIsAGroupCallWithAJoinUrl() {
    assertEquals(201, fx.control("POST", "/emulator/access-policies", new JsonObject().put("global", true)).status());
    EmulatorFixture.Response meeting = fx.graph("POST", "/v1.0/users/" + ADELE + "/onlineMeetings", new JsonObject());
    assertEquals(201, meeting.status(), meeting.body());
    String thread = meeting.json().getJsonObject("chatInfo").getString("threadId");
    int m = fx.mark();
    EmulatorFixture.Response created = fx.graph("POST", "/v1.0/communications/calls", new JsonObject()
        .put("callbackUri", fx.botUrl)
        .put("requestedModalities", new JsonArray().add("audio"))
        .put("mediaConfig", serviceHosted())
        .put("chatInfo", new JsonObject().put("@odata.type", "#microsoft.graph.chatInfo")
            .put("threadId", thread).put("messageId", "0"))
        .put("meetingInfo", new JsonObject().put("@odata.type", "#microsoft.graph.organizerMeetingInfo")
            .put("organizer", new JsonObject().put("@odata.type", "#microsoft.graph.identitySet")
                .put("user", new JsonObject().put("id", ADELE).put("displayName", "Adele Vance").put("tenantId", fx.tenant()))))
        .put("tenantId", fx.tenant()));
    assertEquals(201, created.status(), created.body());
    String callId = created.json().getString("id");
    fx.await(m, EmulatorFixture.callState(callId, "established"));
    assertEquals(204, fx.graph("DELETE", "/v1.0/communications/calls/" + callId, null).status());
    JsonObject r = awaitRecord(chainId(callId), "");
    assertEquals("groupCall", r.getString("type"));
    assertEquals("https://teams.microsoft.com/l/meetup-join/" + thread.replace(":", "%3A").replace("@", "%40") + "/0",
        r.getString("joinWebUrl"));
    assertEquals(ADELE, r.getJsonObject("organizer").getJsonObject("user").getString("id"));
  }

  @Test
  void sixtySessionsComeInPagesWithNextLinks() {
    String id = createRecord(new JsonObject().put("sessions", 60));
    JsonObject first = fx.graph("GET", RECORDS + id + "?$expand=sessions($expand=segments)", null).json();
    List<JsonObject> sessions = new ArrayList<>();
    first.getJsonArray("sessions").forEach(s -> sessions.add((JsonObject) s));
    assertEquals(20, sessions.size());
    String next = first.getString("sessions@odata.nextLink");
    assertNotNull(next, "60 sessions do not fit one page");
    int pages = 1;
    while (next != null) {
      EmulatorFixture.Response r = fx.getAbsolute(next, "Bearer " + fx.token());
      assertEquals(200, r.status(), r.body());
      r.json().getJsonArray("value").forEach(s -> sessions.add((JsonObject) s));
      next = r.json().getString("@odata.nextLink");
      pages++;
    }
    assertEquals(3, pages);
    assertEquals(60, sessions.size());
    Set<String> ids = new HashSet<>();
    sessions.forEach(s -> {
      ids.add(s.getString("id"));
      assertEquals(1, s.getJsonArray("segments").size(), "segments expanded on every page");
    });
    assertEquals(60, ids.size(), "no session twice");

    JsonObject plain = fx.graph("GET", RECORDS + id + "/sessions", null).json();
    assertEquals(20, plain.getJsonArray("value").size());
    assertFalse(plain.getJsonArray("value").getJsonObject(0).containsKey("segments"));
    assertTrue(plain.getString("@odata.nextLink").endsWith("/sessions?$skiptoken=20"));
    assertEquals(400, fx.graph("GET", RECORDS + id + "/sessions?$skiptoken=abc", null).status());
  }

  @Test
  void pstnCallsForARangeComeAThousandRowsAPage() {
    LocalDate today = LocalDate.ofInstant(fx.emulator.clock().instant(), ZoneOffset.UTC);
    JsonObject many = fx.control("POST", "/emulator/callRecords", new JsonObject()
        .put("participants", new JsonArray().add("+14255550123")).put("count", 1001)).json();
    assertEquals(1001, many.getJsonArray("value").size());
    createRecord(new JsonObject().put("participants", new JsonArray().add("+14255550124")).put("directRouting", true));
    createRecord(new JsonObject().put("participants", new JsonArray().add(ADELE))); // no PSTN leg

    String range = "(fromDateTime=" + today.minusDays(1) + ",toDateTime=" + today.plusDays(1) + ")";
    JsonObject page1 = fx.graph("GET", RECORDS + "getPstnCalls" + range, null).json();
    assertEquals(1001, page1.getInteger("@odata.count"));
    assertEquals(1000, page1.getJsonArray("value").size());
    JsonObject row = page1.getJsonArray("value").getJsonObject(0);
    assertEquals("ucap_in", row.getString("callType"));
    assertEquals("+14255550123", row.getString("callerNumber"));
    String next = page1.getString("@odata.nextLink");
    assertTrue(next.endsWith("?$skip=1000"), next);
    JsonObject page2 = fx.getAbsolute(next, "Bearer " + fx.token()).json();
    assertEquals(1, page2.getJsonArray("value").size());
    assertNull(page2.getValue("@odata.nextLink"));

    JsonObject earlier = fx.graph("GET", RECORDS + "getPstnCalls(fromDateTime=" + today.minusDays(30)
        + ",toDateTime=" + today.minusDays(2) + ")", null).json();
    assertEquals(0, earlier.getInteger("@odata.count"));

    JsonObject direct = fx.graph("GET", RECORDS + "getDirectRoutingCalls" + range, null).json();
    assertEquals(1, direct.getJsonArray("value").size());
    assertEquals("+14255550124", direct.getJsonArray("value").getJsonObject(0).getString("callerNumber"));
  }

  @Test
  void aRangeBeyondNinetyDaysIsRefused() {
    EmulatorFixture.Response r = fx.graph("GET",
        RECORDS + "getPstnCalls(fromDateTime=2019-11-01,toDateTime=2020-01-31)", null);
    assertEquals(400, r.status(), r.body());
    assertTrue(r.json().getJsonObject("error").getString("message").contains("cannot exceed 90 days"), r.body());
    assertEquals(400, fx.graph("GET", RECORDS + "getDirectRoutingCalls(fromDateTime=2019-11-01,toDateTime=2020-01-31)",
        null).status());
    assertEquals(200, fx.graph("GET", RECORDS + "getPstnCalls(fromDateTime=2019-11-01,toDateTime=2020-01-30)", null).status());
    assertEquals(200, fx.graph("GET", RECORDS
        + "getPstnCalls(fromDateTime=2019-11-01T00:00:00Z,toDateTime=2019-11-02T00:00:00Z)", null).status());
    assertEquals(400, fx.graph("GET", RECORDS + "getPstnCalls(fromDateTime=yesterday,toDateTime=2020-01-01)", null).status());
    assertEquals(400, fx.graph("GET", RECORDS + "getPstnCalls(fromDateTime=2019-11-01)", null).status());
    assertEquals(400, fx.graph("GET", RECORDS + "getPstnCalls(fromDateTime=2019-12-01,toDateTime=2019-11-01)", null).status());
  }

  @Test
  void unknownRecordsAre404() {
    for (String path : List.of(RECORDS + "6f2c1f4e-0000-0000-0000-000000000000",
        RECORDS + "6f2c1f4e-0000-0000-0000-000000000000/sessions",
        RECORDS + "6f2c1f4e-0000-0000-0000-000000000000?$expand=sessions($expand=segments)")) {
      EmulatorFixture.Response r = fx.graph("GET", path, null);
      assertEquals(404, r.status(), path + ": " + r.body());
      assertEquals("itemNotFound", r.json().getJsonObject("error").getString("code"));
      assertNotNull(r.json().getJsonObject("error").getJsonObject("innerError").getString("request-id"));
    }
    assertEquals(404, fx.control("POST", "/emulator/callRecords/nope/update", new JsonObject()).status());
  }

  @Test
  void anUpdateRaisesTheVersionAndSendsUpdated() {
    JsonObject sub = fx.subscribe(fx.subscription("/communications/callRecords", "created,updated",
        hook.url("/notifications"), Duration.ofHours(1)));
    int m = hook.mark();
    String id = createRecord(new JsonObject().put("participants", new JsonArray().add(ADELE).add(ALEX)));
    Predicate<WebhookReceiver.Received> mine = WebhookReceiver.about(sub.getString("id"));
    assertEquals("created", hook.await(m, mine, 3000).notification().getString("changeType"));
    JsonObject before = fx.graph("GET", RECORDS + id, null).json();
    EmulatorFixture.sleep(50);

    int m2 = hook.mark();
    JsonObject after = fx.control("POST", "/emulator/callRecords/" + id + "/update",
        new JsonObject().put("network", new JsonObject().put("roundTripMs", 800))).json();
    assertEquals(2L, after.getLong("version"));
    JsonObject n = hook.await(m2, mine, 3000).notification();
    assertEquals("updated", n.getString("changeType"));
    assertEquals("communications/callRecords/" + id, n.getString("resource"));

    JsonObject r = fx.graph("GET", RECORDS + id + "?$expand=sessions($expand=segments)", null).json();
    assertEquals(2L, r.getLong("version"));
    assertNotEquals(before.getString("lastModifiedDateTime"), r.getString("lastModifiedDateTime"));
    streams(r).forEach(s -> assertEquals("PT0.8S", s.getString("averageRoundTripTime")));
  }

  @Test
  void readingRecordsNeedsCallRecordsReadAll() {
    String id = createRecord(new JsonObject());
    assertEquals(200, fx.control("POST", "/emulator/roles/revoke",
        new JsonObject().put("roles", new JsonArray().add("CallRecords.Read.All"))).status());
    fx.forgetToken();
    for (String path : List.of(RECORDS + id, RECORDS + id + "/sessions",
        RECORDS + "getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01)")) {
      EmulatorFixture.Response r = fx.graph("GET", path, null);
      assertEquals(403, r.status(), path + ": " + r.body());
      assertTrue(r.json().getJsonObject("error").getString("message").contains("'CallRecords.Read.All'"), r.body());
    }
  }

  @Test
  void theControlApiListsRecords() {
    String id = createRecord(new JsonObject().put("sessions", 3).put("network", new JsonObject().put("jitterMs", 50)));
    JsonArray all = fx.control("GET", "/emulator/callRecords", null).json().getJsonArray("value");
    assertEquals(1, all.size());
    JsonObject r = all.getJsonObject(0);
    assertEquals(id, r.getString("id"));
    assertEquals("groupCall", r.getString("type"));
    assertEquals(3, r.getInteger("sessionCount"));
    assertEquals(50.0, r.getJsonArray("sessions").getJsonObject(0).getJsonObject("network").getDouble("jitterMs"));
    assertTrue(r.getBoolean("available"));
    assertEquals(400, fx.control("POST", "/emulator/callRecords", new JsonObject().put("sessions", 0)).status());
    assertEquals(400, fx.control("POST", "/emulator/callRecords", new JsonObject().put("type", "conference")).status());
    assertEquals(404, fx.control("POST", "/emulator/callRecords",
        new JsonObject().put("participants", new JsonArray().add("nobody"))).status());
  }

  @Test
  void aRecordCanBeMadeToAnswerAMalformedBody() {
    String truncated = createRecord(new JsonObject().put("malformed", "truncated"));
    EmulatorFixture.Response cut = fx.graph("GET", RECORDS + truncated + "?$expand=sessions($expand=segments)", null);
    assertEquals(200, cut.status());
    assertTrue(cut.body().contains("\"id\":\"" + truncated + "\""), cut.body());
    assertThrows(io.vertx.core.json.DecodeException.class, cut::json, "cut in the middle: " + cut.body());
    assertEquals("truncated", fx.control("GET", "/emulator/callRecords/" + truncated, null).json()
        .getString("malformed"));

    String typed = createRecord(new JsonObject());
    JsonObject set = fx.control("POST", "/emulator/callRecords/" + typed + "/malformed",
        new JsonObject().put("malformed", "wrongTypes")).json();
    assertEquals("wrongTypes", set.getString("malformed"));
    JsonObject wrong = fx.graph("GET", RECORDS + typed + "?$expand=sessions($expand=segments)", null).json();
    assertEquals("1", wrong.getValue("version"));
    assertTrue(wrong.getValue("startDateTime") instanceof Number, wrong.encode());
    assertTrue(wrong.getValue("sessions") instanceof String, wrong.encode());

    fx.control("POST", "/emulator/callRecords/" + typed + "/malformed", new JsonObject().putNull("malformed"));
    assertEquals(1L, fx.graph("GET", RECORDS + typed, null).json().getLong("version"), "served as it is again");
    EmulatorFixture.Response bad = fx.control("POST", "/emulator/callRecords/" + typed + "/malformed",
        new JsonObject().put("malformed", "garbled"));
    assertEquals(400, bad.status());
    assertTrue(bad.body().contains("truncated, wrongTypes"), bad.body());
    assertEquals(404, fx.control("POST", "/emulator/callRecords/nope/malformed",
        new JsonObject().put("malformed", "truncated")).status());
  }

  // ---------------------------------------------------------------- helpers

  private static String createRecord(JsonObject body) {
    EmulatorFixture.Response r = fx.control("POST", "/emulator/callRecords", body);
    assertEquals(201, r.status(), r.body());
    return r.json().getString("id");
  }

  private static String chainId(String callId) {
    return fx.control("GET", "/emulator/calls/" + callId, null).json().getString("callChainId");
  }

  private static void advance(Duration emulated) {
    fx.advance(emulated.toMillis() / 1000.0);
  }

  /** Waits until the emulator knows the ended call's record is coming (the call's end is handled). */
  private static void awaitPending(String id) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (fx.control("GET", "/emulator/callRecords/" + id, null).status() != 200) {
      assertTrue(System.currentTimeMillis() < deadline, "the emulator never listed the record " + id);
      EmulatorFixture.sleep(20);
    }
  }

  /** Waits for the ended call's record to be pending, moves the clock past the delay, and returns the record. */
  private static JsonObject awaitRecord(String id, String query) {
    awaitPending(id);
    advance(DELAY);
    EmulatorFixture.Response r = fx.graph("GET", RECORDS + id + query, null);
    assertEquals(200, r.status(), "record " + id + " not served once the delay passed: " + r.body());
    return r.json();
  }

  private static List<JsonObject> streams(JsonObject record) {
    List<JsonObject> out = new ArrayList<>();
    record.getJsonArray("sessions").forEach(s -> out.addAll(streams(((JsonObject) s).getJsonArray("segments"))));
    return out;
  }

  private static List<JsonObject> streams(JsonArray segments) {
    List<JsonObject> out = new ArrayList<>();
    for (Object seg : segments) {
      for (Object media : ((JsonObject) seg).getJsonArray("media")) {
        ((JsonObject) media).getJsonArray("streams").forEach(s -> out.add((JsonObject) s));
      }
    }
    return out;
  }

  /** The Call Quality Dashboard's poor-stream rule (issue 13, item 3). */
  private static boolean cqdPoor(JsonObject s) {
    return s.getLong("packetUtilization") > 500
        && (seconds(s.getString("averageRoundTripTime")) > 0.5 || s.getDouble("averagePacketLossRate") > 0.1
            || seconds(s.getString("averageJitter")) > 0.03);
  }

  private static double seconds(String isoDuration) {
    return Duration.parse(isoDuration).toNanos() / 1e9;
  }
}
