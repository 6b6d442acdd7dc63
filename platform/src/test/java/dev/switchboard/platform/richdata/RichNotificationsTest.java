package dev.switchboard.platform.richdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.platform.jwt.JwksSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validation tokens against signing keys served on loopback (as Entra ID publishes them), and a whole notification
 * opened: decrypted into resourceData, encryptedContent gone.
 */
class RichNotificationsTest {

  private static final String ISSUER = "https://sts.windows.net/tenant/";
  private static final String CLIENT = "client-id";

  @TempDir
  static Path dir;
  static Vertx vertx;
  static HttpServer server;
  static RSAKey signing;
  static RichNotifications rich;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    signing = new RSAKeyGenerator(2048).keyID("entra-1").generate();
    server = await(vertx.createHttpServer().requestHandler(req -> {
      String base = "http://127.0.0.1:" + server.actualPort();
      JsonObject body = req.path().endsWith("openid-configuration")
          ? new JsonObject().put("issuer", ISSUER).put("jwks_uri", base + "/keys")
          : new JsonObject().put("keys", new JsonArray().add(new JsonObject(signing.toPublicJWK().toJSONString())));
      req.response().putHeader("Content-Type", "application/json").end(body.encode());
    }).listen(0, "127.0.0.1"));
    JwksSource keys = new JwksSource(() -> WebClient.create(vertx),
        "http://127.0.0.1:" + server.actualPort() + "/common/v2.0/.well-known/openid-configuration", "test tokens",
        Duration.ofMillis(1), Duration.ofHours(1));
    rich = new RichNotifications(vertx, new EncryptionKeys(vertx, dir.resolve("keys.json"), Duration.ofDays(30)),
        keys, ISSUER, CLIENT);
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static JWTClaimsSet.Builder graphs(long expiresInSeconds) {
    long now = System.currentTimeMillis();
    return new JWTClaimsSet.Builder().issuer(ISSUER).audience(CLIENT)
        .claim("appid", RichNotifications.PUBLISHER_APP_ID).issueTime(new Date(now - 3_600_000))
        .expirationTime(new Date(now + expiresInSeconds * 1000));
  }

  private static String token(JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signing.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(signing));
    return jwt.serialize();
  }

  private static String refusal(String... tokens) throws Exception {
    try {
      await(rich.verify(ValidationTokens.of(new JsonArray(java.util.List.of((Object[]) tokens)))));
      return null;
    } catch (ExecutionException e) {
      return ((RefusedResourceData) e.getCause()).outcome() + ": " + e.getCause().getMessage();
    }
  }

  @Test
  void graphsTokensPassAndEveryOneOfThemIsChecked() throws Exception {
    String good = token(graphs(3600).build());
    assertEquals(null, refusal(good));
    assertEquals(null, refusal(good, token(graphs(1800).build())));
    String expired = token(graphs(-600).build());
    String refused = refusal(good, expired);
    assertTrue(refused.startsWith("invalidValidationToken") && refused.contains("expired"), refused);
  }

  @Test
  void expiredForeignOrMisaddressedTokensAreRefused() throws Exception {
    assertTrue(refusal(token(graphs(-600).build())).contains("expired"));
    assertTrue(refusal(token(graphs(3600).audience("another-app").build())).contains("audience"));
    assertTrue(refusal(token(graphs(3600).claim("appid", "someone").build())).contains("someone"));
    RSAKey foreign = new RSAKeyGenerator(2048).keyID(signing.getKeyID()).generate();
    SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signing.getKeyID()).build(),
        graphs(3600).build());
    forged.sign(new RSASSASigner(foreign));
    assertTrue(refusal(forged.serialize()).contains("signature"));
    assertTrue(refusal().startsWith("invalidValidationToken: the notification collection has no validationTokens"));
  }

  @Test
  void aNotificationIsOpenedIntoResourceData() throws Exception {
    EncryptionKey key = await(rich.keys().current());
    JsonObject presence = new JsonObject().put("id", "u1").put("availability", "Away").put("activity", "Away");
    JsonObject notification = new JsonObject().put("subscriptionId", "s").put("changeType", "updated")
        .put("resourceData", new JsonObject().put("id", "u1"))
        .put("encryptedContent", GraphEncryption.encrypt(presence, key.certificate(), key.id()));
    JsonObject opened = await(rich.open(notification));
    assertEquals(presence, opened.getJsonObject("resourceData"));
    assertFalse(opened.containsKey("encryptedContent"));
    assertEquals("updated", opened.getString("changeType"));
    assertTrue(notification.containsKey("encryptedContent"), "the original is left as it was");
    notification.remove("encryptedContent");
    ExecutionException missing = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> await(rich.open(notification)));
    assertEquals("missingEncryptedContent", ((RefusedResourceData) missing.getCause()).outcome());
  }
}
