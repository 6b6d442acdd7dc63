package dev.switchboard.platform.security;

import dev.switchboard.api.Caller;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.audit.AuditLog;
import dev.switchboard.platform.http.ApiGuard;
import dev.switchboard.platform.http.HttpErrors;
import dev.switchboard.platform.http.PublicServer;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Authenticates every REST request: the client address is checked against the failure throttle, the bearer
 * credential (an API key {@code sb_...}, else an OpenID Connect token) verified, the key's rate limit applied; then
 * every request that changes something is recorded in the audit log once answered. Each request gets a request id
 * ({@code X-Request-Id}, the client's own when it sent a sensible one) that the audit entry carries.
 */
final class RestGuard implements ApiGuard {

  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private final boolean open;
  private final ApiKeyStore keys;
  private final OidcAuthenticator oidc;
  private final FailureThrottle throttle;
  private final RateLimiter limiter;
  private final AuditLog audit;
  private final String idPrefix = Long.toHexString(new SecureRandom().nextLong() >>> 16) + "-";
  private final AtomicLong requests = new AtomicLong();

  /**
   * @param keys the key store, or {@code null} when keys are not accepted
   * @param oidc the token verifier, or {@code null} when tokens are not accepted
   */
  RestGuard(boolean open, ApiKeyStore keys, OidcAuthenticator oidc, FailureThrottle throttle, RateLimiter limiter,
      AuditLog audit) {
    this.open = open;
    this.keys = keys;
    this.oidc = oidc;
    this.throttle = throttle;
    this.limiter = limiter;
    this.audit = audit;
  }

  @Override
  public void authenticate(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String client = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    String clientKey = FailureThrottle.clientKey(client);
    long blocked = throttle.blockedFor(clientKey, System.nanoTime());
    if (blocked > 0) {
      tooMany(ctx, blocked, "tooManyFailures", "Too many failed authentications from this address; try again in "
          + blocked + " s");
      return;
    }
    String requestId = request.getHeader("X-Request-Id");
    if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
      requestId = idPrefix + Long.toHexString(requests.incrementAndGet());
    }
    ctx.response().putHeader("X-Request-Id", requestId);
    if (changes(request.method())) {
      String id = requestId;
      ctx.addEndHandler(ended -> record(ctx, client, id));
    }
    if (open) {
      request.headers().remove(HttpHeaders.AUTHORIZATION); // never handed to plugins, checked or not
      ctx.put(PublicServer.CALLER, Caller.ANONYMOUS);
      ctx.next();
      return;
    }
    Future<Caller> caller = caller(request.getHeader(HttpHeaders.AUTHORIZATION));
    if (!caller.isComplete()) {
      request.pause(); // an issuer's keys are being fetched; the body waits
    }
    caller.onComplete(ar -> {
      if (ar.failed() && ar.cause() instanceof RateLimited limited) {
        tooMany(ctx, limited.retryAfter, limited.errorId(), limited.getMessage());
        return;
      }
      if (ar.failed()) {
        throttle.failed(clientKey, System.nanoTime());
        refuse(ctx, ar.cause() instanceof SwitchboardException e ? e : new SwitchboardException(ErrorCode.UNAUTHORIZED,
            "invalidToken", "The bearer token was refused: " + ar.cause().getMessage()));
        return;
      }
      ctx.put(PublicServer.CALLER, ar.result());
      // The credential is the platform's business: a plugin that logs its headers must not log an API key.
      request.headers().remove(HttpHeaders.AUTHORIZATION);
      ctx.next();
    });
  }

  @Override
  public SwitchboardException refusal(Caller caller, String scope, HttpMethod method, String path) {
    if (caller.allows(scope)) {
      return null;
    }
    String what = method.name() + " " + PublicServer.API_PREFIX + path;
    return new SwitchboardException(ErrorCode.FORBIDDEN, "missingScope", caller.kind() == Caller.Kind.KEY
        ? "API key '" + caller.name() + "' does not hold the scope " + scope + " that " + what + " needs; create a key "
            + "with it (switchboard keys create NAME --scope " + scope + ")"
        : "The token of '" + caller.name() + "' does not hold the scope " + scope + " that " + what + " needs (in its "
            + "scp or roles claim); grant it to the client in the issuer's app registration");
  }

  /** Who the {@code Authorization} header says is calling; a failure is the 401 (or 429) to answer with. */
  private Future<Caller> caller(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.UNAUTHORIZED, "missingCredential",
          "This API needs 'Authorization: Bearer <API key or token>'; an operator creates keys with switchboard keys "
              + "create"));
    }
    String token = authorization.substring(7).trim();
    if (ApiKeyStore.looksLikeKey(token)) {
      if (keys == null) {
        return unauthorized("keysNotAccepted", "API keys are not accepted by this server (api.auth does not include "
            + "keys); send a token of the configured issuer");
      }
      return key(token);
    }
    if (oidc == null) {
      return unauthorized("invalidKey", "The bearer credential is not an API key (they start with "
          + ApiKeyStore.PREFIX + ")");
    }
    return oidc.authenticate(token);
  }

  private Future<Caller> key(String token) {
    ApiKeyStore.Lookup found = keys.find(token);
    if (found instanceof ApiKeyStore.Expired expired) {
      return unauthorized("keyExpired", "API key '" + expired.key().name() + "' has expired; create a new one with "
          + "switchboard keys create");
    }
    if (!(found instanceof ApiKeyStore.Valid valid)) {
      return unauthorized("invalidKey", "The API key is not valid: it is unknown or was revoked");
    }
    ApiKey key = valid.key();
    long wait = limiter.take(key, System.nanoTime());
    if (wait > 0) {
      return Future.failedFuture(new RateLimited("API key '" + key.name() + "' may make " + key.ratePerSecond()
          + " requests per second; retry in " + wait + " s", wait));
    }
    return Future.succeededFuture(valid.caller());
  }

  private static Future<Caller> unauthorized(String code, String message) {
    return Future.failedFuture(new SwitchboardException(ErrorCode.UNAUTHORIZED, code, message));
  }

  private static void refuse(RoutingContext ctx, SwitchboardException error) {
    ctx.request().resume();
    HttpErrors.write(ctx.response(), error);
  }

  private static void tooMany(RoutingContext ctx, long retryAfter, String code, String message) {
    ctx.request().resume();
    ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
    HttpErrors.write(ctx.response(), new SwitchboardException(ErrorCode.TOO_MANY_REQUESTS, code, message));
  }

  private void record(RoutingContext ctx, String client, String requestId) {
    Caller caller = ctx.get(PublicServer.CALLER);
    audit.record(new JsonObject().put("source", "rest")
        .put("who", caller == null ? null : new JsonObject().put("kind", caller.kind().name().toLowerCase())
            .put("name", caller.name()))
        .put("method", ctx.request().method().name()).put("path", ctx.request().path())
        .put("status", ctx.response().getStatusCode()).put("client", client).put("requestId", requestId));
  }

  private static boolean changes(HttpMethod method) {
    return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH
        || method == HttpMethod.DELETE;
  }

  /** A key over its rate: answered 429 with {@code Retry-After}, and not counted as a failed authentication. */
  private static final class RateLimited extends SwitchboardException {
    private static final long serialVersionUID = 1L;
    final long retryAfter;

    RateLimited(String message, long retryAfter) {
      super(ErrorCode.TOO_MANY_REQUESTS, "rateLimited", message);
      this.retryAfter = retryAfter;
    }
  }
}
