package dev.switchboard.platform;

import static dev.switchboard.platform.TestServer.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.emulator.EmulatorOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /callbacks/calling}: token checks, body checks, legacy format, and delivery to the call's owner. */
class CallbackIngressIT {

  private static final String BOT = "bot-app-id";

  @TempDir
  Path home;

  private static JsonObject envelope(String callId, String changeType, String state) {
    return new JsonObject().put("@odata.type", "#microsoft.graph.commsNotifications").put("value", new JsonArray()
        .add(notification(callId, changeType, state)));
  }

  private static JsonObject notification(String callId, String changeType, String state) {
    return new JsonObject().put("@odata.type", "#microsoft.graph.commsNotification").put("changeType", changeType)
        .put("resourceUrl", "/communications/calls/" + callId)
        .put("resourceData", new JsonObject().put("@odata.type", "#microsoft.graph.call").put("state", state));
  }

  private static HttpResponse<Buffer> post(TestServer t, String token, Buffer body) throws Exception {
    var request = t.client.post(t.server.httpPort(), "127.0.0.1", "/callbacks/calling/route-hint");
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return TestServer.await(request.sendBuffer(body));
  }

  @Test
  void onlyValidCallbacksReachTheCallsOwnerInOrder() throws Exception {
    try (TestIssuer issuer = new TestIssuer(io.vertx.core.Vertx.vertx())) {
      KeyPair k1 = issuer.key("k1", true);
      KeyPair impostor = issuer.key("k1", false);
      Map<String, String> env = new HashMap<>(Map.of("SWITCHBOARD_GRAPH_OPEN_ID_CONFIG_URL", issuer.openIdConfigUrl(),
          "SWITCHBOARD_GRAPH_CLIENT_ID", BOT, "SWITCHBOARD_HTTP_MAX_BODY_BYTES", "4096"));
      try (TestServer t = TestServer.start(home, env)) {
        List<JsonObject> recorded = new CopyOnWriteArrayList<>();
        MessageConsumer<JsonObject> spy = t.vertx.eventBus().consumer("test.calls.recorded", m -> recorded.add(m.body()));
        TestServer.await(spy.completion());
        t.drop(TestServer.bundle("call-recorder"), "recorder.jar");
        awaitUntil("the recorder runs", Duration.ofSeconds(15),
            () -> t.server.plugins().all().stream().anyMatch(p -> p.name().equals("recorder")
                && p.state().name().equals("ACTIVE")));

        String valid = TestIssuer.sign(k1, "k1", "RS256", TestIssuer.claims(BOT));
        Buffer body = envelope("call-1", "created", "incoming").toBuffer();
        long now = System.currentTimeMillis() / 1000;
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("no token", null);
        refused.put("forged signature", TestIssuer.sign(impostor, "k1", "RS256", TestIssuer.claims(BOT)));
        refused.put("expired", TestIssuer.sign(k1, "k1", "RS256", TestIssuer.claims(BOT).put("exp", now - 3600)));
        refused.put("not yet valid", TestIssuer.sign(k1, "k1", "RS256", TestIssuer.claims(BOT).put("nbf", now + 3600)));
        refused.put("wrong audience", TestIssuer.sign(k1, "k1", "RS256", TestIssuer.claims("another-bot")));
        refused.put("wrong issuer", TestIssuer.sign(k1, "k1", "RS256",
            TestIssuer.claims(BOT).put("iss", "https://evil.example")));
        refused.put("no tenant", TestIssuer.sign(k1, "k1", "RS256", removeTid(TestIssuer.claims(BOT))));
        refused.put("algorithm none", unsigned(TestIssuer.claims(BOT)));
        refused.put("not a JWT", "definitely-not-a-jwt");
        for (Map.Entry<String, String> c : refused.entrySet()) {
          HttpResponse<Buffer> response = post(t, c.getValue(), body);
          assertEquals(401, response.statusCode(), c.getKey() + ": " + response.bodyAsString());
          assertEquals("invalidToken", response.bodyAsJsonObject().getJsonObject("error").getString("code"));
        }

        assertEquals(413, post(t, valid, Buffer.buffer(new byte[10_000])).statusCode());
        assertEquals(400, post(t, valid, Buffer.buffer("{not json")).statusCode());
        assertEquals(400, post(t, valid, Buffer.buffer("{\"hello\":1}")).statusCode());
        assertEquals(400, post(t, valid, new JsonObject().put("value", new JsonArray().add(new JsonObject()
            .put("changeType", "updated").put("resourceUrl", "/users/x"))).toBuffer()).statusCode());
        assertEquals(204, post(t, valid, new JsonObject().put("callState", "incoming")
            .put("presentedModalityTypes", new JsonArray().add("audio")).toBuffer()).statusCode());

        JsonObject batch = new JsonObject().put("value", new JsonArray()
            .add(notification("call-1", "created", "incoming"))
            .add(notification("call-1", "updated", "establishing"))
            .add(notification("call-1", "updated", "established")));
        assertEquals(202, post(t, valid, batch.toBuffer()).statusCode());
        assertEquals(202, post(t, valid, envelope("call-1", "deleted", "terminated").toBuffer()).statusCode());
        awaitUntil("four notifications recorded", Duration.ofSeconds(10), () -> recorded.size() >= 4);
        Thread.sleep(200);
        assertEquals(List.of("incoming", "establishing", "established", "terminated"), recorded.stream()
            .map(r -> r.getJsonObject("notification").getJsonObject("resourceData").getString("state")).toList(),
            "only the valid ones, in order");
        assertEquals("tenant-1", recorded.get(0).getString("tenantId"));
        assertEquals("call-1", recorded.get(0).getString("callId"));

        // A rotated key: unknown at first, accepted once the new key set is fetched.
        KeyPair k2 = issuer.key("k2", false);
        String rotated = TestIssuer.sign(k2, "k2", "RS256", TestIssuer.claims(BOT));
        Thread.sleep(1100);
        assertEquals(401, post(t, rotated, body).statusCode(), "k2 is not published yet");
        issuer.publish("k2", k2);
        Thread.sleep(1100);
        assertEquals(202, post(t, rotated, envelope("call-2", "created", "incoming").toBuffer()).statusCode());
        awaitUntil("call-2 recorded", Duration.ofSeconds(10), () -> recorded.size() == 5);

        assertEquals(10, t.server.ingressStats().get("calling", "unauthorized"));
        String metrics = t.http(io.vertx.core.http.HttpMethod.GET, "/metrics").bodyAsString();
        assertTrue(metrics.contains("switchboard_ingress_requests_total{endpoint=\"calling\",outcome=\"accepted\"} 3"),
            metrics);
      }
    }
  }

