package dev.switchboard.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.emulator.identity.Certificates;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Change notifications with resource data (rich notifications) for presence: the subscription's
 * certificate is checked, each notification carries the presence encrypted for it, and the
 * collection a validation token the bot checks against the emulator's Entra keys. The bot side is
 * a real HTTPS server on loopback; the bot's certificate and key are made by the test.
 */
class RichNotificationsTest {

  private static final String ADELE = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01";
  private static final String CERT_ID = "bot-encryption/1";
  private static final String PUBLISHER = "0bf30f3b-4a52-48df-9a82-234910c4a086";

  private static EmulatorFixture fx;
  private static WebhookReceiver bot;
  private static String notifications;
  private static KeyPair botKeys;
  private static X509Certificate botCert;

  @BeforeAll
  static void start() {
    fx = new EmulatorFixture(60);
    bot = new WebhookReceiver(fx.vertx, true);
    notifications = bot.url("/callbacks/notifications");
    botKeys = Certificates.newRsaKeyPair();
    botCert = Certificates.selfSigned(botKeys, "bot encryption", List.of(), Duration.ofDays(2));
  }

  @AfterAll
  static void stop() {
    bot.close();
    fx.close();
  }

  @AfterEach
  void reset() {
    fx.reset();
    bot.clear();
  }

  private static JsonObject rich(String resource) throws Exception {
    return fx.subscription(resource, "updated", notifications, Duration.ofMinutes(30))
        .put("includeResourceData", true)
        .put("encryptionCertificate", Base64.getEncoder().encodeToString(botCert.getEncoded()))
        .put("encryptionCertificateId", CERT_ID);
  }

  private static JsonObject presence(String availability, String activity) {
    return new JsonObject().put("availability", availability).put("activity", activity);
  }

  @Test
  void aPresenceChangeArrivesEncryptedForTheSubscriptionsCertificateWithAValidationToken() throws Exception {
    JsonObject s = fx.subscribe(rich("communications/presences/" + ADELE));
    assertEquals(true, s.getBoolean("includeResourceData"));
    assertEquals(CERT_ID, s.getString("encryptionCertificateId"));
    int m = bot.mark();
    assertEquals(200, fx.control("POST", "/emulator/users/" + ADELE + "/presence", presence("Busy", "InACall")).status());
    WebhookReceiver.Received got = bot.await(m, r -> true, 5000);
    JsonObject n = got.notification();
    assertEquals(s.getString("id"), n.getString("subscriptionId"));
    assertEquals("updated", n.getString("changeType"));
    assertEquals("communications/presences/" + ADELE, n.getString("resource"));
    assertEquals(ADELE, n.getJsonObject("resourceData").getString("id"));

    // the validation token: signed by a key of the emulator's Entra JWKS, for this app, from Graph's publisher
    JsonArray tokens = got.envelope().getJsonArray("validationTokens");
    assertEquals(1, tokens.size(), got.envelope().encode());
    JsonObject oidc = fx.control("GET", "/" + fx.tenant() + "/v2.0/.well-known/openid-configuration", null).json();
    JsonObject claims = IdentityTest.verify(tokens.getString(0), fx.getAbsolute(oidc.getString("jwks_uri"), null).json());
    assertEquals(EmulatorOptions.DEFAULT_CLIENT_ID, claims.getString("aud"));
    assertEquals("https://sts.windows.net/" + fx.tenant() + "/", claims.getString("iss"));
    assertEquals(PUBLISHER, claims.getString("azp"));
    assertEquals(PUBLISHER, claims.getString("appid"));
    assertEquals(fx.tenant(), claims.getString("tid"));
    long now = System.currentTimeMillis() / 1000;
    long exp = claims.getLong("exp");
    assertTrue(exp > now + 3000 && exp <= now + 3700, "about an hour: " + claims.encode());

    // the encrypted content: key by RSA-OAEP (SHA-1, MGF1), HMAC-SHA256 of the encrypted bytes, AES-256-CBC
    JsonObject c = n.getJsonObject("encryptedContent");
    assertEquals(CERT_ID, c.getString("encryptionCertificateId"));
    assertEquals(HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(botCert.getEncoded())),
        c.getString("encryptionCertificateThumbprint"));
    JsonObject resource = decrypt(c, botKeys.getPrivate());

