package dev.switchboard.emulator.subscriptions;

import dev.switchboard.emulator.http.Bodies;
import dev.switchboard.emulator.http.GraphException;
import dev.switchboard.emulator.http.OutboundClients;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The Graph routes under {@code /v1.0/subscriptions} (graph-reference §8.1, §8.2, §8.5). Create,
 * renew (PATCH) and reauthorize first validate the subscription's endpoints with the handshake;
 * when an endpoint fails it, the answer is 400 and nothing changes.
 */
final class SubscriptionsApi {

  private static final String SUBSCRIPTIONS = "/v1.0/subscriptions";
  private static final String SUBSCRIPTION = SUBSCRIPTIONS + "/:id";
  private static final Set<String> CREATE_FIELDS = Set.of("changeType", "notificationUrl", "lifecycleNotificationUrl",
      "resource", "expirationDateTime", "clientState", "latestSupportedTlsVersion", "includeResourceData",
      "encryptionCertificate", "encryptionCertificateId", "notificationQueryOptions", "notificationUrlAppId",
      "notificationContentType");
  private static final Set<String> TLS_VERSIONS = Set.of("v1_0", "v1_1", "v1_2", "v1_3");
  private static final int CLIENT_STATE_MAX = 128;
  private static final int CERTIFICATE_ID_MAX = 128;
  private static final Set<String> UPDATE_FIELDS = Set.of("expirationDateTime", "notificationUrl",
      "encryptionCertificate", "encryptionCertificateId");

  private final SubscriptionsModule module;

  SubscriptionsApi(SubscriptionsModule module) {
    this.module = module;
  }

  void mount(Router router) {
    router.post(SUBSCRIPTIONS).handler(this::create);
    router.get(SUBSCRIPTIONS).handler(ctx -> {
      JsonArray value = new JsonArray();
      module.activeSubscriptions().forEach(s -> value.add(s.toJson()));
      json(ctx, 200, new JsonObject().put("@odata.context", module.baseUrl + "/v1.0/$metadata#subscriptions")
          .put("value", value));
    });
    router.get(SUBSCRIPTION).handler(ctx -> json(ctx, 200, entity(module.require(ctx.pathParam("id")))));
    router.patch(SUBSCRIPTION).handler(this::renew);
    router.delete(SUBSCRIPTION).handler(ctx -> {
      module.delete(module.require(ctx.pathParam("id")));
      ctx.response().setStatusCode(204).end();
    });
    router.post(SUBSCRIPTION + "/reauthorize").handler(ctx -> {
      String id = ctx.pathParam("id");
      Subscription s = module.require(id);
      after(ctx, validate(s.notificationUrl, s.lifecycleNotificationUrl), () -> {
        module.require(id).reauthorizations++;
        ctx.response().setStatusCode(204).end();
      });
    });
  }

  private void create(RoutingContext ctx) {
    JsonObject body = Bodies.object(ctx);
    for (String f : body.fieldNames()) {
      if (!CREATE_FIELDS.contains(f) && !f.startsWith("@odata.")) {
        throw GraphException.badRequest("Invalid property '" + f + "': a subscription has " + CREATE_FIELDS + ".");
      }
    }
    String resource = Bodies.string(body, "resource", true);
    SubscribedResource watched = SubscribedResource.parse(resource);
    List<String> changeTypes = watched.changeTypes(Bodies.string(body, "changeType", true));
    String notificationUrl = url(body, "notificationUrl", true);
    String lifecycleUrl = url(body, "lifecycleNotificationUrl", false);
    Instant expiration = dateTime(Bodies.string(body, "expirationDateTime", true));
    String clientState = Bodies.string(body, "clientState", false);
    if (clientState != null && clientState.length() > CLIENT_STATE_MAX) {
      throw GraphException.badRequest("clientState must be at most " + CLIENT_STATE_MAX + " characters; it has "
          + clientState.length() + ".");
    }
    String tls = Bodies.string(body, "latestSupportedTlsVersion", false);
    if (tls != null && !TLS_VERSIONS.contains(tls)) {
      throw GraphException.badRequest("latestSupportedTlsVersion must be one of v1_0, v1_1, v1_2, v1_3; got '" + tls + "'.");
    }
    Object rich = body.getValue("includeResourceData");
    if (rich != null && !(rich instanceof Boolean)) {
      throw GraphException.badRequest("Property 'includeResourceData' must be a boolean.");
    }
    EncryptionCertificate encryption = Boolean.TRUE.equals(rich) ? encryption(body, watched) : null;
    module.checkExpiration(expiration, watched);
    after(ctx, validate(notificationUrl, lifecycleUrl), () -> {
      module.checkExpiration(expiration, watched); // the handshake took time: still in the future?
      Subscription s = module.add(new Subscription(resource, watched, changeTypes, notificationUrl, lifecycleUrl,
          clientState, tls == null ? "v1_2" : tls, expiration, module.app.clientId(), module.creatorId, module.clock.now(),
          encryption));
      json(ctx, 201, entity(s));
    });
  }

