package dev.switchboard.platform.security;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.audit.AuditDetails;
import dev.switchboard.platform.config.Durations;
import dev.switchboard.platform.http.BoundedBody;
import dev.switchboard.platform.http.HttpErrors;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code /admin/keys}: REST API keys created ({@code POST}, the secret in the answer and nowhere else), listed
 * ({@code GET}, metadata only) and revoked ({@code DELETE /admin/keys/{name or id}}). Behind the admin token.
 */
final class KeyAdminRoutes {

  private final ApiKeyStore keys;
  private final RateLimiter limiter;

  KeyAdminRoutes(ApiKeyStore keys, RateLimiter limiter) {
    this.keys = keys;
    this.limiter = limiter;
  }

  void mount(Router router) {
    router.post("/admin/keys").handler(this::create);
    router.get("/admin/keys").handler(ctx -> {
      JsonArray list = new JsonArray();
      Instant now = Instant.now();
      keys.list().forEach(k -> list.add(k.metadata(now)));
      ctx.response().putHeader("Content-Type", "application/json").end(list.toBuffer());
    });
    router.delete("/admin/keys/:name").handler(ctx -> keys.revoke(ctx.pathParam("name")).onComplete(ar -> {
      if (ar.failed()) {
        HttpErrors.write(ctx.response(), ar.cause());
        return;
      }
      limiter.forget(ar.result().id());
      AuditDetails.add(ctx, new JsonObject().put("key", ar.result().metadata(Instant.now())));
      ctx.response().setStatusCode(204).end();
    }));
  }

  private void create(RoutingContext ctx) {
    JsonObject body;
    Instant expiresAt;
    Double rate;
    List<String> scopes;
    try {
      body = BoundedBody.of(ctx).toJsonObject();
      expiresAt = expiry(body);
      Number rateValue = body.getNumber("ratePerSecond");
      rate = rateValue == null ? null : rateValue.doubleValue();
      JsonArray scopeList = body.getJsonArray("scopes");
      scopes = scopeList == null ? null : scopeList.stream().map(s -> s instanceof String text ? text : null).toList();
    } catch (DecodeException | ClassCastException e) {
      HttpErrors.write(ctx.response(), new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidKeyRequest",
          "Send a JSON object: {\"name\": \"crm\", \"scopes\": [\"calls:write\"], \"ttl\": \"90d\" or \"expiresAt\": "
              + "\"2027-01-01T00:00:00Z\", \"ratePerSecond\": 10}"));
      return;
    } catch (SwitchboardException e) {
      HttpErrors.write(ctx.response(), e);
      return;
    }
    keys.create(body.getString("name"), scopes, expiresAt, rate).onComplete(ar -> {
      if (ar.failed()) {
        HttpErrors.write(ctx.response(), ar.cause());
        return;
      }
      ApiKey key = ar.result().key();
      AuditDetails.add(ctx, new JsonObject().put("key", key.metadata(Instant.now())));
      ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
          .putHeader("Cache-Control", "no-store")
          .end(key.metadata(Instant.now()).put("secret", ar.result().secret()).toBuffer());
    });
  }

  /** {@code expiresAt} (an instant) or {@code ttl} (a duration such as {@code 90d}), not both; none for no expiry. */
  private static Instant expiry(JsonObject body) {
    String at = body.getString("expiresAt");
    Object ttl = body.getValue("ttl");
    if (at != null && ttl != null) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidExpiry", "Give expiresAt or ttl, not both");
    }
    if (at != null) {
      try {
        return Instant.parse(at);
      } catch (DateTimeParseException e) {
        throw new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidExpiry", "expiresAt must be an ISO-8601 instant "
            + "such as 2027-01-31T00:00:00Z, got " + at);
      }
    }
    if (ttl == null) {
      return null;
    }
    Duration duration = ttl instanceof Number seconds ? Duration.ofSeconds(seconds.longValue())
        : Durations.parse(String.valueOf(ttl).trim());
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidExpiry", "ttl must be a duration such as 90d, 12h "
          + "or 30m (or a number of seconds), got " + ttl);
    }
    return Instant.now().plus(duration).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  }
}
