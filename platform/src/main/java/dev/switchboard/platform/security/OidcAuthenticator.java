package dev.switchboard.platform.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.switchboard.api.Caller;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.jwt.JwksSource;
import dev.switchboard.platform.jwt.JwtVerifier;
import dev.switchboard.platform.jwt.TokenRejected;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * OpenID Connect bearer tokens of the configured issuer ({@code api.oidc.*}): RS256 or ES256, signed by a key the
 * issuer publishes, {@code iss} the issuer, {@code aud} one of the audiences, within {@code exp}/{@code nbf} give or
 * take a minute. The caller is named by the subject claim; its scopes are the words of the scope claims ({@code scp}
 * holds them space-separated, {@code roles} as an array).
 */
final class OidcAuthenticator {

  private static final Duration SKEW = Duration.ofSeconds(60);
  private static final int MAX_REMEMBERED = 10_000;

  private final SwitchboardConfig.Oidc config;
  private final JwksSource keys;
  private final JwtVerifier<Caller> verifier;

  OidcAuthenticator(SwitchboardConfig.Oidc config, JwksSource keys) {
    this.config = config;
    this.keys = keys;
    this.verifier = new JwtVerifier<>(keys, List.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), SKEW, MAX_REMEMBERED,
        this::caller);
  }

  /** Fetches the issuer's keys ahead of the first request; failures are logged and retried on demand. */
  void prefetch() {
    keys.fetch();
  }

  Future<Caller> authenticate(String token) {
    return verifier.verify(token);
  }

  private Caller caller(JWTClaimsSet claims) throws TokenRejected {
    if (!config.issuer().equals(claims.getIssuer())) {
      throw new TokenRejected("the token's issuer " + claims.getIssuer() + " is not api.oidc.issuer");
    }
    if (claims.getAudience().stream().noneMatch(config.audience()::contains)) {
      throw new TokenRejected("the token's audience " + claims.getAudience() + " is not one of api.oidc.audience "
          + config.audience());
    }
    if (!(claims.getClaim(config.subjectClaim()) instanceof String subject) || subject.isBlank()) {
      throw new TokenRejected("the token has no " + config.subjectClaim() + " claim naming the caller");
    }
    Set<String> scopes = new LinkedHashSet<>();
    for (String name : config.scopeClaims()) {
      Object claim = claims.getClaim(name);
      if (claim instanceof String words) {
        for (String word : words.trim().split("\\s+")) {
          if (!word.isEmpty()) {
            scopes.add(word);
          }
        }
      } else if (claim instanceof List<?> list) {
        list.forEach(item -> scopes.add(String.valueOf(item)));
      }
    }
    return new Caller(Caller.Kind.OIDC, subject, scopes);
  }
}
