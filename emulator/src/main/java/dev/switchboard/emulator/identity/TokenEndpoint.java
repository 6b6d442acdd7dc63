package dev.switchboard.emulator.identity;

import dev.switchboard.emulator.world.BotApplication;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@code POST /{tenant}/oauth2/v2.0/token} for the client-credentials grant, with Entra ID's
 * error responses ({@code error}, {@code error_description} starting with the AADSTS code,
 * {@code error_codes}, {@code timestamp}, {@code trace_id}, {@code correlation_id}).
 */
final class TokenEndpoint {

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private final BotApplication app;
  private final long lifetimeSeconds;
  private final Supplier<String> tokenIssuer;

  TokenEndpoint(BotApplication app, long lifetimeSeconds, Supplier<String> tokenIssuer) {
    this.app = app;
    this.lifetimeSeconds = lifetimeSeconds;
    this.tokenIssuer = tokenIssuer;
  }

  void handle(RoutingContext ctx) {
    String tenant = ctx.pathParam("tenant");
    if (!app.tenantId().equalsIgnoreCase(tenant)) {
      fail(ctx, 400, "invalid_request", 90002, "Tenant '" + tenant
          + "' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."
          + " The emulator's tenant is " + app.tenantId() + ".");
      return;
    }
    MultiMap form = ctx.request().formAttributes();
    String grant = form.get("grant_type");
    String clientId = form.get("client_id");
    String secret = form.get("client_secret");
    String basic = ctx.request().getHeader("Authorization");
    if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
      String[] pair = decodeBasic(basic.substring(6).trim());
      if (pair != null) {
        clientId = clientId == null ? pair[0] : clientId;
        secret = pair[1];
      }
    }
    if (grant == null) {
      missing(ctx, "grant_type");
    } else if (!grant.equals("client_credentials")) {
      fail(ctx, 400, "unsupported_grant_type", 70003,
          "The app requested an unsupported grant type '" + grant + "'. The emulator supports client_credentials only.");
    } else if (clientId == null) {
      missing(ctx, "client_id");
    } else if (!clientId.equalsIgnoreCase(app.clientId())) {
      fail(ctx, 400, "unauthorized_client", 700016, "Application with identifier '" + clientId
          + "' was not found in the directory '" + tenant + "'. The emulator's registered application is "
          + app.clientId() + ".");
    } else if (secret == null) {
      fail(ctx, 401, "invalid_client", 7000218,
          "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    } else if (!secret.equals(app.clientSecret())) {
      fail(ctx, 401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the"
          + " request is the client secret value, not the client secret ID, for a secret added to app '" + app.clientId() + "'.");
    } else {
      String scopeError = checkScope(form.get("scope"), tenant);
      if (scopeError == null) {
        ctx.response()
            .putHeader("Content-Type", "application/json; charset=utf-8")
            .putHeader("Cache-Control", "no-store, no-cache")
            .putHeader("Pragma", "no-cache")
            .end(new JsonObject()
                .put("token_type", "Bearer")
                .put("expires_in", lifetimeSeconds)
                .put("ext_expires_in", lifetimeSeconds)
                .put("access_token", tokenIssuer.get())
                .encode());
      } else if (scopeError.startsWith("missing")) {
        missing(ctx, "scope");
      } else if (scopeError.startsWith("resource:")) {
        fail(ctx, 400, "invalid_resource", 500011, "The resource principal named " + scopeError.substring(9)
            + " was not found in the tenant named " + tenant + ". The emulator only issues tokens for https://graph.microsoft.com.");
      } else {
        fail(ctx, 400, "invalid_scope", 1002012, "The provided value for scope " + scopeError + " is not valid."
            + " Client credential flows must have a scope value with /.default suffixed to the resource identifier"
            + " (application ID URI), such as https://graph.microsoft.com/.default.");
      }
    }
  }

  /** Null when valid; "missing"; "resource:X" for another resource; else the offending scope value. */
  private static String checkScope(String scope, String tenant) {
    if (scope == null || scope.isBlank()) {
      return "missing";
    }
    String resourceScope = null;
    for (String s : scope.trim().split("\\s+")) {
      String lower = s.toLowerCase(Locale.ROOT);
      if (lower.equals("openid") || lower.equals("profile") || lower.equals("offline_access")) {
        continue; // MSAL adds these to every request; Entra ID ignores them for client credentials
      }
      if (resourceScope != null || !lower.endsWith("/.default")) {
        return scope;
      }
      resourceScope = lower;
    }
    if (resourceScope == null) {
      return scope;
    }
    String resource = resourceScope.substring(0, resourceScope.length() - "/.default".length());
    if (resource.equals("https://graph.microsoft.com") || resource.equals(IdentityService.GRAPH_APP_ID)) {
      return null;
    }
    return "resource:" + resource;
  }

  private static void missing(RoutingContext ctx, String parameter) {
    fail(ctx, 400, "invalid_request", 900144, "The request body must contain the following parameter: '" + parameter + "'.");
  }

  private static void fail(RoutingContext ctx, int status, String error, int aadsts, String description) {
    String trace = UUID.randomUUID().toString();
    String correlation = UUID.randomUUID().toString();
    String now = TIMESTAMP.format(Instant.now());
    JsonObject body = new JsonObject()
        .put("error", error)
        .put("error_description", "AADSTS" + aadsts + ": " + description + "\r\nTrace ID: " + trace
            + "\r\nCorrelation ID: " + correlation + "\r\nTimestamp: " + now)
        .put("error_codes", new JsonArray().add(aadsts))
        .put("timestamp", now)
        .put("trace_id", trace)
        .put("correlation_id", correlation)
        .put("error_uri", "https://login.microsoftonline.com/error?code=" + aadsts);
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8").end(body.encode());
  }

  private static String[] decodeBasic(String b64) {
    try {
      String text = new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
      int colon = text.indexOf(':');
      if (colon < 0) {
        return null;
      }
      return new String[] {
          URLDecoder.decode(text.substring(0, colon), StandardCharsets.UTF_8),
          URLDecoder.decode(text.substring(colon + 1), StandardCharsets.UTF_8)};
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