  private void renew(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Subscription s = module.require(id);
    JsonObject body = Bodies.object(ctx);
    for (String f : body.fieldNames()) {
      if (f.equals("lifecycleNotificationUrl")) {
        throw GraphException.badRequest("lifecycleNotificationUrl cannot be added or changed by an update; create a new"
            + " subscription.");
      }
      if (!UPDATE_FIELDS.contains(f) && !f.startsWith("@odata.")) {
        throw GraphException.badRequest("Property '" + f + "' cannot be updated: send expirationDateTime (and"
            + " optionally notificationUrl, and encryptionCertificate with encryptionCertificateId).");
      }
    }
    Instant expiration = dateTime(Bodies.string(body, "expirationDateTime", true));
    String newUrl = url(body, "notificationUrl", false);
    EncryptionCertificate newCertificate = null;
    if (body.containsKey("encryptionCertificate") || body.containsKey("encryptionCertificateId")) {
      if (!s.includesResourceData()) {
        throw GraphException.badRequest("encryptionCertificate and encryptionCertificateId can only be updated on a"
            + " subscription created with includeResourceData: true.");
      }
      newCertificate = certificate(body);
    }
    EncryptionCertificate rotated = newCertificate;
    module.checkExpiration(expiration, s.watched);
    after(ctx, validate(newUrl != null ? newUrl : s.notificationUrl, s.lifecycleNotificationUrl), () -> {
      Subscription still = module.require(id);
      module.checkExpiration(expiration, still.watched);
      module.renew(still, expiration, newUrl);
      if (rotated != null) {
        still.encryption = rotated; // notifications from now on use the new certificate
      }
      json(ctx, 200, entity(still));
    });
  }

  /**
   * The certificate of a subscription with {@code includeResourceData: true}: both
   * {@code encryptionCertificate} and {@code encryptionCertificateId} are required, and the resource
   * must be one whose notifications can carry resource data (presence; not callRecords).
   */
  private static EncryptionCertificate encryption(JsonObject body, SubscribedResource watched) {
    if (!watched.kind().resourceData) {
      throw GraphException.badRequest("includeResourceData is not supported for " + watched.kind().label
          + " subscriptions: their notifications carry only the resource's id. Subscribe without it and GET the"
          + " resource.");
    }
    return certificate(body);
  }

  /** {@code encryptionCertificate} and {@code encryptionCertificateId}, both required, parsed. */
  private static EncryptionCertificate certificate(JsonObject body) {
    String certificate = Bodies.string(body, "encryptionCertificate", false);
    if (certificate == null || certificate.isBlank()) {
      throw GraphException.badRequest("encryptionCertificate is required when includeResourceData is true: give the"
          + " base64 of a DER-encoded X.509 certificate whose RSA public key encrypts the resource data.");
    }
    String id = Bodies.string(body, "encryptionCertificateId", false);
    if (id == null || id.isBlank()) {
      throw GraphException.badRequest("encryptionCertificateId is required when includeResourceData is true: it"
          + " names the certificate in each notification's encryptedContent.");
    }
    if (id.length() > CERTIFICATE_ID_MAX) {
      throw GraphException.badRequest("encryptionCertificateId must be at most " + CERTIFICATE_ID_MAX
          + " characters; it has " + id.length() + ".");
    }
    return EncryptionCertificate.parse(certificate, id);
  }

  /** Validates the notification endpoint and, when given, the lifecycle one (concurrently). */
  private Future<Void> validate(String notificationUrl, String lifecycleUrl) {
    List<Future<Void>> checks = new ArrayList<>();
    checks.add(module.handshake.validate("notificationUrl", notificationUrl));
    if (lifecycleUrl != null) {
      checks.add(module.handshake.validate("lifecycleNotificationUrl", lifecycleUrl));
    }
    return Future.all(checks).mapEmpty();
  }

  /** Runs {@code then} when {@code validated} succeeds; fails the request with the (first) failure otherwise. */
  private static void after(RoutingContext ctx, Future<Void> validated, Runnable then) {
    validated.onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      try {
        then.run();
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    });
  }

  private JsonObject entity(Subscription s) {
    JsonObject out = new JsonObject().put("@odata.context", module.baseUrl + "/v1.0/$metadata#subscriptions/$entity");
    s.toJson().forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private static String url(JsonObject body, String name, boolean required) {
    String url = Bodies.string(body, name, required);
    if (url != null) {
      String bad = OutboundClients.checkUrl(url);
      if (bad != null) {
        throw GraphException.badRequest("Property '" + name + "' must be an absolute https (or http) URL: " + bad + ".");
      }
    }
    return url;
  }

  /** An ISO-8601 date and time, to Graph's 100-ns precision; without an offset it is taken as UTC. */
  static Instant dateTime(String text) {
    Instant t = parseDateTime(text);
    return Instant.ofEpochSecond(t.getEpochSecond(), t.getNano() / 100 * 100);
  }

  private static Instant parseDateTime(String text) {
    Supplier<GraphException> bad = () -> GraphException.badRequest("expirationDateTime must be an ISO-8601 date and time"
        + " such as 2024-02-28T00:00:00.0000000Z; got '" + text + "'.");
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        throw bad.get();
      }
    }
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
