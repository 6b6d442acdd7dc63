package dev.switchboard.platform;

import static dev.switchboard.platform.TestServer.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.emulator.EmulatorOptions;
import dev.switchboard.platform.config.ConfigLoader;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rich notifications end to end: the subscriber test plugin asks presence with resource data, the emulator encrypts
 * it for the platform's certificate, the platform checks and decrypts it. Crafted notifications (acting as Graph,
 * starting from a real delivery) that fail a check, an expired validation token among them, are refused and counted;
 * the certificate survives a restart, and a rotation loses nothing. The certificate and its private key never appear
 * in the log.
 */
class RichNotificationsIT {

  private static final String ADELE = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path home;

  private static Map<String, String> env(Emulated emulated, Map<String, String> more) {
    Map<String, String> env = new HashMap<>(emulated.graphEnv());
    env.put("SWITCHBOARD_PLUGINS_SUBSCRIBER_PRESENCE_USER", ADELE);
    env.put("SWITCHBOARD_PLUGINS_SUBSCRIBER_PRESENCE_RESOURCE_DATA", "true");
    env.putAll(more);
    return env;
  }

  private static TestServer start(Path dir, Map<String, String> env, List<JsonObject> changed) throws Exception {
    TestServer t = TestServer.start(dir, env);
    TestServer.await(t.vertx.eventBus().<JsonObject>consumer("test.subscription.changed", m -> changed.add(m.body()))
        .completion());
    t.drop(TestServer.bundle("subscriber"), "subscriber.jar");
    awaitUntil("the presence subscription is active", WAIT, () -> presence(t) != null
        && "active".equals(presence(t).getString("status")));
    return t;
  }

  private static JsonObject presence(TestServer t) {
    try {
      return t.admin(HttpMethod.GET, "/admin/subscriptions", null).bodyAsJsonArray().stream()
          .map(JsonObject.class::cast).filter(s -> s.getString("resource").contains("presences")).findFirst()
          .orElse(null);
    } catch (Exception e) {
      return null;
    }
  }

  private static void setPresence(Emulated emulated, String availability, String activity) throws Exception {
    emulated.post("/emulator/users/" + ADELE + "/presence", new JsonObject().put("availability", availability)
        .put("activity", activity));
  }

  private static boolean received(List<JsonObject> changed, String availability, String activity) {
    return changed.stream().map(n -> n.getJsonObject("resourceData")).anyMatch(d -> d != null
        && availability.equals(d.getString("availability")) && activity.equals(d.getString("activity")));
  }

  private static long metric(TestServer t, String outcome) throws Exception {
    String text = TestServer.await(t.client.get(t.server.httpPort(), "127.0.0.1", "/metrics").send()).bodyAsString();
    String prefix = "switchboard_ingress_requests_total{endpoint=\"notifications\",outcome=\"" + outcome + "\"} ";
    return text.lines().filter(l -> l.startsWith(prefix)).mapToLong(l -> (long) Double.parseDouble(l.substring(prefix.length())))
        .sum();
  }

  /** {@link #metric}, or -1 when /metrics did not answer. */
  private static long counted(TestServer t, String outcome) {
    try {
      return metric(t, outcome);
    } catch (Exception e) {
      return -1;
    }
  }

  /** The last collection the emulator delivered for {@code subscriptionId}, as Graph sent it. */
  private static JsonObject lastDelivered(Emulated emulated, String subscriptionId) throws Exception {
    JsonArray deliveries = TestServer.await(emulated.control.getAbs(emulated.emulator.baseUrl()
        + "/emulator/subscriptions/deliveries").addQueryParam("subscriptionId", subscriptionId).send())
        .bodyAsJsonObject().getJsonArray("value");
    return deliveries.getJsonObject(deliveries.size() - 1).getJsonObject("body");
  }

