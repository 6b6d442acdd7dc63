package dev.switchboard.platform.ingress;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Future;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies the bearer JWT on Graph's calling callbacks with nimbus-jose-jwt: RS256 only, signed by a key of the configured OpenID
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

  private final OpenIdKeys keys;
  private final List<String> issuers;
  private final String audience;
  private final Map<String, Verified> remembered = new ConcurrentHashMap<>();

  CallbackTokenVerifier(OpenIdKeys keys, List<String> issuers, String audience) {
    this.keys = keys;
    this.issuers = List.copyOf(issuers);
    this.audience = audience;
  }

  /** Verifies {@code authorization} (the whole header); fails with {@link TokenRejected} saying why. */
  Future<Verified> verify(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.failedFuture(new TokenRejected("no bearer token"));
    }
    String token = authorization.substring(7).trim();
    long now = System.currentTimeMillis() / 1000;
    Verified known = remembered.get(token);
    if (known != null) {
      if (known.expiresAt() + SKEW.toSeconds() >= now) {
        return Future.succeededFuture(known);
      }
      remembered.remove(token);
    }
    if (token.chars().filter(c -> c == '.').count() != 2) {
      return Future.failedFuture(new TokenRejected("the bearer token is not a JWT"));
    }
    JWT parsed;
    JWTClaimsSet claims;
    try {
      parsed = JWTParser.parse(token);
      claims = parsed.getJWTClaimsSet();
    } catch (ParseException e) {
      return Future.failedFuture(new TokenRejected("the bearer token is not a readable JWT"));
    }
    Algorithm alg = parsed.getHeader().getAlgorithm();
    if (!(parsed instanceof SignedJWT jwt) || !JWSAlgorithm.RS256.equals(alg)) {
      return Future.failedFuture(new TokenRejected("the token's algorithm is " + alg + "; only RS256 is accepted"));
    }
    String kid = jwt.getHeader().getKeyID();
    if (kid == null) {
      return Future.failedFuture(new TokenRejected("the token names no signing key (kid)"));
    }
    return keys.key(kid).compose(key -> {
      if (!signatureValid(jwt, key)) {
        return Future.failedFuture(new TokenRejected("the token's signature does not match key " + kid));
      }
      try {
        Verified verified = checkClaims(claims, now);
        remember(token, verified, now);
        return Future.succeededFuture(verified);
      } catch (TokenRejected e) {
        return Future.failedFuture(e);
      }
    });
  }

  private Verified checkClaims(JWTClaimsSet claims, long now) throws TokenRejected {
    String iss = claims.getIssuer();
    if (iss == null || !issuers.contains(iss)) {
      throw new TokenRejected("the token's issuer " + iss + " is not one of graph.callbackIssuers " + issuers);
    }
    List<String> aud = claims.getAudience();
    if (!aud.contains(audience)) {
      throw new TokenRejected("the token's audience " + aud + " is not this bot (graph.clientId " + audience + ")");
    }
    Date exp = claims.getExpirationTime();
    if (exp == null || exp.getTime() / 1000 + SKEW.toSeconds() < now) {
      throw new TokenRejected(exp == null ? "the token has no expiry" : "the token expired at " + exp.toInstant());
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.getTime() / 1000 - SKEW.toSeconds() > now) {
      throw new TokenRejected("the token is not valid before " + nbf.toInstant());
    }
    if (!(claims.getClaim("tid") instanceof String tid) || tid.isBlank()) {
      throw new TokenRejected("the token has no tenant (tid)");
    }
    return new Verified(tid, exp.getTime() / 1000);
  }

  private static boolean signatureValid(SignedJWT jwt, PublicKey key) {
    if (!(key instanceof RSAPublicKey rsa)) {
      return false;
    }
    try {
      return jwt.verify(new RSASSAVerifier(rsa));
    } catch (JOSEException e) {
      return false;
    }
  }

  private void remember(String token, Verified verified, long now) {
    if (remembered.size() >= MAX_REMEMBERED) {
      remembered.values().removeIf(v -> v.expiresAt() + SKEW.toSeconds() < now);
      if (remembered.size() >= MAX_REMEMBERED) {
        remembered.clear();
      }
    }
    remembered.put(token, verified);
  }
}
