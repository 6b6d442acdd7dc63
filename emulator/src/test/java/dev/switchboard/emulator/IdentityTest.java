package dev.switchboard.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The token endpoint, OpenID configurations, bearer check, notification JWTs and key rotation. */
class IdentityTest {

  private static EmulatorFixture fx;

  @BeforeAll
  static void start() {
    fx = new EmulatorFixture(20);
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @AfterEach
  void reset() {
    fx.reset();
  }

  private Map<String, String> credentials() {
    Map<String, String> f = new HashMap<>();
    f.put("client_id", EmulatorOptions.DEFAULT_CLIENT_ID);
    f.put("client_secret", EmulatorOptions.DEFAULT_CLIENT_SECRET);
    f.put("grant_type", "client_credentials");
    f.put("scope", "https://graph.microsoft.com/.default");
    return f;
  }

  @Test
  void issuesAnRs256AccessTokenForGraphVerifiableWithThePublishedJwks() throws Exception {
    Map<String, String> form = credentials();
    form.put("scope", "openid profile offline_access https://graph.microsoft.com/.default"); // as MSAL4J sends it
    EmulatorFixture.Response r = fx.form("/" + fx.tenant() + "/oauth2/v2.0/token", form);
    assertEquals(200, r.status(), r.body());
    JsonObject body = r.json();
    assertEquals("Bearer", body.getString("token_type"));
    assertEquals(3599, body.getInteger("expires_in"));

    JsonObject oidc = fx.control("GET", "/" + fx.tenant() + "/v2.0/.well-known/openid-configuration", null).json();
    assertEquals(fx.emulator.baseUrl() + "/" + fx.tenant() + "/oauth2/v2.0/token", oidc.getString("token_endpoint"));
    JsonObject jwks = fx.getAbsolute(oidc.getString("jwks_uri"), null).json();
    JsonObject claims = verify(body.getString("access_token"), jwks);
    assertEquals("https://graph.microsoft.com", claims.getString("aud"));
    assertEquals(oidc.getString("issuer"), claims.getString("iss"));
    assertEquals(fx.tenant(), claims.getString("tid"));
    assertEquals(EmulatorOptions.DEFAULT_CLIENT_ID, claims.getString("appid"));
    long now = System.currentTimeMillis() / 1000;
    assertTrue(claims.getLong("exp") > now + 3000 && claims.getLong("exp") <= now + 3600, claims.encode());
    assertTrue(claims.getJsonArray("roles").contains("Calls.Initiate.All"));
  }

  @Test
  void wrongSecretIs401InvalidClientAndUnknownClientIs400AsEntraIdAnswers() {
    Map<String, String> form = credentials();
    form.put("client_secret", "nope");
    EmulatorFixture.Response wrong = fx.form("/" + fx.tenant() + "/oauth2/v2.0/token", form);
    assertEquals(401, wrong.status());
    assertEquals("invalid_client", wrong.json().getString("error"));
    assertTrue(wrong.json().getString("error_description").startsWith("AADSTS7000215"));
    assertEquals(new JsonArray().add(7000215), wrong.json().getJsonArray("error_codes"));
    assertNotNull(wrong.json().getString("trace_id"));

    form = credentials();
    form.put("client_id", "11111111-2222-3333-4444-555555555555");
    EmulatorFixture.Response unknown = fx.form("/" + fx.tenant() + "/oauth2/v2.0/token", form);
    assertEquals(400, unknown.status());
    assertEquals("unauthorized_client", unknown.json().getString("error"));
    assertTrue(unknown.json().getString("error_description").startsWith("AADSTS700016"));

    EmulatorFixture.Response tenant = fx.form("/another-tenant/oauth2/v2.0/token", credentials());
    assertEquals(400, tenant.status());
    assertTrue(tenant.json().getString("error_description").startsWith("AADSTS90002"));

    form = credentials();
    form.put("scope", "https://graph.microsoft.com/Calls.Initiate.All");
    EmulatorFixture.Response scope = fx.form("/" + fx.tenant() + "/oauth2/v2.0/token", form);
    assertEquals(400, scope.status());
    assertEquals("invalid_scope", scope.json().getString("error"));

    form = credentials();
    form.put("grant_type", "password");
    assertEquals("unsupported_grant_type", fx.form("/" + fx.tenant() + "/oauth2/v2.0/token", form).json().getString("error"));
  }

  @Test
  void everyGraphRequestWithoutAValidTokenIs401WithGraphsErrorJson() {
    EmulatorFixture.Response none = fx.request("GET", "/v1.0/communications/calls/abc", null, null);
    assertEquals(401, none.status());
    JsonObject error = none.json().getJsonObject("error");
    assertEquals("InvalidAuthenticationToken", error.getString("code"));
    assertEquals("Access token is empty.", error.getString("message"));
    assertEquals(none.header("request-id"), error.getJsonObject("innerError").getString("request-id"));
    assertNotNull(error.getJsonObject("innerError").getString("date"));
    assertNotNull(none.header("WWW-Authenticate"));

    String token = fx.token();
    String tampered = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
    EmulatorFixture.Response bad = fx.request("POST", "/v1.0/communications/calls", "{}", "Bearer " + tampered);
    assertEquals(401, bad.status());
    assertTrue(bad.json().getJsonObject("error").getString("message").contains("Invalid signature"));

    assertEquals(401, fx.request("GET", "/v1.0/communications/calls/abc", null, "Bearer not.a.jwt").status());
    assertEquals(404, fx.graph("GET", "/v1.0/communications/calls/abc", null).status());
  }

  @Test
  void notificationsCarryAJwtSignedByTheKeyOfTheConfiguredOpenIdConfiguration() throws Exception {
    int m = fx.mark();
    fx.establishedOutgoingCall("6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01", EmulatorFixture.serviceHosted());
    EmulatorFixture.Received n = fx.received.get(m);
    JsonObject config = fx.control("GET", "/emulator/config", null).json();
    JsonObject oidc = fx.getAbsolute(config.getString("openIdConfigUrl"), null).json();
    JsonObject jwks = fx.getAbsolute(oidc.getString("jwks_uri"), null).json();
    assertTrue(n.authorization().startsWith("Bearer "));
    JsonObject claims = verify(n.authorization().substring(7), jwks);
    assertEquals(config.getJsonArray("callbackIssuers").getString(0), claims.getString("iss"));
    assertEquals(oidc.getString("issuer"), claims.getString("iss"));
    assertEquals(config.getString("clientId"), claims.getString("aud"));
    assertEquals(config.getString("tenantId"), claims.getString("tid"));
    assertTrue(claims.getLong("nbf") <= System.currentTimeMillis() / 1000 + 1);
    assertTrue(claims.getLong("exp") > System.currentTimeMillis() / 1000);
  }

  @Test
  void rotationSignsWithANewKeyAndKeepsThePreviousOnePublishedForOneRotation() throws Exception {
    String before = fx.token();
    String oldKid = header(before).getString("kid");
    JsonObject kids = fx.control("POST", "/emulator/keys/rotate", new JsonObject().put("keys", "all")).json();
    assertNotEquals(oldKid, kids.getString("access"));
    assertNotNull(kids.getString("notification"));

    assertEquals(404, fx.graph("GET", "/v1.0/communications/calls/x", null).status(), "old token still valid once");
    fx.reset(); // forget the cached token
    String after = fx.token();
    assertEquals(kids.getString("access"), header(after).getString("kid"));
    JsonObject jwks = fx.control("GET", "/" + fx.tenant() + "/discovery/v2.0/keys", null).json();
    assertEquals(2, jwks.getJsonArray("keys").size());

    fx.control("POST", "/emulator/keys/rotate", new JsonObject().put("keys", "access"));
    assertEquals(401, fx.request("GET", "/v1.0/communications/calls/x", null, "Bearer " + before).status(),
        "a key two rotations old is no longer accepted");

    int m = fx.mark();
    fx.establishedOutgoingCall("6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e02", EmulatorFixture.serviceHosted());
    assertEquals(kids.getString("notification"), header(fx.received.get(m).authorization().substring(7)).getString("kid"));
    assertEquals(400, fx.control("POST", "/emulator/keys/rotate", new JsonObject().put("keys", "bogus")).status());
  }

  static JsonObject header(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8));
  }

  /** Verifies an RS256 JWT against a JWKS and returns its claims. */
  static JsonObject verify(String jwt, JsonObject jwks) throws Exception {
    String[] parts = jwt.split("\\.");
    JsonObject header = header(jwt);
    assertEquals("RS256", header.getString("alg"));
    JsonObject jwk = jwks.getJsonArray("keys").stream().map(JsonObject.class::cast)
        .filter(k -> k.getString("kid").equals(header.getString("kid"))).findFirst()
        .orElseThrow(() -> new AssertionError("kid " + header.getString("kid") + " not in " + jwks.encode()));
    Base64.Decoder d = Base64.getUrlDecoder();
    PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
        new BigInteger(1, d.decode(jwk.getString("n"))), new BigInteger(1, d.decode(jwk.getString("e")))));
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initVerify(key);
    s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertTrue(s.verify(d.decode(parts[2])), "signature");
    assertFalse(jwk.getJsonArray("x5c").isEmpty());
    return new JsonObject(new String(d.decode(parts[1]), StandardCharsets.UTF_8));
  }
}
