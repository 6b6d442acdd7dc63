package dev.switchboard.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API's OpenID Connect bearer tokens against a real issuer on loopback ({@link TestIssuer}): scopes from
 * {@code scp} and {@code roles}, RS256 and ES256, key rotation picked up by a rate-limited JWKS refetch, and every
 * token that should not pass (unknown issuer, wrong audience, expired, {@code alg: none}, HS256 with the public key as
 * secret) refused with 401.
 */
class OidcIT {

  private static final String AUDIENCE = "api://switchboard";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  @TempDir
  Path home;

  private static HttpResponse<Buffer> call(TestServer t, HttpMethod method, String token) throws Exception {
    return t.http(method, "/api/v1/hello/x", "Bearer " + token);
  }

  private static String code(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error").getString("code");
  }

  @Test
  void tokensOfTheConfiguredIssuerAreVerifiedAndTheirScopesChecked() throws Exception {
    Vertx issuers = Vertx.vertx();
    try (TestIssuer issuer = new TestIssuer(issuers); TestIssuer stranger = new TestIssuer(issuers)) {
      KeyPair k1 = issuer.key("k1", true);
      // api.auth is left unset: keys, plus oidc because an issuer is configured.
      try (TestServer t = TestServer.start(home, Map.of("SWITCHBOARD_API_OIDC_ISSUER", issuer.issuer(),
          "SWITCHBOARD_API_OIDC_AUDIENCE", AUDIENCE + ",client-id-guid", "SWITCHBOARD_API_FAILURE_LIMIT", "1000"))) {
        t.drop(TestServer.bundle("hello-v1"), "hello.jar");
        TestServer.awaitUntil("hello serves its routes", Duration.ofSeconds(15), () -> t.server.apiRoutes().size() >= 2);

        String both = TestIssuer.sign(k1, "k1", "RS256", issuer.accessClaims(AUDIENCE, "app-crm")
            .put("scp", "hello:read greetings:write"));
        assertEquals(200, call(t, HttpMethod.GET, both).statusCode());
        HttpResponse<Buffer> greeted = call(t, HttpMethod.POST, both);
        assertEquals(200, greeted.statusCode(), greeted.bodyAsString());
        JsonObject caller = greeted.bodyAsJsonObject().getJsonObject("caller");
        assertEquals("OIDC", caller.getString("kind"));
        assertEquals("app-crm", caller.getString("name"));

        String rolesOnly = TestIssuer.sign(k1, "k1", "RS256", issuer.accessClaims("client-id-guid", "daemon")
            .put("roles", new JsonArray().add("hello:read")));
        assertEquals(200, call(t, HttpMethod.GET, rolesOnly).statusCode(), "roles grant scopes; either audience");
        HttpResponse<Buffer> forbidden = call(t, HttpMethod.POST, rolesOnly);
        assertEquals(403, forbidden.statusCode());
        assertEquals("missingScope", code(forbidden));

        assertEquals(200, t.http(HttpMethod.GET, "/api/v1/hello/x").statusCode(), "API keys still work beside tokens");

        long now = System.currentTimeMillis() / 1000;
        JsonObject scp = new JsonObject().put("scp", "hello:read");
        assertRefused(t, TestIssuer.sign(k1, "k1", "RS256", issuer.accessClaims(AUDIENCE, "x").mergeIn(scp)
            .put("exp", now - 600)), "expired");
        assertRefused(t, TestIssuer.sign(k1, "k1", "RS256", issuer.accessClaims("api://other", "x").mergeIn(scp)),
            "audience");
        // Another issuer, with its own key under the same key id: neither its issuer nor its signature passes.
        KeyPair strangerKey = stranger.key("k1", true);
        assertRefused(t, TestIssuer.sign(strangerKey, "k1", "RS256", stranger.accessClaims(AUDIENCE, "x").mergeIn(scp)),
            "signature");
        assertRefused(t, TestIssuer.sign(k1, "k1", "RS256", stranger.accessClaims(AUDIENCE, "x").mergeIn(scp)),
            "issuer");
        String claims = B64.encodeToString(issuer.accessClaims(AUDIENCE, "x").mergeIn(scp).encode()
            .getBytes(StandardCharsets.UTF_8));
        assertRefused(t, B64.encodeToString("{\"alg\":\"none\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8))
            + "." + claims + ".", "algorithm");
        String hs = B64.encodeToString("{\"alg\":\"HS256\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(k1.getPublic().getEncoded(), "HmacSHA256"));
        assertRefused(t, hs + "." + claims + "." + B64.encodeToString(mac.doFinal((hs + "." + claims)
            .getBytes(StandardCharsets.US_ASCII))), "algorithm");

        ECKey ec = issuer.ecKey("ec1");
        TestServer.awaitUntil("an ES256 token is accepted once its key is fetched", Duration.ofSeconds(10),
            () -> status(t, ignored(() -> TestIssuer.signEs256(ec, issuer.accessClaims(AUDIENCE, "ec").mergeIn(scp))))
                == 200);

        // Rotation: a new key is published after the server fetched the keys; its tokens pass after a refetch,
        // and forged key ids do not make the server hammer the issuer.
        KeyPair k2 = issuer.key("k2", false);
        int fetchesBefore = issuer.keyFetches();
        for (int i = 0; i < 20; i++) {
          assertRefused(t, TestIssuer.sign(k2, "forged-" + i, "RS256", issuer.accessClaims(AUDIENCE, "x")
              .mergeIn(scp)), "forged-" + i);
        }
        assertTrue(issuer.keyFetches() - fetchesBefore <= 1, (issuer.keyFetches() - fetchesBefore)
            + " key fetches for 20 unknown key ids");
        issuer.publish("k2", k2);
        String rotated = TestIssuer.sign(k2, "k2", "RS256", issuer.accessClaims(AUDIENCE, "rotated").mergeIn(scp));
        TestServer.awaitUntil("a token of the rotated key is accepted", Duration.ofSeconds(12),
            () -> status(t, rotated) == 200);
        assertEquals(200, call(t, HttpMethod.GET, both).statusCode(), "the old key still works");
      }
    } finally {
      TestServer.await(issuers.close());
    }
  }

  private static void assertRefused(TestServer t, String token, String reason) throws Exception {
    HttpResponse<Buffer> refused = call(t, HttpMethod.GET, token);
    assertEquals(401, refused.statusCode(), reason + ": " + refused.bodyAsString());
    assertTrue(refused.getHeader("WWW-Authenticate").startsWith("Bearer"));
    assertTrue(refused.bodyAsJsonObject().getJsonObject("error").getString("message").contains(reason),
        reason + ": " + refused.bodyAsString());
  }

  private static int status(TestServer t, String token) {
    try {
      return call(t, HttpMethod.GET, token).statusCode();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private interface Signing {
    String sign() throws Exception;
  }

  private static String ignored(Signing signing) {
    try {
      return signing.sign();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