    JsonObject served = fx.graph("GET", "/v1.0/users/" + ADELE + "/presence", null).json();
    served.remove("@odata.context");
    assertEquals("Busy", served.getString("availability"));
    assertEquals("#microsoft.graph.presence", resource.remove("@odata.type"));
    assertEquals("users/" + ADELE + "/presence", resource.remove("@odata.id"));
    assertEquals(served, resource);

    // a second change after the Entra keys rotate: a new symmetric key, a token signed by the new key
    EmulatorFixture.Response rotated = fx.control("POST", "/emulator/keys/rotate", new JsonObject().put("keys", "access"));
    assertEquals(200, rotated.status(), rotated.body());
    m = bot.mark();
    fx.control("POST", "/emulator/users/" + ADELE + "/presence", presence("Away", "Away"));
    WebhookReceiver.Received again = bot.await(m, r -> true, 5000);
    JsonObject second = again.notification().getJsonObject("encryptedContent");
    assertFalse(second.getString("dataKey").equals(c.getString("dataKey")));
    String token = again.envelope().getJsonArray("validationTokens").getString(0);
    assertEquals(rotated.json().getString("access"), IdentityTest.header(token).getString("kid"));
    IdentityTest.verify(token, fx.getAbsolute(oidc.getString("jwks_uri"), null).json());
  }

  @Test
  void basicPresenceSubscriptionsStayBasic() throws Exception {
    JsonObject body = rich("communications/presences/" + ADELE);
    body.remove("includeResourceData");
    body.remove("encryptionCertificate");
    body.remove("encryptionCertificateId");
    JsonObject s = fx.subscribe(body);
    assertEquals(false, s.getBoolean("includeResourceData"));
    assertNull(s.getString("encryptionCertificate"));
    int m = bot.mark();
    fx.control("POST", "/emulator/users/" + ADELE + "/presence", presence("Busy", "InACall"));
    WebhookReceiver.Received got = bot.await(m, r -> true, 5000);
    assertFalse(got.envelope().containsKey("validationTokens"), got.envelope().encode());
    assertFalse(got.notification().containsKey("encryptedContent"), got.envelope().encode());
  }

  @Test
  void aBadOrMissingCertificateIsRefusedBeforeAnyHandshake() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    KeyPair ecKeys = ec.generateKeyPair();
    KeyPairGenerator rsa1024 = KeyPairGenerator.getInstance("RSA");
    rsa1024.initialize(1024);
    KeyPair small = rsa1024.generateKeyPair();
    List<JsonObject> bad = List.of(
        rich("communications/presences/" + ADELE).put("encryptionCertificate", "not base64 at all!"),
        rich("communications/presences/" + ADELE).put("encryptionCertificate",
            Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8))),
        rich("communications/presences/" + ADELE).put("encryptionCertificate",
            Base64.getEncoder().encodeToString(ecKeys.getPublic().getEncoded())),
        withoutField(rich("communications/presences/" + ADELE), "encryptionCertificate"),
        withoutField(rich("communications/presences/" + ADELE), "encryptionCertificateId"),
        rich("communications/presences/" + ADELE).put("encryptionCertificateId", ""),
        rich("communications/presences/" + ADELE).put("encryptionCertificateId", "x".repeat(129)),
        rich("communications/presences/" + ADELE).put("encryptionCertificate", Base64.getEncoder().encodeToString(
            Certificates.selfSigned(small, "too small", List.of(), Duration.ofDays(1)).getEncoded())),
        rich("/communications/callRecords").put("changeType", "created"));
    for (JsonObject body : bad) {
      EmulatorFixture.Response r = fx.graph("POST", "/v1.0/subscriptions", body);
      assertEquals(400, r.status(), body.encode() + " -> " + r.body());
    }
    String missingId = fx.graph("POST", "/v1.0/subscriptions",
        withoutField(rich("communications/presences/" + ADELE), "encryptionCertificateId")).json()
        .getJsonObject("error").getString("message");
    assertTrue(missingId.contains("encryptionCertificateId"), missingId);
    String invalid = fx.graph("POST", "/v1.0/subscriptions",
        rich("communications/presences/" + ADELE).put("encryptionCertificate", "aGVsbG8=")).json()
        .getJsonObject("error").getString("message");
    assertTrue(invalid.startsWith("Certificate validation error"), invalid);
    assertTrue(bot.validations.isEmpty(), "no handshake for a request that is rejected anyway");
  }

  @Test
  void aRenewalCanRotateTheCertificate() throws Exception {
    JsonObject s = fx.subscribe(rich("communications/presences/" + ADELE));
    KeyPair next = Certificates.newRsaKeyPair();
    X509Certificate nextCert = Certificates.selfSigned(next, "bot encryption 2", List.of(), Duration.ofDays(2));
    JsonObject patch = new JsonObject().put("expirationDateTime", fx.inFuture(Duration.ofMinutes(40)))
        .put("encryptionCertificate", Base64.getEncoder().encodeToString(nextCert.getEncoded()))
        .put("encryptionCertificateId", "bot-encryption/2");
    EmulatorFixture.Response r = fx.graph("PATCH", "/v1.0/subscriptions/" + s.getString("id"), patch);
    assertEquals(200, r.status(), r.body());
    assertEquals("bot-encryption/2", r.json().getString("encryptionCertificateId"));
    int m = bot.mark();
    fx.control("POST", "/emulator/users/" + ADELE + "/presence", presence("DoNotDisturb", "Presenting"));
    JsonObject c = bot.await(m, x -> true, 5000).notification().getJsonObject("encryptedContent");
    assertEquals("bot-encryption/2", c.getString("encryptionCertificateId"));
    assertEquals("DoNotDisturb", decrypt(c, next.getPrivate()).getString("availability"));

    // only both together; never on a basic subscription
    JsonObject half = new JsonObject().put("expirationDateTime", fx.inFuture(Duration.ofMinutes(40)))
        .put("encryptionCertificateId", "bot-encryption/3");
    assertEquals(400, fx.graph("PATCH", "/v1.0/subscriptions/" + s.getString("id"), half).status());
    JsonObject basic = fx.subscribe(fx.subscription("communications/presences/" + ADELE, "updated", notifications,
        Duration.ofMinutes(30)));
    assertEquals(400, fx.graph("PATCH", "/v1.0/subscriptions/" + basic.getString("id"), patch).status());
  }

  /**
   * Decrypts an {@code encryptedContent} as a bot does: the key by RSA-OAEP (SHA-1, MGF1) with the
   * private key, then the HMAC-SHA256 of the encrypted bytes checked, then the data by AES-256-CBC
   * (IV: the key's first 16 bytes).
   */
  static JsonObject decrypt(JsonObject c, PrivateKey privateKey) throws Exception {
    Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
    rsa.init(Cipher.DECRYPT_MODE, privateKey,
        new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT));
    byte[] key = rsa.doFinal(Base64.getDecoder().decode(c.getString("dataKey")));
    assertEquals(32, key.length);
    byte[] data = Base64.getDecoder().decode(c.getString("data"));
    Mac hmac = Mac.getInstance("HmacSHA256");
    hmac.init(new SecretKeySpec(key, "HmacSHA256"));
    assertArrayEquals(hmac.doFinal(data), Base64.getDecoder().decode(c.getString("dataSignature")), "dataSignature");
    Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
    aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOf(key, 16)));
    return new JsonObject(new String(aes.doFinal(data), StandardCharsets.UTF_8));
  }

  private static JsonObject withoutField(JsonObject body, String field) {
    body.remove(field);
    return body;
  }
}