  /** A token shaped as Graph's, signed by a key nobody publishes. */
  private static String foreignToken(Emulated emulated) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair pair = g.generateKeyPair();
    JsonObject config = emulated.emulator.graphConfig();
    long now = System.currentTimeMillis();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("foreign").build(),
        new JWTClaimsSet.Builder().issuer("https://sts.windows.net/" + config.getString("tenantId") + "/")
            .audience(config.getString("clientId")).claim("appid", "0bf30f3b-4a52-48df-9a82-234910c4a086")
            .issueTime(new Date(now)).notBeforeTime(new Date(now)).expirationTime(new Date(now + 3_600_000)).build());
    jwt.sign(new RSASSASigner(pair.getPrivate()));
    return jwt.serialize();
  }

  private static String flipLastByte(String base64) {
    byte[] bytes = Base64.getDecoder().decode(base64);
    bytes[bytes.length - 1] ^= 1;
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Test
  void presenceArrivesDecryptedAndWhatFailsACheckIsRefusedCountedAndNeverDelivered() throws Exception {
    try (Emulated emulated = Emulated.start(new EmulatorOptions())) {
      List<JsonObject> changed = new CopyOnWriteArrayList<>();
      Path dir = home.resolve("server");
      String certificate;
      // One port for both runs: the subscription kept over the restart notifies the URL it was made with.
      Map<String, String> env = env(emulated, Map.of("SWITCHBOARD_HTTP_PORT", String.valueOf(freePort())));
      try (TestServer t = start(dir, env, changed)) {
        JsonObject subscription = presence(t);
        certificate = subscription.getString("encryptionCertificateId");
        assertNotNull(certificate);
        assertEquals(true, subscription.getBoolean("includeResourceData"));

        setPresence(emulated, "Busy", "InACall");
        awaitUntil("the decrypted presence reached the plugin", WAIT, () -> received(changed, "Busy", "InACall"));
        JsonObject delivered = changed.get(changed.size() - 1);
        assertFalse(delivered.containsKey("encryptedContent"), "handed over without the encrypted form");
        assertEquals(ADELE, delivered.getJsonObject("resourceData").getString("id"));

        // Acting as Graph: the real collection, altered one way each time.
        JsonObject real = lastDelivered(emulated, subscription.getString("id"));
        assertTrue(real.getJsonArray("value").getJsonObject(0).containsKey("encryptedContent"));
        String foreign = foreignToken(emulated);
        Map<String, UnaryOperator<JsonObject>> alterations = Map.of(
            "invalidDataSignature", c -> content(c, e -> e.put("data", flipLastByte(e.getString("data")))),
            "invalidDataSignature ", c -> content(c, e -> e.put("dataSignature", flipLastByte(e.getString("dataSignature")))),
            "invalidValidationToken", c -> c.put("validationTokens", new JsonArray().add(foreign)),
            "invalidValidationToken ", c -> {
              c.remove("validationTokens");
              return c;
            },
            "missingEncryptedContent", c -> {
              c.getJsonArray("value").getJsonObject(0).remove("encryptedContent");
              return c;
            },
            "unknownEncryptionCertificate", c -> content(c, e -> e.put("encryptionCertificateId", "elsewhere")
                .put("encryptionCertificateThumbprint", "00")));
        int before = changed.size();
        Set<String> outcomes = new HashSet<>();
        for (var alteration : alterations.entrySet()) {
          String outcome = alteration.getKey().trim();
          long counted = metric(t, outcome);
          var response = TestServer.await(t.client.post(t.server.httpPort(), "127.0.0.1", "/callbacks/notifications")
              .sendJsonObject(alteration.getValue().apply(real.copy())));
          assertEquals(202, response.statusCode(), "answered as Graph expects, whatever happens next");
          awaitUntil(outcome + " is counted", WAIT, () -> {
            try {
              return metric(t, outcome) == counted + 1;
            } catch (Exception e) {
              return false;
            }
          });
          outcomes.add(outcome);
        }
        assertEquals(4, outcomes.size());
        assertEquals(alterations.size(), presence(t).getLong("resourceDataRefusals"));
        Thread.sleep(300);
        assertEquals(before, changed.size(), "no refused notification reached the plugin");

        // The real one, sent again, still passes: nothing else was affected.
        TestServer.await(t.client.post(t.server.httpPort(), "127.0.0.1", "/callbacks/notifications")
            .sendJsonObject(real));
        awaitUntil("the genuine notification is delivered", WAIT, () -> changed.size() == before + 1);
      }

      // A restart with the same data folder keeps the certificate: the subscription is reused and decrypts.
      changed.clear();
      try (TestServer t = start(dir, env, changed)) {
        assertEquals(certificate, presence(t).getString("encryptionCertificateId"));
        setPresence(emulated, "Away", "Away");
        awaitUntil("the presence reached the plugin after the restart", WAIT, () -> received(changed, "Away", "Away"));
        assertEquals(0, presence(t).getLong("resourceDataRefusals"));

        // Entra ID rolls its signing keys: tokens signed by the new key are accepted once it is fetched. The keys are
        // fetched again for an unknown key id at most once a second (JwksSource), and were fetched just now.
        Thread.sleep(1100);
        emulated.post("/emulator/keys/rotate", new JsonObject().put("keys", "access"));
        setPresence(emulated, "DoNotDisturb", "Presenting");
        awaitUntil("the presence reached the plugin after the key rollover", WAIT,
            () -> received(changed, "DoNotDisturb", "Presenting"));
        assertEquals(0, presence(t).getLong("resourceDataRefusals"));
      }

      // The keys file lost: the kept subscription is renewed at once with a new certificate, and decrypts again.
      java.nio.file.Files.delete(dir.resolve("data").resolve("encryption-keys.json"));
      changed.clear();
      try (TestServer t = start(dir, env, changed)) {
        awaitUntil("the subscription has a new certificate", WAIT, () -> {
          String now = presence(t).getString("encryptionCertificateId");
          return now != null && !now.equals(certificate);
        });
        setPresence(emulated, "Busy", "InAMeeting");
        awaitUntil("the presence reached the plugin with the new certificate", WAIT,
            () -> received(changed, "Busy", "InAMeeting"));
      }
    }
  }

  /**
   * Validation tokens signed by a key the platform trusts (a {@link TestIssuer} stands in for Entra ID, since the
   * emulator only signs tokens valid for an hour): a valid one lets the real notification through; the same token
   * expired ten minutes ago is refused, counted under {@code invalidValidationToken} and never reaches the plugin. The
   * encryption certificate and its private key appear in no log line, from their creation on.
   */
  @Test
  void anExpiredValidationTokenIsRefusedCountedAndNeverDeliveredAndNoKeyIsLogged() throws Exception {
    try (LogCapture log = new LogCapture(); Emulated emulated = Emulated.start(new EmulatorOptions());
        TestIssuer entra = new TestIssuer(emulated.vertx)) {
      KeyPair signing = entra.key("entra", true);
      List<JsonObject> changed = new CopyOnWriteArrayList<>();
      Map<String, String> trustEntra = ConfigLoader.environmentOf("graph", new JsonObject()
          .put("validationTokenOpenIdConfigUrl", entra.openIdConfigUrl()));
      Path dir = home.resolve("server");
      try (TestServer t = start(dir, env(emulated, trustEntra), changed)) {
        JsonObject subscription = presence(t);
        // The emulator's own token is not signed by the trusted key: that delivery is refused, but its encrypted
        // presence is genuine, and is what the tokens below travel with.
        long refusedBefore = metric(t, "invalidValidationToken");
        setPresence(emulated, "Busy", "InACall");
        awaitUntil("the emulator's delivery was refused", WAIT,
            () -> counted(t, "invalidValidationToken") == refusedBefore + 1);
        JsonObject real = lastDelivered(emulated, subscription.getString("id"));
        assertTrue(changed.isEmpty(), "refused, not delivered: " + changed);

        long now = System.currentTimeMillis() / 1000;
        JsonObject claims = new JsonObject().put("iss", "https://sts.windows.net/"
            + emulated.emulator.graphConfig().getString("tenantId") + "/")
            .put("aud", emulated.emulator.graphConfig().getString("clientId"))
            .put("appid", "0bf30f3b-4a52-48df-9a82-234910c4a086").put("iat", now - 60).put("nbf", now - 60)
            .put("exp", now + 3600);
        String valid = TestIssuer.sign(signing, "entra", "RS256", claims);
        String expired = TestIssuer.sign(signing, "entra", "RS256", claims.copy().put("iat", now - 4200)
            .put("nbf", now - 4200).put("exp", now - 600));

        long expiredBefore = metric(t, "invalidValidationToken");
        long refusals = presence(t).getLong("resourceDataRefusals");
        assertEquals(202, post(t, real.copy().put("validationTokens", new JsonArray().add(expired))).statusCode());
        awaitUntil("the expired token is counted", WAIT, () -> counted(t, "invalidValidationToken") == expiredBefore + 1);
        assertEquals(refusals + 1, presence(t).getLong("resourceDataRefusals"));
        assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("WARN ") && l.contains("Refused a notification")
            && l.contains("expired")), "the log says the token expired");

        // The same notification with a valid token of the same key passes: what was refused was the expiry.
        assertEquals(202, post(t, real.copy().put("validationTokens", new JsonArray().add(valid))).statusCode());
        awaitUntil("the notification with a valid token is delivered", WAIT, () -> received(changed, "Busy", "InACall"));
        assertEquals(1, changed.size(), "only the valid one reached the plugin: " + changed);
      }
      assertNoKeyLogged(log, dir.resolve("data").resolve("encryption-keys.json"));
    }
  }

  private static HttpResponse<Buffer> post(TestServer t, JsonObject collection) throws Exception {
    return TestServer.await(t.client.post(t.server.httpPort(), "127.0.0.1", "/callbacks/notifications")
        .sendJsonObject(collection));
  }

  /**
   * No log line of the platform holds the certificate or private key of {@code keysFile} (their Base64 text, or any
   * 64 characters of it).
   */
  private static void assertNoKeyLogged(LogCapture log, Path keysFile) throws Exception {
    JsonArray keys = new JsonObject(java.nio.file.Files.readString(keysFile)).getJsonArray("keys");
    assertFalse(keys.isEmpty());
    List<String> lines = log.lines().stream().filter(l -> !l.contains(" dev.switchboard.emulator.")).toList();
    assertFalse(lines.isEmpty(), "the log was captured");
    for (Object k : keys) {
      for (String field : List.of("certificate", "privateKey")) {
        String secret = ((JsonObject) k).getString(field);
        for (int from = 0; from + 64 <= secret.length(); from += 64) {
          String part = secret.substring(from, from + 64);
          for (String line : lines) {
            assertFalse(line.contains(part), field + " in the log: " + line.substring(0, Math.min(200, line.length())));
          }
        }
      }
    }
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static JsonObject content(JsonObject collection, UnaryOperator<JsonObject> alter) {
    JsonObject item = collection.getJsonArray("value").getJsonObject(0);
    item.put("encryptedContent", alter.apply(item.getJsonObject("encryptedContent")));
    return collection;
  }

  @Test
  void aRotatedCertificateLosesNoNotification() throws Exception {
    try (LogCapture log = new LogCapture(); Emulated emulated = Emulated.start(new EmulatorOptions())) {
      List<JsonObject> changed = new CopyOnWriteArrayList<>();
      Map<String, String> shortLived = Map.of("SWITCHBOARD_GRAPH_SUBSCRIPTION_LIFETIME", "4s",
          "SWITCHBOARD_GRAPH_ENCRYPTION_CERTIFICATE_LIFETIME", "4s");
      try (TestServer t = start(home.resolve("server"), env(emulated, shortLived), changed)) {
        Set<String> certificates = new HashSet<>();
        String[][] states = {{"Available", "Available"}, {"Busy", "InACall"}, {"DoNotDisturb", "Presenting"},
            {"Away", "Away"}};
        for (int i = 0; i < 16; i++) {
          String[] state = states[i % states.length];
          setPresence(emulated, state[0], state[1]);
          int expected = i + 1;
          awaitUntil("presence change " + expected + " reached the plugin", WAIT, () -> changed.size() == expected
              && received(List.of(changed.get(expected - 1)), state[0], state[1]));
          certificates.add(presence(t).getString("encryptionCertificateId"));
          Thread.sleep(500);
        }
        assertTrue(certificates.size() >= 2, "the certificate was rotated: " + certificates);
        assertEquals(0, presence(t).getLong("resourceDataRefusals"));
        assertNotEquals(0, presence(t).getLong("notifications"));
      }
      assertNoKeyLogged(log, home.resolve("server").resolve("data").resolve("encryption-keys.json"));
    }
  }
}
