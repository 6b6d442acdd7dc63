package dev.switchboard.platform.ingress;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.switchboard.platform.jwt.JwksSource;
import dev.switchboard.platform.jwt.JwtVerifier;
import dev.switchboard.platform.jwt.TokenRejected;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * Verifies the bearer JWT on Graph's calling callbacks: RS256 only, signed by a key of the configured OpenID
 * configuration, issuer among {@code graph.callbackIssuers}, audience the bot's client id, within
 * {@code nbf}/{@code exp} (with a small skew), with a {@code tid}. A verified token is remembered until it
 * expires (bounded), so the signature of a token Graph reuses is checked once.
 */
final class CallbackTokenVerifier {

  private static final Duration SKEW = Duration.ofMinutes(5);
  private static final int MAX_REMEMBERED = 10_000;

  /** The claims of a verified token that the platform uses. */
  record Verified(String tenantId, long expiresAt) {
  }

  private final List<String> issuers;
  private final String audience;
  private final JwtVerifier<Verified> verifier;

  CallbackTokenVerifier(JwksSource keys, List<String> issuers, String audience) {
    this.issuers = List.copyOf(issuers);
    this.audience = audience;
    this.verifier = new JwtVerifier<>(keys, List.of(JWSAlgorithm.RS256), SKEW, MAX_REMEMBERED, this::checkClaims);
  }

  /** Verifies {@code authorization} (the whole header); fails with {@link TokenRejected} saying why. */
  Future<Verified> verify(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.failedFuture(new TokenRejected("no bearer token"));
    }
    return verifier.verify(authorization.substring(7).trim());
  }

  private Verified checkClaims(JWTClaimsSet claims) throws TokenRejected {
    String iss = claims.getIssuer();
    if (iss == null || !issuers.contains(iss)) {
      throw new TokenRejected("the token's issuer " + iss + " is not one of graph.callbackIssuers " + issuers);
    }
    List<String> aud = claims.getAudience();
    if (!aud.contains(audience)) {
      throw new TokenRejected("the token's audience " + aud + " is not this bot (graph.clientId " + audience + ")");
    }
    if (!(claims.getClaim("tid") instanceof String tid) || tid.isBlank()) {
      throw new TokenRejected("the token has no tenant (tid)");
    }
    return new Verified(tid, claims.getExpirationTime().getTime() / 1000);
  }
}
