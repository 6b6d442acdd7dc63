package dev.switchboard.emulator.identity;

import dev.switchboard.emulator.http.GraphException;
import dev.switchboard.emulator.permissions.GrantedRoles;
import dev.switchboard.emulator.world.BotApplication;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulator's identity side: Entra ID's token endpoint and OpenID configuration for the bot's
 * access tokens, the calling platform's OpenID configuration for the JWTs on notifications, the
 * bearer-token check in front of every Graph request, and key rotation.
 *
 * <p>Paths served (all relative to the emulator's base URL):
 * <ul>
 *   <li>{@code POST /{tenant}/oauth2/v2.0/token} — client credentials</li>
 *   <li>{@code GET /{tenant}/v2.0/.well-known/openid-configuration}, {@code GET /{tenant}/discovery/v2.0/keys}</li>
 *   <li>{@code GET /calling/v1/.well-known/OpenIdConfiguration}, {@code GET /calling/v1/keys} — notification keys</li>
 * </ul>
 *
 * <p>Signing keys are generated on a worker thread; every other method runs on the emulator's
 * event-loop context, except {@link #notificationToken()}, {@link #validationToken()} and the URL
 * getters, which may be called from any thread.
 */
public final class IdentityService {

  /** The issuer the emulator puts in notification JWTs, as the Teams calling platform does. */
  public static final String CALLBACK_ISSUER = "https://api.botframework.com";
  /** Microsoft Graph's application id; accepted as token audience and as scope resource. */
  public static final String GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
  /**
   * The application id of Microsoft Graph's change-notification publisher: the {@code azp} and
   * {@code appid} of the validation tokens of notifications with resource data.
   */
  public static final String CHANGE_NOTIFICATION_PUBLISHER_ID = "0bf30f3b-4a52-48df-9a82-234910c4a086";
  /** The audience of the access tokens. */
  public static final String GRAPH_AUDIENCE = "https://graph.microsoft.com";

  private static final Logger LOG = LoggerFactory.getLogger(IdentityService.class);
  private static final long NOTIFICATION_TOKEN_LIFETIME_S = 3600;
  private static final long NOTIFICATION_TOKEN_REUSE_S = 300;
  private static final long CLOCK_SKEW_S = 300;
  private static final String TOKEN_ROLES = "switchboard.emulator.tokenRoles";

  private final Vertx vertx;
  private final BotApplication app;
  private final GrantedRoles roles;
  private final String baseUrl;
  private final long tokenLifetimeSeconds;
  private final KeyRing accessKeys;
  private final KeyRing notificationKeys;
  private final String servicePrincipalId = UUID.randomUUID().toString();
  private final ReusedToken notificationToken = new ReusedToken();
  private final ReusedToken validationToken = new ReusedToken();
  /**
   * The access token whose signature was verified last, with the key that verified it: a bot sends the same token
   * with every request until it renews it, and an RS256 verification costs the event loop ~0.1 ms. Its claims are
   * checked again with every request; a key that has left the ring no longer verifies it.
   */
  private volatile SignatureChecked lastSignatureChecked;

  private record SignatureChecked(String token, Jwt.Parsed jwt, SigningKey key) {
  }

  /**
   * A JWT that is signed again only when its key changed or it is {@value #NOTIFICATION_TOKEN_REUSE_S}
   * s old. Thread-safe: two threads may both sign; either token is valid.
   */
  private static final class ReusedToken {
    private record Signed(String kid, long issuedAt, String jwt) {
    }

    private volatile Signed last;

    /** The reused token, or a new one signed by {@code key} with the claims for {@code now} (epoch seconds). */
    String get(SigningKey key, java.util.function.LongFunction<JsonObject> claims) {
      long now = System.currentTimeMillis() / 1000;
      Signed s = last;
      if (s != null && s.kid().equals(key.kid()) && now - s.issuedAt() < NOTIFICATION_TOKEN_REUSE_S) {
        return s.jwt();
      }
      String jwt = Jwt.sign(key, claims.apply(now));
      last = new Signed(key.kid(), now, jwt);
      return jwt;
    }

    void forget() {
      last = null;
    }
  }

  /** The outcome of checking an access token: its claims, or Graph's message for what is wrong. */
  private record Verified(JsonObject claims, String problem) {
    static Verified refused(String problem) {
      return new Verified(null, problem);
    }
  }

  private IdentityService(Vertx vertx, BotApplication app, GrantedRoles roles, String baseUrl, long tokenLifetimeSeconds,
      SigningKey access, SigningKey notification) {
    this.vertx = vertx;
    this.app = app;
    this.roles = roles;
    this.baseUrl = baseUrl;
    this.tokenLifetimeSeconds = tokenLifetimeSeconds;
    this.accessKeys = new KeyRing("access", access);
    this.notificationKeys = new KeyRing("notification", notification);
  }

  /** The service's two signing keys, generated ahead (see {@link #generateKeys}). */
  public static final class SigningKeys {
    private final SigningKey access;
    private final SigningKey notification;

    private SigningKeys(SigningKey access, SigningKey notification) {
      this.access = access;
      this.notification = notification;
    }
  }

  /**
   * Generates the service's two signing keys on two worker threads at once (RSA key generation takes a few hundred
   * milliseconds each on a busy machine, and the emulator's start waits for it), so that the emulator can start
   * this before it knows its base URL.
   */
  public static Future<SigningKeys> generateKeys(Vertx vertx) {
    Future<SigningKey> access = generate(vertx, "access tokens");
    Future<SigningKey> notification = generate(vertx, "notifications");
    return Future.all(access, notification).map(both -> new SigningKeys(access.result(), notification.result()));
  }

  /**
   * Creates the service with its two signing keys.
   *
   * @param roles the application's granted permissions, put in the {@code roles} of each token issued
   * @param baseUrl the emulator's base URL, such as {@code https://127.0.0.1:9443}
   * @param tokenLifetimeSeconds the {@code expires_in} of access tokens (real seconds)
   * @param keys from {@link #generateKeys}
   */
  public static Future<IdentityService> create(Vertx vertx, BotApplication app, GrantedRoles roles, String baseUrl,
      long tokenLifetimeSeconds, Future<SigningKeys> keys) {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(roles, "roles");
    Objects.requireNonNull(baseUrl, "baseUrl");
    return keys.map(k -> new IdentityService(vertx, app, roles, baseUrl, tokenLifetimeSeconds, k.access,
        k.notification));
  }

  /** A new signing key, generated on a worker thread, unordered: several generate in parallel. */
  private static Future<SigningKey> generate(Vertx vertx, String purpose) {
    return vertx.executeBlocking(() -> SigningKey.generate(purpose), false);
  }

  /** The authority MSAL is given: {@code {baseUrl}/{tenant}/}. */
  public String authority() {
    return baseUrl + "/" + app.tenantId() + "/";
  }

  /**
   * The OpenID configuration whose JWKS holds the key that signs the validation tokens of rich notifications
   * (the access-token one, as Entra ID's): the platform's {@code graph.validationTokenOpenIdConfigUrl}.
   */
  public String validationTokenOpenIdConfigUrl() {
    return authority() + "v2.0/.well-known/openid-configuration";
  }

  /** The issuer ({@code iss}) of access tokens and of their OpenID configuration. */
  public String tokenIssuer() {
    return baseUrl + "/" + app.tenantId() + "/v2.0";
  }

  /**
   * The object id of the bot's service principal: the {@code oid} of its access tokens, and the
   * {@code creatorId} of the subscriptions it creates with application permissions.
   */
  public String servicePrincipalId() {
    return servicePrincipalId;
  }

  /** The OpenID configuration whose JWKS holds the key that signs notification JWTs. */
  public String notificationOpenIdConfigUrl() {
    return baseUrl + "/calling/v1/.well-known/OpenIdConfiguration";
  }

  /** Mounts the token, OpenID configuration and JWKS routes. */
  public void mount(Router router) {
    TokenEndpoint token = new TokenEndpoint(app, tokenLifetimeSeconds, this::issueAccessToken);
    router.post("/:tenant/oauth2/v2.0/token").handler(token::handle);
    router.get("/:tenant/v2.0/.well-known/openid-configuration").handler(ctx -> json(ctx, accessOpenIdConfiguration()));
    router.get("/:tenant/discovery/v2.0/keys").handler(ctx -> json(ctx, accessKeys.jwks(tokenIssuer())));
    router.get("/calling/v1/.well-known/OpenIdConfiguration").handler(ctx -> json(ctx, new JsonObject()
        .put("issuer", CALLBACK_ISSUER)
        .put("authorization_endpoint", baseUrl + "/calling/v1/authorize")
        .put("jwks_uri", baseUrl + "/calling/v1/keys")
        .put("id_token_signing_alg_values_supported", new JsonArray().add("RS256"))
        .put("token_endpoint_auth_methods_supported", new JsonArray().add("private_key_jwt"))));
    router.get("/calling/v1/keys").handler(ctx -> json(ctx, notificationKeys.jwks(null)));
  }

  /**
   * Rejects, with 401 and Graph's {@code InvalidAuthenticationToken} error, a request without a
   * valid access token: RS256 signed by a published access key, issuer and tenant of this
   * emulator, audience Microsoft Graph, within its lifetime (5 minutes of clock skew allowed). A
   * request that passes carries the token's {@code roles} ({@link #tokenRoles}).
   */
  public Handler<RoutingContext> bearerAuth() {
    return ctx -> {
      String header = ctx.request().getHeader("Authorization");
      Verified token = header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()
          ? Verified.refused("Access token is empty.")
          : checkAccessToken(header.substring(7).trim());
      if (token.problem() == null) {
        ctx.put(TOKEN_ROLES, rolesOf(token.claims()));
        ctx.next();
        return;
      }
      String problem = token.problem();
      ctx.fail(new GraphException(401, "InvalidAuthenticationToken", problem, Map.of("WWW-Authenticate",
          "Bearer realm=\"\", authorization_uri=\"" + authority() + "oauth2/v2.0/authorize\", client_id=\"" + GRAPH_APP_ID + "\"")));
    };
  }

  /**
   * The {@code roles} of the access token of a request that {@link #bearerAuth()} let through
   * (empty for any other request, and for a token without the claim).
   */
  public static List<String> tokenRoles(RoutingContext ctx) {
    List<String> roles = ctx.get(TOKEN_ROLES);
    return roles == null ? List.of() : roles;
  }

  /**
   * A JWT for the {@code Authorization} header of a notification: RS256 with the current
   * notification key, {@code iss} = {@link #CALLBACK_ISSUER}, {@code aud} = the bot's client id,
   * {@code tid}, {@code iat}/{@code nbf}/{@code exp}. Reused for five minutes, as long as the key is
   * current. Thread-safe.
   */
  public String notificationToken() {
    return notificationToken.get(notificationKeys.current(), now -> new JsonObject()
        .put("iss", CALLBACK_ISSUER)
        .put("aud", app.clientId())
        .put("iat", now)
        .put("nbf", now)
        .put("exp", now + NOTIFICATION_TOKEN_LIFETIME_S)
        .put("tid", app.tenantId()));
  }

  /**
   * A validation token for a change-notification collection with resource data, shaped as Entra ID
   * issues them to Graph's publisher: RS256 with the current <em>access-token</em> key (published at
   * {@code /{tenant}/discovery/v2.0/keys}, as Entra ID's own keys are), {@code iss} =
   * {@code https://sts.windows.net/{tenant}/}, {@code aud} = the bot's client id, {@code azp} and
   * {@code appid} = {@link #CHANGE_NOTIFICATION_PUBLISHER_ID}, {@code tid}, {@code ver} 1.0, valid for
   * an hour. Reused for five minutes, as long as the key is current (an RS256 signature per
   * notification would cost the event loop a millisecond each). Thread-safe.
   */
  public String validationToken() {
    return validationToken.get(accessKeys.current(), now -> new JsonObject()
        .put("aud", app.clientId())
        .put("iss", validationTokenIssuer())
        .put("iat", now)
        .put("nbf", now)
        .put("exp", now + NOTIFICATION_TOKEN_LIFETIME_S)
        .put("azp", CHANGE_NOTIFICATION_PUBLISHER_ID)
        .put("azpacr", "2")
        .put("appid", CHANGE_NOTIFICATION_PUBLISHER_ID)
        .put("appidacr", "2")
        .put("idp", validationTokenIssuer())
        .put("tid", app.tenantId())
        .put("uti", UUID.randomUUID().toString().replace("-", ""))
        .put("ver", "1.0"));
  }

  /** The {@code iss} of validation tokens: {@code https://sts.windows.net/{tenant}/}. */
  public String validationTokenIssuer() {
    return "https://sts.windows.net/" + app.tenantId() + "/";
  }

  /**
   * Replaces the signing key of {@code which} ({@code access}, {@code notification} or {@code all}).
   * The replaced key stays published (and accepted) until the next rotation.
   *
   * @return the new key ids, as {@code {"access": kid, "notification": kid}}
   */
  public Future<JsonObject> rotate(String which) {
    boolean access = which.equals("access") || which.equals("all");
    boolean notification = which.equals("notification") || which.equals("all");
    if (!access && !notification) {
      return Future.failedFuture(GraphException.badRequest(
          "'keys' must be one of access, notification, all; got '" + which + "'."));
    }
    Future<SigningKey> newAccess = access ? generate(vertx, "access tokens") : Future.succeededFuture();
    Future<SigningKey> newNotification = notification ? generate(vertx, "notifications") : Future.succeededFuture();
    return Future.all(newAccess, newNotification)
        .map(both -> new SigningKey[] {newAccess.result(), newNotification.result()}).map(keys -> {
          JsonObject out = new JsonObject();
          if (keys[0] != null) {
            accessKeys.rotate(keys[0]);
            validationToken.forget();
            out.put("access", keys[0].kid());
          }
          if (keys[1] != null) {
            notificationKeys.rotate(keys[1]);
            notificationToken.forget();
            out.put("notification", keys[1].kid());
          }
          LOG.info("Rotated signing keys: {}", out.encode());
          return out;
        });
  }

  /**
   * A new access token for the bot, with the permissions granted now in its {@code roles} (no
   * {@code roles} claim when none is granted, as Entra ID does).
   */
  String issueAccessToken() {
    long now = System.currentTimeMillis() / 1000;
    List<String> granted = roles.names();
    JsonObject claims = new JsonObject()
        .put("aud", GRAPH_AUDIENCE)
        .put("iss", tokenIssuer())
        .put("iat", now)
        .put("nbf", now)
        .put("exp", now + tokenLifetimeSeconds)
        .put("app_displayname", app.displayName())
        .put("appid", app.clientId())
        .put("azp", app.clientId())
        .put("idtyp", "app")
        .put("oid", servicePrincipalId)
        .put("sub", servicePrincipalId)
        .put("tid", app.tenantId())
        .put("uti", UUID.randomUUID().toString().replace("-", ""))
        .put("ver", "2.0");
    if (!granted.isEmpty()) {
      claims.put("roles", new JsonArray(granted));
    }
    return Jwt.sign(accessKeys.current(), claims);
  }

  /** The token's claims when it is valid, else Graph's message for the failure. */
  private Verified checkAccessToken(String token) {
    SignatureChecked checked = lastSignatureChecked;
    Jwt.Parsed jwt;
    if (checked != null && checked.token().equals(token)
        && accessKeys.find(checked.key().kid()).filter(k -> k == checked.key()).isPresent()) {
      jwt = checked.jwt();
    } else {
      Optional<Jwt.Parsed> parsed = Jwt.parse(token);
      if (parsed.isEmpty()) {
        return Verified.refused("IDX14100: JWT is not well formed, there are no dots (.) or the parts cannot be decoded.");
      }
      jwt = parsed.get();
      if (!"RS256".equals(jwt.header().getString("alg"))) {
        return Verified.refused("Access token validation failure. Invalid signature algorithm.");
      }
      Optional<SigningKey> key = accessKeys.find(String.valueOf(jwt.header().getString("kid")));
      if (key.isEmpty() || !Jwt.verify(jwt, key.get())) {
        return Verified.refused("Access token validation failure. Invalid signature.");
      }
      lastSignatureChecked = new SignatureChecked(token, jwt, key.get());
    }
    JsonObject c = jwt.claims();
    long now = System.currentTimeMillis() / 1000;
    Object exp = c.getValue("exp");
    Object nbf = c.getValue("nbf");
    if (!(exp instanceof Number e) || e.longValue() + CLOCK_SKEW_S < now) {
      return Verified.refused("Lifetime validation failed, the token is expired.");
    }
    if (nbf instanceof Number n && n.longValue() - CLOCK_SKEW_S > now) {
      return Verified.refused("Lifetime validation failed, the token is not yet valid.");
    }
    String aud = c.getString("aud");
    if (!GRAPH_AUDIENCE.equals(aud) && !GRAPH_APP_ID.equals(aud) && !(GRAPH_AUDIENCE + "/").equals(aud)) {
      return Verified.refused("Access token validation failure. Invalid audience.");
    }
    if (!tokenIssuer().equals(c.getString("iss")) || !app.tenantId().equals(c.getString("tid"))) {
      return Verified.refused("Access token validation failure. Invalid issuer.");
    }
    return new Verified(c, null);
  }

  /** The string entries of the {@code roles} claim (a token this emulator signed has only strings there). */
  private static List<String> rolesOf(JsonObject claims) {
    return claims.getValue("roles") instanceof JsonArray roles
        ? roles.stream().filter(String.class::isInstance).map(String.class::cast).toList()
        : List.of();
  }

  private JsonObject accessOpenIdConfiguration() {
    String t = baseUrl + "/" + app.tenantId();
    return new JsonObject()
        .put("token_endpoint", t + "/oauth2/v2.0/token")
        .put("token_endpoint_auth_methods_supported",
            new JsonArray().add("client_secret_post").add("private_key_jwt").add("client_secret_basic"))
        .put("jwks_uri", t + "/discovery/v2.0/keys")
        .put("response_modes_supported", new JsonArray().add("query").add("fragment").add("form_post"))
        .put("subject_types_supported", new JsonArray().add("pairwise"))
        .put("id_token_signing_alg_values_supported", new JsonArray().add("RS256"))
        .put("response_types_supported", new JsonArray().add("code").add("id_token").add("code id_token").add("id_token token"))
        .put("scopes_supported", new JsonArray().add("openid").add("profile").add("email").add("offline_access"))
        .put("issuer", tokenIssuer())
        .put("request_uri_parameter_supported", false)
        .put("userinfo_endpoint", t + "/openid/userinfo")
        .put("authorization_endpoint", t + "/oauth2/v2.0/authorize")
        .put("device_authorization_endpoint", t + "/oauth2/v2.0/devicecode")
        .put("end_session_endpoint", t + "/oauth2/v2.0/logout")
        .put("http_logout_supported", true)
        .put("frontchannel_logout_supported", true)
        .put("claims_supported", new JsonArray().add("sub").add("iss").add("aud").add("exp").add("iat").add("tid"))
        .put("tenant_region_scope", "NA")
        .put("cloud_instance_name", "microsoftonline.com")
        .put("msgraph_host", URI.create(baseUrl).getAuthority());
  }

  private static void json(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(body.encode());
  }
}
