package dev.switchboard.emulator;

import static dev.switchboard.emulator.EmulatorFixture.callState;
import static dev.switchboard.emulator.EmulatorFixture.operation;
import static dev.switchboard.emulator.EmulatorFixture.roster;
import static dev.switchboard.emulator.EmulatorFixture.serviceHosted;
import static dev.switchboard.emulator.EmulatorFixture.userTarget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Participants: list, get, invite (with replacesCallId), mute, remove, hold music, self mute. */
class ParticipantsTest {

  private static final String ADELE = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01";
  private static final String ALEX = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e02";
  private static final String MEGAN = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e03";
  private static final String CALLS = "/v1.0/communications/calls/";
  private static EmulatorFixture fx;

  @BeforeAll
  static void start() {
    fx = new EmulatorFixture(50);
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @AfterEach
  void reset() {
    fx.reset();
  }

  private static boolean hasUser(JsonArray roster, String userId) {
    return roster.stream().map(JsonObject.class::cast).anyMatch(p -> {
      JsonObject user = p.getJsonObject("info").getJsonObject("identity").getJsonObject("user");
      return user != null && userId.equals(user.getString("id"));
    });
  }

  private static String participantOf(JsonObject list, String userId) {
    return list.getJsonArray("value").stream().map(JsonObject.class::cast)
        .filter(p -> hasUser(new JsonArray().add(p), userId)).findFirst().orElseThrow().getString("id");
  }

  @Test
  void listAndGetShowTheRemotePartyAndTheBot() {
    String id = fx.establishedOutgoingCall(ADELE, serviceHosted());
    JsonObject list = fx.graph("GET", CALLS + id + "/participants", null).json();
    assertEquals(2, list.getJsonArray("value").size());
    String pid = participantOf(list, ADELE);
    JsonObject one = fx.graph("GET", CALLS + id + "/participants/" + pid, null).json();
    assertEquals("#microsoft.graph.participant", one.getString("@odata.type"));
    assertEquals(false, one.getBoolean("isMuted"));
    assertEquals("audio", one.getJsonArray("mediaStreams").getJsonObject(0).getString("mediaType"));
    assertEquals(404, fx.graph("GET", CALLS + id + "/participants/nobody", null).status());
  }

  @Test
  void inviteRingsTheInviteeThenReportsTheOperationAndTheFullRoster() {
    int m = fx.mark();
    String group = fx.establishedOutgoingCall(ADELE, serviceHosted());
    String p2p = fx.establishedOutgoingCall(MEGAN, serviceHosted());
    EmulatorFixture.Response r = fx.graph("POST", CALLS + group + "/participants/invite", new JsonObject()
        .put("participants", new JsonArray()
            .add(userTarget(ALEX))
            .add(userTarget(MEGAN).put("replacesCallId", p2p)))
        .put("clientContext", "inv"));
    assertEquals(200, r.status(), r.body());
    assertEquals("#microsoft.graph.inviteParticipantsOperation", r.json().getString("@odata.type"));
    assertEquals("running", r.json().getString("status"));
    assertEquals(2, r.json().getJsonArray("participants").size());
    assertNotNull(r.header("Location"));

    JsonObject done = fx.await(m, operation(group, r.json().getString("id"))).notification().getJsonObject("resourceData");
    assertEquals("completed", done.getString("status"));
    fx.await(m, roster(group, a -> a.size() == 4 && hasUser(a, ALEX) && hasUser(a, MEGAN) && hasUser(a, ADELE)));
    fx.await(m, callState(p2p, "terminated"));
  }

  @Test
  void anInviteeWhoDeclinesFailsTheOperation() {
    String decliner = fx.user(new JsonObject().put("answer", "decline"));
    int m = fx.mark();
    String id = fx.establishedOutgoingCall(ADELE, serviceHosted());
    String op = fx.graph("POST", CALLS + id + "/participants/invite", new JsonObject()
        .put("participants", new JsonArray().add(userTarget(decliner)))).json().getString("id");
    JsonObject done = fx.await(m, operation(id, op)).notification().getJsonObject("resourceData");
    assertEquals("failed", done.getString("status"));
    assertEquals(603, done.getJsonObject("resultInfo").getInteger("code"));
  }

  @Test
  void muteAndSelfMuteAreReflectedInTheRoster() {
    String id = fx.establishedOutgoingCall(ADELE, serviceHosted());
    String pid = participantOf(fx.graph("GET", CALLS + id + "/participants", null).json(), ADELE);
    int m = fx.mark();
    EmulatorFixture.Response mute = fx.graph("POST", CALLS + id + "/participants/" + pid + "/mute",
        new JsonObject().put("clientContext", "m"));
    assertEquals(200, mute.status());
    assertEquals("#microsoft.graph.muteParticipantOperation", mute.json().getString("@odata.type"));
    assertEquals("completed", mute.json().getString("status"));
    fx.await(m, roster(id, a -> a.stream().map(JsonObject.class::cast)
        .anyMatch(p -> p.getString("id").equals(pid) && p.getBoolean("isMuted"))));

    String botId = fx.graph("GET", CALLS + id, null).json().getString("myParticipantId");
    EmulatorFixture.Response self = fx.graph("POST", CALLS + id + "/mute", new JsonObject());
    assertEquals(200, self.status());
    assertNotNull(self.header("Location"));
    fx.await(m, roster(id, a -> a.stream().map(JsonObject.class::cast)
        .anyMatch(p -> p.getString("id").equals(botId) && p.getBoolean("isMuted"))));
    assertEquals("#microsoft.graph.unmuteParticipantOperation",
        fx.graph("POST", CALLS + id + "/unmute", new JsonObject()).json().getString("@odata.type"));
  }

  @Test
  void removingTheOnlyOtherParticipantEndsTheCall() {
    int m = fx.mark();
    String id = fx.establishedOutgoingCall(ADELE, serviceHosted());
    String pid = participantOf(fx.graph("GET", CALLS + id + "/participants", null).json(), ADELE);
    assertEquals(204, fx.graph("DELETE", CALLS + id + "/participants/" + pid, null).status());
    fx.await(m, roster(id, a -> a.size() == 1));
    EmulatorFixture.Received end = fx.await(m, callState(id, "terminated"));
    assertEquals(5010, end.notification().getJsonObject("resourceData").getJsonObject("resultInfo").getInteger("subcode"));
  }

  @Test
  void holdMusicIsAnOperationAndOnlyOneParticipantCanBeOnHold() {
    fx.prompts.put("hold.wav", dev.switchboard.emulator.media.WavSynth.toneThenSilence(1, 0));
    int m = fx.mark();
    String id = fx.establishedOutgoingCall(ADELE, serviceHosted());
    fx.graph("POST", CALLS + id + "/participants/invite", new JsonObject()
        .put("participants", new JsonArray().add(userTarget(ALEX))));
    fx.await(m, roster(id, a -> a.size() == 3));
    JsonObject list = fx.graph("GET", CALLS + id + "/participants", null).json();
    String adele = participantOf(list, ADELE);
    String alex = participantOf(list, ALEX);

    EmulatorFixture.Response start = fx.graph("POST", CALLS + id + "/participants/" + adele + "/startHoldMusic",
        new JsonObject().put("customPrompt", new JsonObject().put("mediaInfo", new JsonObject().put("uri", fx.promptBase + "hold.wav"))));
    assertEquals(202, start.status(), start.body());
    assertEquals("#microsoft.graph.startHoldMusicOperation", start.json().getString("@odata.type"));
    assertTrue(start.header("Location").endsWith("/operations/" + start.json().getString("id")));
    assertEquals("completed", fx.await(m, operation(id, start.json().getString("id"))).notification()
        .getJsonObject("resourceData").getString("status"));

    EmulatorFixture.Response second = fx.graph("POST", CALLS + id + "/participants/" + alex + "/startHoldMusic", new JsonObject());
    assertEquals(409, second.status());
    EmulatorFixture.Response stop = fx.graph("POST", CALLS + id + "/participants/" + adele + "/stopHoldMusic", new JsonObject());
    assertEquals(202, stop.status());
    fx.await(m, operation(id, stop.json().getString("id")));
    assertEquals(202, fx.graph("POST", CALLS + id + "/participants/" + alex + "/startHoldMusic", new JsonObject()).status());
  }
}
