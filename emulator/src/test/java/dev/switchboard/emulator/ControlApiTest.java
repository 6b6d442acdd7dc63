package dev.switchboard.emulator;

import static dev.switchboard.emulator.EmulatorFixture.callState;
import static dev.switchboard.emulator.EmulatorFixture.serviceHosted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The control API: bad input, users, faults (requests and notifications), the request journal, reset, config. */
class ControlApiTest {

  private static final String ADELE = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01";
  private static EmulatorFixture fx;

  @BeforeAll
  static void start() {
    fx = new EmulatorFixture(5);
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @AfterEach
  void reset() {
    fx.reset();
  }

  private static JsonObject error(EmulatorFixture.Response r) {
    JsonObject e = r.json().getJsonObject("error");
    assertNotNull(e, r.body());
    assertNotNull(e.getString("code"));
    assertNotNull(e.getString("message"));
    assertNotNull(e.getJsonObject("innerError").getString("request-id"));
    assertNotNull(e.getJsonObject("innerError").getString("date"));
    assertTrue(!r.body().contains("Exception") && !r.body().contains("\tat "), r.body());
    return e;
  }

  @Test
  void badInputGetsGraphErrorJsonNeverAStackTrace() {
    EmulatorFixture.Response malformed = fx.control("POST", "/emulator/calls/incoming", "{\"from\": ");
    assertEquals(400, malformed.status());
    assertEquals("invalidRequest", error(malformed).getString("code"));

    EmulatorFixture.Response notObject = fx.control("POST", "/emulator/users", "[1,2]");
    assertEquals(400, notObject.status());
    error(notObject);

    EmulatorFixture.Response unknown = fx.control("POST", "/emulator/calls/incoming", new JsonObject().put("from", "nobody"));
    assertEquals(404, unknown.status());
    JsonObject e = error(unknown);
    assertEquals("itemNotFound", e.getString("code"));
    assertTrue(e.getString("message").contains("POST /emulator/users"), e.getString("message"));

    assertEquals(400, fx.control("POST", "/emulator/calls/incoming", new JsonObject()).status());
    EmulatorFixture.Response badBehavior = fx.control("POST", "/emulator/users", new JsonObject()
        .put("displayName", "X").put("behavior", new JsonObject().put("answer", "sometimes")));
    assertEquals(400, badBehavior.status());
    assertTrue(error(badBehavior).getString("message").contains("accept, decline, noAnswer"));
    assertEquals(400, fx.control("POST", "/emulator/users", new JsonObject().put("behavior",
        new JsonObject().put("answerAfter", 3))).status());
    assertEquals(400, fx.control("POST", "/emulator/users", new JsonObject().put("phone", "0123")).status());
    assertEquals(404, fx.control("POST", "/emulator/calls/nope/tones", new JsonObject().put("tones", "1")).status());
    assertEquals(404, fx.control("POST", "/emulator/calls/nope/hangup", null).status());
    assertEquals(404, fx.control("GET", "/emulator/nothing-here", null).status());
    assertEquals(400, fx.control("POST", "/emulator/faults", new JsonObject().put("type", "explode")).status());
    assertEquals(400, fx.control("GET", "/emulator/requests?since=abc", null).status());
  }

  @Test
  void usersCanBeRegisteredListedAndRemovedAndResetRestoresTheSeededOnes() {
    EmulatorFixture.Response created = fx.control("POST", "/emulator/users", new JsonObject()
        .put("id", "u-1").put("displayName", "Pat").put("phone", "+14255550999")
        .put("behavior", new JsonObject().put("answerAfterMs", 10).put("pressKeys",
            new JsonArray().add(new JsonObject().put("atMs", 100).put("tones", "42")))));
    assertEquals(201, created.status(), created.body());
    assertEquals(List.of("tone4", "tone2"), created.json().getJsonObject("behavior").getJsonArray("pressKeys")
        .getJsonObject(0).getJsonArray("tones").getList());
    assertEquals("Pat", fx.control("GET", "/emulator/users/u-1", null).json().getString("displayName"));
    assertEquals("Pat", fx.control("GET", "/emulator/users/+14255550999", null).json().getString("displayName"));
    assertEquals(4, fx.control("GET", "/emulator/users", null).json().getJsonArray("value").size());
    assertEquals(204, fx.control("DELETE", "/emulator/users/u-1", null).status());
    assertEquals(404, fx.control("GET", "/emulator/users/u-1", null).status());
    fx.control("POST", "/emulator/users", new JsonObject().put("id", "u-2"));
    fx.reset();
    assertEquals(3, fx.control("GET", "/emulator/users", null).json().getJsonArray("value").size());
  }

  @Test
  void throttleFaultsAnswer429WithRetryAfterAndGraphsThrottlingBodyForCountRequests() {
    EmulatorFixture.Response f = fx.control("POST", "/emulator/faults", new JsonObject()
        .put("type", "throttle").put("method", "POST").put("path", "/v1.0/communications/calls").put("count", 2)
        .put("retryAfterSeconds", 3));
    assertEquals(201, f.status(), f.body());
    JsonObject create = new JsonObject().put("callbackUri", fx.botUrl)
        .put("targets", new JsonArray().add(EmulatorFixture.userTarget(ADELE)))
        .put("requestedModalities", new JsonArray().add("audio")).put("mediaConfig", serviceHosted());
    for (int i = 0; i < 2; i++) {
      EmulatorFixture.Response r = fx.graph("POST", "/v1.0/communications/calls", create);
      assertEquals(429, r.status());
      assertEquals("3", r.header("Retry-After"));
      JsonObject e = error(r);
      assertEquals("TooManyRequests", e.getString("code"));
      JsonObject inner = e.getJsonObject("innerError"); // graph-reference §10
      assertEquals(Set.of("code", "date", "message", "request-id", "status"), inner.fieldNames());
      assertEquals("429", inner.getString("status"));
    }
    assertEquals(201, fx.graph("POST", "/v1.0/communications/calls", create).status());
    assertEquals(2, fx.control("GET", "/emulator/faults", null).json().getJsonArray("value").getJsonObject(0).getInteger("applied"));

    fx.control("POST", "/emulator/faults", new JsonObject().put("type", "unavailable").put("path", "/v1.0/communications/calls/*"));
    EmulatorFixture.Response u = fx.graph("GET", "/v1.0/communications/calls/x", null);
    assertEquals(503, u.status());
    assertEquals("serviceNotAvailable", error(u).getString("code"));
    assertEquals("1", u.header("Retry-After"));
    assertEquals(404, fx.graph("GET", "/v1.0/communications/calls/x", null).status());

    fx.reset(); // forgets the cached token and the faults
    fx.control("POST", "/emulator/faults", new JsonObject().put("type", "latency").put("latencyMs", 300)
        .put("path", "/" + fx.tenant() + "/oauth2/**"));
    long t0 = System.nanoTime();
    fx.token();
    assertTrue((System.nanoTime() - t0) / 1_000_000 >= 290, "token request delayed");
  }

  @Test
  void notificationFaultsDropDuplicateAndReorder() {
    fx.control("POST", "/emulator/faults", new JsonObject().put("type", "drop").put("path", "/communications/calls/*/participants"));
    int m = fx.mark();
    String id = fx.establishedOutgoingCall(ADELE, serviceHosted());
    fx.graph("DELETE", "/v1.0/communications/calls/" + id, null);
    fx.await(m, callState(id, "terminated"));
    assertTrue(fx.received.subList(m, fx.received.size()).stream()
        .noneMatch(r -> r.notification().getString("resourceUrl").endsWith("/participants")), "roster dropped");
    JsonArray log = fx.control("GET", "/emulator/notifications", null).json().getJsonArray("value");
    assertTrue(log.stream().map(JsonObject.class::cast).anyMatch(d -> "drop".equals(d.getString("fault"))));

    fx.control("POST", "/emulator/faults", new JsonObject().put("type", "duplicate").put("path", "/communications/calls/*"));
    m = fx.mark();
    String dup = fx.establishedOutgoingCall(ADELE, serviceHosted());
    int mm = m;
    fx.await(m, n -> fx.received.subList(mm, fx.received.size()).stream()
        .filter(r -> callState(dup, "establishing").test(r.notification())).count() == 2);

    fx.reset();
    fx.control("POST", "/emulator/faults", new JsonObject().put("type", "reorder").put("path", "/communications/calls/*")
        .put("latencyMs", 2000));
    m = fx.mark();
    String late = fx.graph("POST", "/v1.0/communications/calls", new JsonObject().put("callbackUri", fx.botUrl)
        .put("targets", new JsonArray().add(EmulatorFixture.userTarget(ADELE)))
        .put("requestedModalities", new JsonArray().add("audio")).put("mediaConfig", serviceHosted())).json().getString("id");
    fx.await(m, callState(late, "establishing"));
    int established = -1;
    int establishing = -1;
    for (int i = m; i < fx.received.size(); i++) {
      if (callState(late, "established").test(fx.received.get(i).notification())) {
        established = i;
      }
      if (callState(late, "establishing").test(fx.received.get(i).notification())) {
        establishing = i;
      }
    }
    assertTrue(established >= 0 && established < establishing, "establishing delivered after established");
  }

  @Test
  void aRedeliverFaultSendsTheSameNotificationAgainLater() {
    fx.control("POST", "/emulator/faults", new JsonObject().put("type", "redeliver").put("latencyMs", 300)
        .put("path", "/communications/calls/*"));
    int m = fx.mark();
    String id = fx.establishedOutgoingCall(ADELE, serviceHosted());
    fx.await(m, n -> fx.received.subList(m, fx.received.size()).stream()
        .filter(r -> callState(id, "establishing").test(r.notification())).count() == 2);
    List<JsonObject> copies = fx.received.subList(m, fx.received.size()).stream().map(EmulatorFixture.Received::notification)
        .filter(callState(id, "establishing")).toList();
    assertEquals(copies.get(0), copies.get(1), "the very same notification");
  }

  @Test
  void anOutageFaultAppliesToEveryMatchForItsPeriodThenExpires() {
    EmulatorFixture.Response f = fx.control("POST", "/emulator/faults", new JsonObject().put("type", "unavailable")
        .put("path", "/v1.0/communications/calls/*").put("forMs", 4000));
    assertEquals(201, f.status(), f.body());
    assertEquals(503, fx.graph("GET", "/v1.0/communications/calls/x", null).status(), "the outage has begun");
    long deadline = System.currentTimeMillis() + 30_000;
    int status = 503;
    while (status == 503 && System.currentTimeMillis() < deadline) {
      EmulatorFixture.sleep(50);
      status = fx.graph("GET", "/v1.0/communications/calls/x", null).status();
    }
    assertEquals(404, status, "the outage is over");
    JsonObject listed = fx.control("GET", "/emulator/faults", null).json().getJsonArray("value").getJsonObject(0);
    assertTrue(listed.getBoolean("expired"));
    assertTrue(listed.getInteger("applied") >= 1);
    assertEquals(400, fx.control("POST", "/emulator/faults", new JsonObject().put("type", "drop").put("forMs", 0))
        .status());
  }

  @Test
  void aNotificationFaultOfOneChangeTypeSparesTheOthers() {
    fx.control("POST", "/emulator/faults", new JsonObject().put("type", "drop").put("path", "/communications/calls/*")
        .put("changeType", "deleted").put("count", 5));
    int m = fx.mark();
    String id = fx.establishedOutgoingCall(ADELE, serviceHosted()); // its updates arrive
    fx.graph("DELETE", "/v1.0/communications/calls/" + id, null);
    fx.await(m, n -> fx.control("GET", "/emulator/notifications", null).json().getJsonArray("value").stream()
        .map(JsonObject.class::cast).anyMatch(d -> "drop".equals(d.getString("fault"))));
    JsonArray log = fx.control("GET", "/emulator/notifications", null).json().getJsonArray("value");
    List<JsonObject> dropped = log.stream().map(JsonObject.class::cast).filter(d -> "drop".equals(d.getString("fault")))
        .toList();
    assertTrue(dropped.stream().allMatch(d -> d.getJsonObject("body").getJsonArray("value").getJsonObject(0)
        .getString("changeType").equals("deleted")), dropped.toString());
    JsonObject listed = fx.control("GET", "/emulator/faults", null).json().getJsonArray("value").getJsonObject(0);
    assertEquals("deleted", listed.getString("changeType"));
  }

  @Test
  void aDelayFaultHoldsTheCallsNotificationsInOrder() {
    fx.control("POST", "/emulator/faults", new JsonObject().put("type", "delay").put("latencyMs", 400)
        .put("path", "/communications/calls/*"));
    int m = fx.mark();
    long start = System.nanoTime();
    String id = fx.establishedOutgoingCall(ADELE, serviceHosted());
    EmulatorFixture.Received establishing = fx.await(m, callState(id, "establishing"));
    assertTrue((establishing.nanos() - start) / 1_000_000 >= 390, "delayed by the fault");
    assertTrue(fx.received.indexOf(establishing) < fx.received.indexOf(fx.await(m, callState(id, "established"))));
  }

  @Test
  void hangingUpWhileTheCallIsBeingAnsweredEndsIt() {
    try (EmulatorFixture slow = new EmulatorFixture(1)) { // 200 ms between answer and established
      int m = slow.mark();
      String id = slow.control("POST", "/emulator/calls/incoming", new JsonObject().put("from", ADELE)).json().getString("id");
      slow.await(m, n -> n.getString("changeType").equals("created"));
      slow.graph("POST", "/v1.0/communications/calls/" + id + "/answer", new JsonObject()
          .put("acceptedModalities", new JsonArray().add("audio")).put("mediaConfig", serviceHosted()));
      assertEquals(204, slow.graph("DELETE", "/v1.0/communications/calls/" + id, null).status());
      assertEquals(204, slow.graph("DELETE", "/v1.0/communications/calls/" + id, null).status());
      slow.await(m, callState(id, "terminated"));
      EmulatorFixture.sleep(300);
      assertTrue(slow.received.subList(m, slow.received.size()).stream()
          .noneMatch(r -> callState(id, "established").test(r.notification())), "never established");
      assertEquals(1, slow.received.subList(m, slow.received.size()).stream()
          .filter(r -> callState(id, "terminating").test(r.notification())).count());
    }
  }

  @Test
  void theJournalListsWhatTheBotSentAndTheConfigPointsAtThisEmulator() {
    String id = fx.establishedOutgoingCall(ADELE, serviceHosted());
    fx.graph("POST", "/v1.0/communications/calls/" + id + "/keepAlive", null);
    JsonArray posts = fx.control("GET", "/emulator/requests?method=POST&path=/keepAlive", null).json().getJsonArray("value");
    assertEquals(1, posts.size());
    assertEquals(200, posts.getJsonObject(0).getInteger("status"));
    JsonArray all = fx.control("GET", "/emulator/requests", null).json().getJsonArray("value");
    JsonObject tokenRequest = all.stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("path").endsWith("/oauth2/v2.0/token")).findFirst().orElseThrow();
    assertTrue(tokenRequest.getString("body").contains("client_secret=<redacted>"), tokenRequest.encode());

    JsonObject config = fx.control("GET", "/emulator/config", null).json();
    assertEquals(Set.of("baseUrl", "authority", "tenantId", "clientId", "clientSecret", "openIdConfigUrl",
        "validationTokenOpenIdConfigUrl", "callbackIssuers", "tlsCertificatePem"), config.fieldNames());
    assertEquals(fx.emulator.graphConfig(), config);
    assertEquals(fx.emulator.baseUrl() + "/v1.0", config.getString("baseUrl"));
    assertEquals(fx.emulator.baseUrl() + "/" + config.getString("tenantId") + "/", config.getString("authority"));
    assertEquals(config.getString("authority") + "v2.0/.well-known/openid-configuration",
        config.getString("validationTokenOpenIdConfigUrl"));
    assertTrue(fx.emulator.baseUrl().startsWith("https://127.0.0.1:" + fx.emulator.port()));
    assertTrue(fx.control("GET", "/emulator/certificate", null).body().startsWith("-----BEGIN CERTIFICATE-----"));

    JsonObject listed = fx.control("GET", "/emulator/calls/" + id, null).json();
    assertEquals("established", listed.getString("state"));
    assertEquals(2, listed.getJsonArray("participants").size());
    assertEquals(409, fx.control("POST", "/emulator/calls/" + fx.control("POST", "/emulator/calls/incoming",
        new JsonObject().put("from", ADELE)).json().getString("id") + "/tones", new JsonObject().put("tones", "1")).status(),
        "keys in a call that is still ringing");
  }

  @Test
  void plainHttpModeAndTheCommandsPrintout() {
    try (EmulatorFixture plain = new EmulatorFixture(new EmulatorOptions().setTls(false).setClientSecret("s3cret"))) {
      assertTrue(plain.emulator.baseUrl().startsWith("http://127.0.0.1:"));
      JsonObject config = plain.emulator.graphConfig();
      assertEquals(null, config.getValue("tlsCertificatePem"));
      String text = EmulatorCommand.describe(config, plain.emulator.baseUrl(), new EmulatorOptions());
      assertTrue(text.contains("clientSecret: \"s3cret\""), text);
      assertTrue(text.contains("  callbackIssuers:\n    - \"https://api.botframework.com\""), text);
    }
  }
}
