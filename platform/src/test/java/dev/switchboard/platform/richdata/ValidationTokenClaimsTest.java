package dev.switchboard.platform.richdata;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.switchboard.platform.jwt.TokenRejected;
import org.junit.jupiter.api.Test;

/** The claims a validation token of a rich notification must have (signature and expiry: JwtVerifier's tests). */
class ValidationTokenClaimsTest {

  private static final String ISSUER = "https://sts.windows.net/tenant/";
  private static final String CLIENT = "client-id";

  private static JWTClaimsSet.Builder graphs() {
    return new JWTClaimsSet.Builder().issuer(ISSUER).audience(CLIENT)
        .claim("appid", RichNotifications.PUBLISHER_APP_ID).claim("azp", RichNotifications.PUBLISHER_APP_ID);
  }

  private static String refusal(JWTClaimsSet claims) {
    return assertThrows(TokenRejected.class, () -> RichNotifications.checkClaims(claims, ISSUER, CLIENT)).getMessage();
  }

  @Test
  void graphsTokenPasses() {
    assertDoesNotThrow(() -> RichNotifications.checkClaims(graphs().build(), ISSUER, CLIENT));
    assertDoesNotThrow(() -> RichNotifications.checkClaims(graphs().claim("appid", null).build(), ISSUER, CLIENT),
        "azp alone (v2 tokens)");
  }

  @Test
  void anotherIssuerAudienceOrAppIsRefused() {
    assertTrue(refusal(graphs().issuer("https://sts.windows.net/other/").build()).contains("issuer"));
    assertTrue(refusal(graphs().audience("someone-else").build()).contains("audience"));
    assertTrue(refusal(graphs().claim("appid", "another-app").build()).contains("another-app"));
  }
}
