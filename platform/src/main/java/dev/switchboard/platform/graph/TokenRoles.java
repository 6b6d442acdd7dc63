package dev.switchboard.platform.graph;

import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.util.List;
import java.util.Set;

/**
 * The {@code roles} claim of an app-only Graph access token: the application permissions admin consent granted.
 * The token came from the token endpoint over TLS, so it is read, not verified (Graph verifies it).
 */
final class TokenRoles {

  private TokenRoles() {
  }

  /**
   * The roles: empty when the token carries none (Entra then leaves the claim out), {@code null} when the token is
   * not a readable JWT (nothing can be said).
   */
  static Set<String> of(String accessToken) {
    try {
      List<String> roles = JWTParser.parse(accessToken).getJWTClaimsSet().getStringListClaim("roles");
      return roles == null ? Set.of() : Set.copyOf(roles);
    } catch (ParseException e) {
      return null;
    }
  }
}
