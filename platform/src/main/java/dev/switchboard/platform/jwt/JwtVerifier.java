package dev.switchboard.platform.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Future;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Verifies signed JWTs with nimbus-jose-jwt: an algorithm among those allowed (never {@code none} nor an HMAC, which
 * would let a public key serve as a shared secret), signed by a key of a {@link JwksSource}, within {@code exp} (which
 * is required) and {@code nbf} give or take {@code skew}, then the caller's own claim checks.
 *
 * <p>A verified token is remembered by its string until it expires, at most {@code maxRemembered} of them, so that
 * a token presented again (Graph reuses its callback tokens, an app reuses its access token) costs a map lookup
 * instead of a signature check (~45 µs for RS256). The token seen last is compared first, as a string: a map
 * lookup hashes the whole token (~1 KB, a new string with every request), which costs more than comparing it.
 * Thread-safe; the future completes on the caller's thread when the keys are at hand.
 *
 * @param <T> what the claim check makes of a token's claims
 */
public final class JwtVerifier<T> {

  /** Checks the claims of a token whose signature, {@code exp} and {@code nbf} are good. */
  @FunctionalInterface
  public interface ClaimsCheck<T> {
    /** What the platform keeps of the token; throws saying why the token is refused. */
    T check(JWTClaimsSet claims) throws TokenRejected;
  }

  private record Remembered<T>(T value, long expiresAt) {
  }

  private record Latest<T>(String token, Remembered<T> remembered) {
  }

  private final JwksSource keys;
  private final List<JWSAlgorithm> algorithms;
  private final long skewSeconds;
  private final int maxRemembered;
  private final ClaimsCheck<T> check;
  private final Map<String, Remembered<T>> remembered = new ConcurrentHashMap<>();
  /** The token verified or found last; {@code null} at first. */
  private volatile Latest<T> latest;

  public JwtVerifier(JwksSource keys, List<JWSAlgorithm> algorithms, Duration skew, int maxRemembered,
      ClaimsCheck<T> check) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.algorithms = List.copyOf(algorithms);
    for (JWSAlgorithm alg : algorithms) {
      if (!JWSAlgorithm.Family.RSA.contains(alg) && !JWSAlgorithm.Family.EC.contains(alg)) {
        throw new IllegalArgumentException("only RSA and EC signatures are verified, not " + alg);
      }
    }
    this.skewSeconds = skew.toSeconds();
    this.maxRemembered = maxRemembered;
    this.check = Objects.requireNonNull(check, "check");
  }

  /** Verifies {@code token} (the compact JWT, without {@code Bearer}); fails with {@link TokenRejected} saying why. */
  public Future<T> verify(String token) {
    long now = System.currentTimeMillis() / 1000;
    Latest<T> last = latest;
    if (last != null && last.token().equals(token) && last.remembered().expiresAt() + skewSeconds >= now) {
      return Future.succeededFuture(last.remembered().value());
    }
    Remembered<T> known = remembered.get(token);
    if (known != null) {
      if (known.expiresAt() + skewSeconds >= now) {
        latest = new Latest<>(token, known);
        return Future.succeededFuture(known.value());
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
    if (!(parsed instanceof SignedJWT jwt) || !algorithms.contains(jwt.getHeader().getAlgorithm())) {
      return Future.failedFuture(new TokenRejected("the token's algorithm is " + parsed.getHeader().getAlgorithm()
          + "; only " + algorithms.stream().map(JWSAlgorithm::getName).collect(Collectors.joining(", "))
          + (algorithms.size() == 1 ? " is" : " are") + " accepted"));
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
        long expiresAt = checkTimes(claims, now);
        T value = check.check(claims);
        remember(token, new Remembered<>(value, expiresAt), now);
        return Future.succeededFuture(value);
      } catch (TokenRejected e) {
        return Future.failedFuture(e);
      }
    });
  }

  private long checkTimes(JWTClaimsSet claims, long now) throws TokenRejected {
    Date exp = claims.getExpirationTime();
    if (exp == null || exp.getTime() / 1000 + skewSeconds < now) {
      throw new TokenRejected(exp == null ? "the token has no expiry" : "the token expired at " + exp.toInstant());
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.getTime() / 1000 - skewSeconds > now) {
      throw new TokenRejected("the token is not valid before " + nbf.toInstant());
    }
    return exp.getTime() / 1000;
  }

  private static boolean signatureValid(SignedJWT jwt, PublicKey key) {
    boolean rsa = JWSAlgorithm.Family.RSA.contains(jwt.getHeader().getAlgorithm());
    try {
      JWSVerifier verifier;
      if (rsa && key instanceof RSAPublicKey rsaKey) {
        verifier = new RSASSAVerifier(rsaKey);
      } else if (!rsa && key instanceof ECPublicKey ecKey) {
        verifier = new ECDSAVerifier(ecKey);
      } else {
        return false; // the key is of another kind than the algorithm claims
      }
      return jwt.verify(verifier);
    } catch (JOSEException e) {
      return false;
    }
  }

  private void remember(String token, Remembered<T> verified, long now) {
    if (remembered.size() >= maxRemembered) {
      remembered.values().removeIf(v -> v.expiresAt() + skewSeconds < now);
      if (remembered.size() >= maxRemembered) {
        remembered.clear();
      }
    }
    remembered.put(token, verified);
    latest = new Latest<>(token, verified);
  }
}
