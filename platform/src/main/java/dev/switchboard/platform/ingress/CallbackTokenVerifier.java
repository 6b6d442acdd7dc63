package dev.switchboard.platform.ingress;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Future.failedFuture(new TokenRejected("the bearer token is not a JWT"));
    }
    JsonObject header;
    JsonObject claims;
    byte[] signature;
    try {
      header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
      claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      signature = Base64.getUrlDecoder().decode(parts[2]);
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      return Future.failedFuture(new TokenRejected("the bearer token is not a readable JWT"));
    }
    if (!"RS256".equals(header.getValue("alg"))) {
      return Future.failedFuture(new TokenRejected("the token's algorithm is " + header.getValue("alg")
          + "; only RS256 is accepted"));
    }
    if (!(header.getValue("kid") instanceof String kid)) {
      return Future.failedFuture(new TokenRejected("the token names no signing key (kid)"));
    }
    return keys.key(kid).compose(key -> {
      if (!signatureValid(key, parts[0] + "." + parts[1], signature)) {
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

  private Verified checkClaims(JsonObject claims, long now) throws TokenRejected {
    Object iss = claims.getValue("iss");
    if (!(iss instanceof String) || !issuers.contains(iss)) {
      throw new TokenRejected("the token's issuer " + iss + " is not one of graph.callbackIssuers " + issuers);
    }
    Object aud = claims.getValue("aud");
    boolean audienceOk = aud instanceof String s ? s.equals(audience)
        : aud instanceof JsonArray a && a.contains(audience);
    if (!audienceOk) {
      throw new TokenRejected("the token's audience " + aud + " is not this bot (graph.clientId " + audience + ")");
    }
    Long exp = number(claims, "exp");
    if (exp == null || exp + SKEW.toSeconds() < now) {
      throw new TokenRejected(exp == null ? "the token has no expiry" : "the token expired at " + exp);
    }
    Long nbf = number(claims, "nbf");
    if (nbf != null && nbf - SKEW.toSeconds() > now) {
      throw new TokenRejected("the token is not valid before " + nbf);
    }
    Object tid = claims.getValue("tid");
    if (!(tid instanceof String t) || t.isBlank()) {
      throw new TokenRejected("the token has no tenant (tid)");
    }
    return new Verified((String) tid, exp);
  }

  private static Long number(JsonObject claims, String name) {
    return claims.getValue(name) instanceof Number n ? n.longValue() : null;
  }

  private static boolean signatureValid(PublicKey key, String signed, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(key);
      verifier.update(signed.getBytes(StandardCharsets.US_ASCII));
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
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
