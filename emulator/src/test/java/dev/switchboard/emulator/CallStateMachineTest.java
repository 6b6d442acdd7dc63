package dev.switchboard.emulator;

import static dev.switchboard.emulator.EmulatorFixture.callState;
import static dev.switchboard.emulator.EmulatorFixture.roster;
import static dev.switchboard.emulator.EmulatorFixture.serviceHosted;
import static dev.switchboard.emulator.EmulatorFixture.userTarget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The call state machine: transitions, their notifications and result codes, and illegal transitions. */
class CallStateMachineTest {

  private static final String ADELE = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01";
  private static final String CALLS = "/v1.0/communications/calls/";
  /**
   * Graph's clock speed here: the test acts as the bot, so Graph's 15 s answer window must leave it time on a loaded
   * machine (3 s real; at 50 it was 0.3 s, and a busy CI machine's reject came after the call was gone).
   */
  private static final int SPEED = 5;
  private static EmulatorFixture fx;

  @BeforeAll
  static void start() {
    fx = new EmulatorFixture(SPEED);
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @AfterEach
  void reset() {
    fx.reset();
  }

  private static JsonObject answerBody(JsonObject mediaConfig) {
    return new JsonObject().put("acceptedModalities", new JsonArray().add("audio")).put("mediaConfig", mediaConfig);
  }

  private static int code(EmulatorFixture.Received r) {
    return r.notification().getJsonObject("resourceData").getJsonObject("resultInfo").getInteger("code");
  }

  private static int subcode(EmulatorFixture.Received r) {
    return r.notification().getJsonObject("resourceData").getJsonObject("resultInfo").getInteger("subcode");
  }

  @Test
  void outgoingCallEstablishesThenHangUpTerminatesWithEndedByTheBot() {
    int m = fx.mark();
    EmulatorFixture.Response created = fx.graph("POST", CALLS, new JsonObject()
        .put("callbackUri", fx.botUrl).put("targets", new JsonArray().add(userTarget(ADELE)))
        .put("requestedModalities", new JsonArray().add("audio")).put("mediaConfig", serviceHosted()));
    assertEquals(201, created.status());
    String id = created.json().getString("id");
    assertEquals(fx.emulator.baseUrl() + CALLS + id, created.header("Location"));
    assertEquals("establishing", created.json().getString("state"));
    assertEquals("outgoing", created.json().getString("direction"));

    fx.await(m, callState(id, "establishing"));
    fx.await(m, callState(id, "established"));
    fx.await(m, roster(id, a -> a.size() == 2));
    assertEquals("established", fx.graph("GET", CALLS + id, null).json().getString("state"));

    assertEquals(204, fx.graph("DELETE", CALLS + id, null).status());
    fx.await(m, callState(id, "terminating"));
    EmulatorFixture.Received end = fx.await(m, callState(id, "terminated"));
    assertEquals("deleted", end.notification().getString("changeType"));
    assertEquals(200, code(end));
    assertEquals(7000, subcode(end));
    assertEquals(404, fx.graph("GET", CALLS + id, null).status());
  }

  @Test
  void incomingCallNotAnsweredWithin15EmulatedSecondsIsTerminated() {
    int m = fx.mark();
    long start = System.nanoTime();
    String id = fx.control("POST", "/emulator/calls/incoming", new JsonObject().put("from", ADELE)).json().getString("id");
    EmulatorFixture.Received created = fx.await(m, n -> n.getString("changeType").equals("created"));
    JsonObject call = created.notification().getJsonObject("resourceData");
    assertEquals("incoming", call.getString("state"));
    assertEquals(ADELE, call.getJsonObject("source").getJsonObject("identity").getJsonObject("user").getString("id"));
    assertEquals(EmulatorOptions.DEFAULT_CLIENT_ID,
        call.getJsonArray("targets").getJsonObject(0).getJsonObject("identity").getJsonObject("application").getString("id"));

    EmulatorFixture.Received end = fx.await(m, callState(id, "terminated"));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(elapsedMs >= 15_000 / SPEED - 20, "terminated after " + elapsedMs + " ms, before the 15 s window at speed "
        + SPEED);
    assertEquals(408, code(end));
    assertEquals(404, fx.graph("POST", CALLS + id + "/answer", answerBody(serviceHosted())).status(),
        "answering after the window: the call is gone");
  }

  @Test
  void answeringAnEstablishedCallIs409AndReject404OnceEnded() {
    String id = fx.answeredIncomingCall(new JsonObject().put("from", "+14255550177"));
    EmulatorFixture.Response again = fx.graph("POST", CALLS + id + "/answer", answerBody(serviceHosted()));
    assertEquals(409, again.status());
    assertEquals("notAllowed", again.json().getJsonObject("error").getString("code"));
    assertTrue(again.json().getJsonObject("error").getString("message").contains("established"));
    assertEquals(409, fx.graph("POST", CALLS + id + "/reject", new JsonObject().put("reason", "busy")).status());
    assertEquals(409, fx.graph("POST", CALLS + id + "/redirect", new JsonObject()
        .put("targets", new JsonArray().add(userTarget(ADELE)))).status());

    int m = fx.mark();
    assertEquals(202, fx.control("POST", "/emulator/calls/" + id + "/hangup", null).status());
    EmulatorFixture.Received end = fx.await(m, callState(id, "terminated"));
    assertEquals(540000, subcode(end), "a PSTN caller hung up");
    EmulatorFixture.Response gone = fx.graph("POST", CALLS + id + "/transfer", new JsonObject()
        .put("transferTarget", userTarget(ADELE)));
    assertEquals(404, gone.status(), "transfer a terminated call");
    assertEquals("itemNotFound", gone.json().getJsonObject("error").getString("code"));
    assertEquals(404, fx.graph("POST", CALLS + id + "/keepAlive", null).status());
  }

  @Test
  void playPromptOnAnAppHostedMediaCallIsNotSupported() {
    String id = fx.establishedOutgoingCall(ADELE, new JsonObject()
        .put("@odata.type", "#microsoft.graph.appHostedMediaConfig").put("blob", "<media session>"));
    EmulatorFixture.Response r = fx.graph("POST", CALLS + id + "/playPrompt", new JsonObject().put("prompts", new JsonArray()
        .add(new JsonObject().put("mediaInfo", new JsonObject().put("uri", fx.promptBase + "ok.wav")))));
    assertEquals(400, r.status());
    assertEquals("notSupported", r.json().getJsonObject("error").getString("code"));
    assertEquals(400, fx.graph("POST", CALLS + id + "/subscribeToTone", new JsonObject()).status());
  }

  @Test
  void rejectAndRedirectEndTheIncomingCall() {
    int m = fx.mark();
    String a = fx.control("POST", "/emulator/calls/incoming", new JsonObject().put("from", ADELE)).json().getString("id");
    assertEquals(202, fx.graph("POST", CALLS + a + "/reject", new JsonObject().put("reason", "busy")).status());
    fx.await(m, n -> n.getString("changeType").equals("deleted") && n.getString("resourceUrl").endsWith(a));
    String c = fx.control("POST", "/emulator/calls/incoming", new JsonObject().put("from", ADELE)).json().getString("id");
    assertEquals(400, fx.graph("POST", CALLS + c + "/reject", new JsonObject().put("reason", "maybe")).status());

    String b = fx.control("POST", "/emulator/calls/incoming", new JsonObject().put("from", ADELE)).json().getString("id");
    assertEquals(202, fx.graph("POST", CALLS + b + "/redirect", new JsonObject()
        .put("targets", new JsonArray().add(userTarget("98da8a1a-1b87-452c-a713-65d3f10b1253")))
        .put("timeout", 30)).status());
    EmulatorFixture.Received end = fx.await(m, callState(b, "terminated"));
    assertEquals("incoming", end.notification().getJsonObject("resourceData").getString("direction"));
    assertEquals(400, fx.graph("POST", CALLS + fx.control("POST", "/emulator/calls/incoming",
        new JsonObject().put("from", ADELE)).json().getString("id") + "/redirect", new JsonObject()
        .put("targets", new JsonArray().add(userTarget(ADELE))).put("timeout", 5)).status(), "timeout below 15 s");
  }

  @Test
  void blindTransferCompletesAndATransferToSomeoneWhoDeclinesFails() {
    int m = fx.mark();
    String id = fx.establishedOutgoingCall(ADELE, serviceHosted());
    assertEquals(202, fx.graph("POST", CALLS + id + "/transfer", new JsonObject()
        .put("transferTarget", userTarget("550fae72-d251-43ec-868c-373732c2704f"))).status());
    fx.await(m, callState(id, "transferring"));
    fx.await(m, callState(id, "transferAccepted"));
    EmulatorFixture.Received done = fx.await(m, callState(id, "terminated"));
    assertEquals(0, code(done));
    assertEquals(7015, subcode(done));

    String decliner = fx.user(new JsonObject().put("answer", "decline").put("answerAfterMs", 500));
    m = fx.mark();
    String other = fx.establishedOutgoingCall(ADELE, serviceHosted());
    fx.graph("POST", CALLS + other + "/transfer", new JsonObject().put("transferTarget", userTarget(decliner)));
    EmulatorFixture.Received failed = fx.await(m, n -> n.getString("resourceUrl").endsWith(other)
        && n.getJsonObject("resourceData").getJsonObject("resultInfo") != null
        && "established".equals(n.getJsonObject("resourceData").getString("state")));
    assertEquals(500, code(failed));
    assertEquals(7000, subcode(failed));
    assertEquals("established", fx.graph("GET", CALLS + other, null).json().getString("state"));
  }

  @Test
  void consultativeTransferEndsTheReplacedCallToo() {
    int m = fx.mark();
    String caller = fx.answeredIncomingCall(new JsonObject().put("from", ADELE));
    String consult = fx.establishedOutgoingCall("6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e02", serviceHosted());
    JsonObject target = userTarget("6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e02").put("replacesCallId", consult);
    assertEquals(202, fx.graph("POST", CALLS + caller + "/transfer", new JsonObject().put("transferTarget", target)).status());
    EmulatorFixture.Received done = fx.await(m, callState(caller, "terminated"));
    assertEquals("AppTransferred", done.notification().getJsonObject("resourceData").getString("terminationReason"));
    fx.await(m, callState(consult, "terminated"));
    assertEquals(404, fx.graph("GET", CALLS + consult, null).status());
  }

  @Test
  void calleeBehaviorsDecideTheOutcome() {
    String decliner = fx.user(new JsonObject().put("answer", "decline").put("answerAfterMs", 200));
    int m = fx.mark();
    String id = fx.graph("POST", CALLS, new JsonObject().put("callbackUri", fx.botUrl)
        .put("targets", new JsonArray().add(userTarget(decliner))).put("requestedModalities", new JsonArray().add("audio"))
        .put("mediaConfig", serviceHosted())).json().getString("id");
    assertEquals(603, code(fx.await(m, callState(id, "terminated"))));

    String hangsUp = fx.user(new JsonObject().put("hangUpAfterMs", 1000));
    m = fx.mark();
    String call = fx.establishedOutgoingCall(hangsUp, serviceHosted());
    EmulatorFixture.Received end = fx.await(m, callState(call, "terminated"));
    assertEquals(200, code(end));
    assertEquals(4521, subcode(end));
  }

  @Test
  void keepAliveIsAcceptedOnALiveCall() {
    String id = fx.establishedOutgoingCall(ADELE, serviceHosted());
    EmulatorFixture.Response r = fx.graph("POST", CALLS + id + "/keepAlive", null);
    assertEquals(200, r.status());
    assertTrue(r.body().isEmpty());
  }

  @Test
  void aCallWithoutKeepAliveFor45EmulatedMinutesIsTerminated408_8537() {
    try (EmulatorFixture fast = new EmulatorFixture(20_000)) { // 45 min = 135 ms
      int m = fast.mark();
      String id = fast.establishedOutgoingCall(ADELE, serviceHosted());
      EmulatorFixture.Received end = fast.await(m, callState(id, "terminated"));
      JsonObject result = end.notification().getJsonObject("resourceData").getJsonObject("resultInfo");
      assertEquals(408, result.getInteger("code"));
      assertEquals(8537, result.getInteger("subcode"));
    }
  }

  @Test
  void invalidCreateRequestsAre400WithAnActionableMessage() {
    EmulatorFixture.Response noTargets = fx.graph("POST", CALLS, new JsonObject().put("callbackUri", fx.botUrl)
        .put("requestedModalities", new JsonArray().add("audio")).put("mediaConfig", serviceHosted()));
    assertEquals(400, noTargets.status());
    assertTrue(noTargets.json().getJsonObject("error").getString("message").contains("targets"));
    EmulatorFixture.Response pstn = fx.graph("POST", CALLS, new JsonObject().put("callbackUri", fx.botUrl)
        .put("targets", new JsonArray().add(new JsonObject().put("identity",
            new JsonObject().put("phone", new JsonObject().put("id", "+12345678901")))))
        .put("requestedModalities", new JsonArray().add("audio")).put("mediaConfig", serviceHosted()));
    assertEquals(400, pstn.status());
    assertTrue(pstn.json().getJsonObject("error").getString("message").contains("applicationInstance"));
    assertEquals(400, fx.graph("POST", CALLS, "{not json").status());
    EmulatorFixture.Response unknownSegment = fx.graph("GET", "/v1.0/communications/nothing", null);
    assertEquals(400, unknownSegment.status());
    assertNull(unknownSegment.json().getJsonObject("error").getValue("stack"));
  }
}
