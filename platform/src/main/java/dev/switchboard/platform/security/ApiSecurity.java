package dev.switchboard.platform.security;

import dev.switchboard.platform.audit.AuditLog;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.http.ApiGuard;
import dev.switchboard.platform.jwt.JwksSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may call the REST API ({@code api.*}): API keys kept in {@code <data.dir>/api-keys.json} and managed through
 * {@code /admin/keys}, OpenID Connect tokens of the configured issuer, or nobody checked at all when {@code api.auth}
 * is {@code none} (logged as a warning at every start). See {@code docs/security.md}.
 */
public final class ApiSecurity {

  private static final Logger LOG = LoggerFactory.getLogger(ApiSecurity.class);
  private static final int MAX_TRACKED_CLIENTS = 100_000;

  private final ApiKeyStore keys;
  private final RateLimiter limiter;
  private final RestGuard guard;

  private ApiSecurity(ApiKeyStore keys, RateLimiter limiter, RestGuard guard) {
    this.keys = keys;
    this.limiter = limiter;
    this.guard = guard;
  }

  /**
   * Loads the keys and, when OpenID Connect is on, starts fetching the issuer's signing keys (a failure there is
   * logged and retried when a token arrives).
   *
   * @param trust the trust toward the issuer's hosts, asked for on the first key fetch
   */
  public static Future<ApiSecurity> start(Vertx vertx, SwitchboardConfig config, Supplier<TrustOptions> trust,
      AuditLog audit) {
    SwitchboardConfig.Api api = config.api();
    ApiKeyStore keys = new ApiKeyStore(vertx, config.data().dir().resolve("api-keys.json"));
    return keys.load().map(loaded -> {
      OidcAuthenticator oidc = null;
      if (api.auth().contains(SwitchboardConfig.AuthMethod.OIDC)) {
        Supplier<WebClient> web = () -> WebClient.create(vertx, new WebClientOptions().setTrustOptions(trust.get())
            .setConnectTimeout(10_000));
        oidc = new OidcAuthenticator(api.oidc(), new JwksSource(web, api.oidc().openIdConfigUrl(),
            "REST API tokens of " + api.oidc().issuer(), Duration.ofSeconds(5), Duration.ofHours(6)));
        oidc.prefetch();
      }
      if (api.open()) {
        LOG.warn("api.auth is none: the REST API under /api/v1 is open, with no credential, to anyone who can reach the "
            + "public port ({}:{}); remove api.auth: none to require API keys", config.http().host(),
            config.http().port());
      } else {
        LOG.info("REST API authentication: {}{}", api.auth(), api.auth().contains(SwitchboardConfig.AuthMethod.OIDC)
            ? " (issuer " + api.oidc().issuer() + ")" : "");
      }
      FailureThrottle throttle = new FailureThrottle(api.failureLimit(), api.failureWindow(), MAX_TRACKED_CLIENTS);
      RateLimiter limiter = new RateLimiter();
      return new ApiSecurity(keys, limiter, new RestGuard(api.open(),
          api.auth().contains(SwitchboardConfig.AuthMethod.KEYS) ? keys : null, oidc, throttle, limiter, audit));
    });
  }

  /** The guard of the public port's {@code /api/v1}. */
  public ApiGuard guard() {
    return guard;
  }

  /** Adds {@code /admin/keys} to the admin API's router (behind its token). */
  public void mountAdmin(Router router) {
    new KeyAdminRoutes(keys, limiter).mount(router);
  }
}
