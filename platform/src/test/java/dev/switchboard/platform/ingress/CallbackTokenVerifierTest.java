package dev.switchboard.platform.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.switchboard.platform.TestIssuer;
import dev.switchboard.platform.jwt.JwksSource;
import dev.switchboard.platform.jwt.TokenRejected;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The callback token verifier without sockets: the key source is stubbed (Mockito), every refusal the ingress
 * relies on is checked, and a verified token is remembered so its signature is checked once.
 */
class CallbackTokenVerifierTest {

  private static final String BOT = "bot-client-id";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static KeyPair signing;
  private static KeyPair other;

  private JwksSource keys;
  private CallbackTokenVerifier verifier;

  @BeforeAll
  static void generateKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    signing = generator.generateKeyPair();
    other = generator.generateKeyPair();
  }

  @BeforeEach
  void stubKeys() {
    keys = mock(JwksSource.class);
    when(keys.key(anyString())).thenAnswer(call -> "k1".equals(call.getArgument(0))
        ? Future.succeededFuture(signing.getPublic())
        : Future.failedFuture(new TokenRejected("signing key '" + call.getArgument(0) + "' is not published")));
    verifier = new CallbackTokenVerifier(keys, List.of("https://api.botframework.com"), BOT);
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }

  private String refusal(String authorization) {
    Future<CallbackTokenVerifier.Verified> result = verifier.verify(authorization);
    assertTrue(result.failed(), "refused: " + authorization);
    return assertInstanceOf(TokenRejected.class, result.cause()).getMessage();
  }

  @Test
  void aValidTokenIsAcceptedAndItsSignatureCheckedOnce() throws Exception {
    String token = TestIssuer.sign(signing, "k1", "RS256", TestIssuer.claims(BOT));
    CallbackTokenVerifier.Verified first = verifier.verify(bearer(token)).result();
    assertEquals("tenant-1", first.tenantId());
    assertEquals(first, verifier.verify(bearer(token)).result());
    verify(keys, times(1)).key("k1");
  }

  @Test
  void aForgedSignatureIsRefused() throws Exception {
    String token = TestIssuer.sign(other, "k1", "RS256", TestIssuer.claims(BOT));
    assertTrue(refusal(bearer(token)).contains("signature"));
  }

  @Test
  void claimsThatDoNotFitAreRefusedEachWithItsReason() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    assertTrue(refusal(bearer(TestIssuer.sign(signing, "k1", "RS256", TestIssuer.claims(BOT)
        .put("exp", now - 3600)))).contains("expired"));
    assertTrue(refusal(bearer(TestIssuer.sign(signing, "k1", "RS256", TestIssuer.claims("someone-else"))))
        .contains("audience"));
    assertTrue(refusal(bearer(TestIssuer.sign(signing, "k1", "RS256", TestIssuer.claims(BOT)
        .put("iss", "https://evil.example")))).contains("issuer"));
    JsonObject noTenant = TestIssuer.claims(BOT);
    noTenant.remove("tid");
    assertTrue(refusal(bearer(TestIssuer.sign(signing, "k1", "RS256", noTenant))).contains("tenant"));
    assertTrue(refusal(bearer(TestIssuer.sign(signing, "k1", "RS256", TestIssuer.claims(BOT)
        .put("nbf", now + 3600)))).contains("not valid before"));
  }

  @Test
  void anUnknownKeyIdIsRefused() throws Exception {
    assertTrue(refusal(bearer(TestIssuer.sign(signing, "k9", "RS256", TestIssuer.claims(BOT)))).contains("k9"));
  }

  @Test
  void algNoneAndHs256WithThePublicKeyAsSecretAreRefused() throws Exception {
    String claims = B64.encodeToString(TestIssuer.claims(BOT).encode().getBytes(StandardCharsets.UTF_8));
    String none = B64.encodeToString("{\"alg\":\"none\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8));
    assertTrue(refusal(bearer(none + "." + claims + ".")).contains("RS256"));

    String hsHeader = B64.encodeToString("{\"alg\":\"HS256\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(signing.getPublic().getEncoded(), "HmacSHA256"));
    String signature = B64.encodeToString(mac.doFinal((hsHeader + "." + claims).getBytes(StandardCharsets.US_ASCII)));
    assertTrue(refusal(bearer(hsHeader + "." + claims + "." + signature)).contains("RS256"));
  }

  @Test
  void whatIsNotABearerJwtIsRefused() {
    assertEquals("no bearer token", refusal(null));
    assertEquals("no bearer token", refusal("Basic dXNlcjpwYXNz"));
    assertTrue(refusal("Bearer abc.def").contains("not a JWT"));
    assertTrue(refusal("Bearer !!!.???.***").contains("not a readable JWT"));
  }
}