  @Test
  void theEmulatorsSignedNotificationsReachTheOwnerAcrossAKeyRotation() throws Exception {
    try (Emulated emulated = Emulated.start(new EmulatorOptions().setClockSpeed(10))) {
      try (TestServer t = TestServer.start(home, emulated.graphEnv())) {
        emulated.emulator.setBotCallback("http://127.0.0.1:" + t.server.httpPort() + "/callbacks/calling");
        List<JsonObject> recorded = new CopyOnWriteArrayList<>();
        TestServer.await(t.vertx.eventBus().<JsonObject>consumer("test.calls.recorded", m -> recorded.add(m.body()))
            .completion());
        t.drop(TestServer.bundle("call-recorder"), "recorder.jar");
        awaitUntil("the recorder runs", Duration.ofSeconds(15), () -> t.server.plugins().all().stream()
            .anyMatch(p -> p.name().equals("recorder") && p.state().name().equals("ACTIVE")));

        String first = emulated.post("/emulator/calls/incoming", new JsonObject()
            .put("from", "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01")).getString("id");
        awaitUntil("the incoming call reached the plugin", Duration.ofSeconds(10),
            () -> recorded.stream().anyMatch(r -> first.equals(r.getString("callId"))));
        assertEquals(emulated.emulator.graphConfig().getString("tenantId"), recorded.get(0).getString("tenantId"));

        emulated.post("/emulator/keys/rotate", new JsonObject().put("keys", "notification"));
        Thread.sleep(1100);
        String second = emulated.post("/emulator/calls/incoming", new JsonObject()
            .put("from", "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01")).getString("id");
        awaitUntil("a notification signed with the new key reached the plugin", Duration.ofSeconds(10),
            () -> recorded.stream().anyMatch(r -> second.equals(r.getString("callId"))));
        assertEquals(0, t.server.ingressStats().get("calling", "unauthorized"));
      }
    }
  }

  private static JsonObject removeTid(JsonObject claims) {
    claims.remove("tid");
    return claims;
  }

  private static String unsigned(JsonObject claims) {
    Base64Url b = new Base64Url();
    return b.encode(new JsonObject().put("alg", "none").put("kid", "k1").encode()) + "." + b.encode(claims.encode()) + ".";
  }

  private static final class Base64Url {
    String encode(String text) {
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
