package dev.switchboard.platform;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token issuer under the test's control, for the ingress security cases the emulator never produces
 * (forged, expired, wrong audience...): an OpenID configuration and JWKS on loopback, and RS256 signing.
 */
public final class TestIssuer implements AutoCloseable {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final Map<String, KeyPair> published = new LinkedHashMap<>();
  private final HttpServer server;

  TestIssuer(Vertx vertx) throws Exception {
    server = TestServer.await(vertx.createHttpServer().requestHandler(req -> {
      if (req.path().equals("/openid")) {
        req.response().end(new JsonObject().put("jwks_uri", "http://127.0.0.1:" + port() + "/keys").encode());
      } else if (req.path().equals("/keys")) {
        JsonArray keys = new JsonArray();
        synchronized (published) {
          published.forEach((kid, pair) -> {
            RSAPublicKey key = (RSAPublicKey) pair.getPublic();
            keys.add(new JsonObject().put("kty", "RSA").put("kid", kid).put("use", "sig")
                .put("n", B64.encodeToString(unsigned(key.getModulus())))
                .put("e", B64.encodeToString(unsigned(key.getPublicExponent()))));
          });
        }
        req.response().end(new JsonObject().put("keys", keys).encode());
      } else {
        req.response().setStatusCode(404).end();
      }
    }).listen(0, "127.0.0.1"));
  }

  int port() {
    return server.actualPort();
  }

  String openIdConfigUrl() {
    return "http://127.0.0.1:" + port() + "/openid";
  }

  /** Generates a key; published in the JWKS when {@code publish}. */
  KeyPair key(String kid, boolean publish) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    if (publish) {
      synchronized (published) {
        published.put(kid, pair);
      }
    }
    return pair;
  }

  void publish(String kid, KeyPair pair) {
    synchronized (published) {
      published.put(kid, pair);
    }
  }

  /** Valid claims for the bot {@code audience}: issuer botframework, an hour of validity, a tenant. */
  public static JsonObject claims(String audience) {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("iss", "https://api.botframework.com").put("aud", audience).put("iat", now)
        .put("nbf", now - 60).put("exp", now + 3600).put("tid", "tenant-1");
  }

  public static String sign(KeyPair key, String kid, String alg, JsonObject claims) throws Exception {
    String input = B64.encodeToString(new JsonObject().put("typ", "JWT").put("alg", alg).put("kid", kid).encode()
        .getBytes(StandardCharsets.UTF_8)) + "." + B64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    Signature signature = Signature.getInstance("SHA256withRSA");
    signature.initSign(key.getPrivate());
    signature.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + B64.encodeToString(signature.sign());
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  @Override
  public void close() throws Exception {
    TestServer.await(server.close());
  }
}
