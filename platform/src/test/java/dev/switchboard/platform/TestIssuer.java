package dev.switchboard.platform;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
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
 * (forged, expired, wrong audience...) and for the REST API's OpenID Connect tokens: an OpenID configuration (at
 * {@code /openid} and at the standard {@code /.well-known/openid-configuration} of {@link #issuer()}) and a JWKS on
 * loopback, RS256 and ES256 signing, and a count of key fetches.
 */
public final class TestIssuer implements AutoCloseable {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final Map<String, KeyPair> published = new LinkedHashMap<>();
  private final Map<String, ECKey> publishedEc = new LinkedHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger keyFetches = new java.util.concurrent.atomic.AtomicInteger();
  private final HttpServer server;

  TestIssuer(Vertx vertx) throws Exception {
    server = TestServer.await(vertx.createHttpServer().requestHandler(req -> {
      if (req.path().equals("/openid") || req.path().equals("/.well-known/openid-configuration")) {
        req.response().end(new JsonObject().put("issuer", issuer())
            .put("jwks_uri", "http://127.0.0.1:" + port() + "/keys").encode());
      } else if (req.path().equals("/keys")) {
        keyFetches.incrementAndGet();
        JsonArray keys = new JsonArray();
        synchronized (published) {
          publishedEc.values().forEach(ec -> keys.add(new JsonObject(ec.toPublicJWK().toJSONObject())));
        }
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

  /** The issuer URL ({@code iss}) of the REST API tokens this issuer signs. */
  public String issuer() {
    return "http://127.0.0.1:" + port();
  }

  /** How often the JWKS has been fetched. */
  public int keyFetches() {
    return keyFetches.get();
  }

  /** Generates a P-256 key for ES256, published in the JWKS. */
  public ECKey ecKey(String kid) throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    synchronized (published) {
      publishedEc.put(kid, key);
    }
    return key;
  }

  /** An ES256 token. */
  public static String signEs256(ECKey key, JsonObject claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
        JWTClaimsSet.parse(claims.getMap()));
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  /** Valid claims of an access token of this issuer for {@code audience}, naming {@code subject}, for an hour. */
  public JsonObject accessClaims(String audience, String subject) {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("iss", issuer()).put("aud", audience).put("sub", subject).put("iat", now)
        .put("nbf", now - 60).put("exp", now + 3600);
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

  /** Signs any header and payload text (not necessarily JSON) with RS256, for the fuzz tests. */
  public static String signRaw(KeyPair key, String header, String payload) throws Exception {
    String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
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
