package dev.switchboard.platform.ingress;

import dev.switchboard.api.CallNotifications;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.http.BoundedBody;
import dev.switchboard.platform.http.HttpErrors;
import dev.switchboard.platform.jwt.JwksSource;
import dev.switchboard.platform.routing.KeyRouter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /callbacks/calling[/...]}: Graph's calling notifications. The bearer JWT is verified, the body
 * checked to be a {@code commsNotifications} envelope, the request answered 202 at once, and each notification
 * sent, in the order received, to the owner of its call on {@link CallNotifications#ADDRESS}. Nothing that
 * fails a check reaches a plugin. A notification in the legacy (Skype) format is answered 204, which makes Graph
 * send it again in its own format.
 */
public final class CallbackIngress {

  private static final Logger LOG = LoggerFactory.getLogger(CallbackIngress.class);
  private static final String ENDPOINT = "calling";
  /**
   * A call's id in a resourceUrl in every form Graph writes it: {@code /communications/calls/{id}/...},
   * {@code communications/calls/{id}} (no leading slash, as the hold-music notifications), an absolute
   * {@code https://graph.microsoft.com/v1.0/communications/calls/{id}}, and the legacy {@code /app/calls/{id}}.
   */
  private static final Pattern CALL_ID = Pattern.compile("(?:^|/)(?:communications|app)/calls/([^/?#]+)");

  private final KeyRouter router;
  private final CallbackTokenVerifier verifier;
  private final IngressStats stats;
  private final int maxBodyBytes;
  private final JwksSource keys;

  /**
   * @param trust the trust toward the OpenID configuration's host; asked for when the keys are first fetched
   */
  public CallbackIngress(Vertx vertx, SwitchboardConfig config, java.util.function.Supplier<TrustOptions> trust,
      KeyRouter router, IngressStats stats) {
    this.router = router;
    this.stats = stats;
    this.maxBodyBytes = config.http().maxBodyBytes();
    java.util.function.Supplier<WebClient> web = () -> WebClient.create(vertx,
        new WebClientOptions().setTrustOptions(trust.get()).setConnectTimeout(10_000));
    this.keys = new JwksSource(web, config.graph().openIdConfigUrl(), "Graph's callback tokens", Duration.ofSeconds(1),
        Duration.ofHours(2));
    this.verifier = new CallbackTokenVerifier(keys, config.graph().callbackIssuers(),
        config.graph().clientId() == null ? "" : config.graph().clientId());
  }

  /** Fetches the signing keys ahead of the first callback; failures are logged, and retried on demand. */
  public void prefetchKeys() {
    keys.fetch();
  }

  /** Adds the callback routes to the public router. */
  public void mount(Router web) {
    var body = BoundedBody.reader(maxBodyBytes);
    web.post("/callbacks/calling").handler(body).handler(this::handle);
    web.post("/callbacks/calling/*").handler(body).handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    verifier.verify(ctx.request().getHeader("Authorization")).onComplete(ar -> {
      if (ar.failed()) {
        stats.count(ENDPOINT, "unauthorized");
        LOG.warn("Refused a calling callback from {}: {}", ctx.request().remoteAddress(), ar.cause().getMessage());
        HttpErrors.write(ctx.response(), new SwitchboardException(ErrorCode.UNAUTHORIZED, "invalidToken",
            "The callback's bearer token was refused: " + ar.cause().getMessage()));
        return;
      }
      accept(ctx, ar.result());
    });
  }

  private void accept(RoutingContext ctx, CallbackTokenVerifier.Verified token) {
    Buffer raw = BoundedBody.of(ctx);
    Object parsed;
    try {
      parsed = raw == null || raw.length() == 0 ? null : Json.decodeValue(raw);
    } catch (DecodeException e) {
      malformed(ctx, "the body is not valid JSON");
      return;
    }
    if (!(parsed instanceof JsonObject envelope)) {
      malformed(ctx, "the body must be a commsNotifications JSON object");
      return;
    }
    if (isLegacy(envelope)) {
      stats.count(ENDPOINT, "legacy");
      LOG.info("A calling notification arrived in the legacy format; answered 204 so that Graph sends it again in "
          + "its own format");
      ctx.response().setStatusCode(204).end();
      return;
    }
    Object type = envelope.getValue("@odata.type");
    if (!(envelope.getValue("value") instanceof JsonArray batch)
        || (type != null && !"#microsoft.graph.commsNotifications".equals(type))) {
      malformed(ctx, "the body is not a commsNotifications envelope (an object with a 'value' array)");
      return;
    }
    // Each call id is read once (a regular expression over the resourceUrl), before anything is handed over.
    String[] callIds = new String[batch.size()];
    for (int i = 0; i < callIds.length; i++) {
      if (!(batch.getValue(i) instanceof JsonObject n) || (callIds[i] = callId(n)) == null) {
        malformed(ctx, "every notification needs a resourceUrl naming a call (/communications/calls/{id})");
        return;
      }
    }
    Instant receivedAt = Instant.now();
    List<Future<Void>> accepted = new ArrayList<>(callIds.length);
    // A notification counts as handed over or lost only once Graph got its 202: after a 503 Graph sends it again.
    Promise<Void> answered202 = Promise.promise();
    for (int i = 0; i < callIds.length; i++) {
      JsonObject notification = batch.getJsonObject(i);
      String callId = callIds[i];
      accepted.add(router.acceptNotification(new KeyedMessage.Notification(CallNotifications.ADDRESS, callId,
          token.tenantId(), receivedAt, notification), handled -> answered202.future().onSuccess(v -> {
            stats.countNotification(ENDPOINT, handled.succeeded() ? "handedOver" : "lost");
            if (handled.failed()) {
              LOG.error("A {} notification for call {} ({}) was accepted but not handled: {}",
                  notification.getString("changeType"), callId, notification.getString("resourceUrl"),
                  handled.cause().getMessage());
            }
          })));
    }
    // Answered once each notification's owner has it (at once on a single server; from the owning member in a
    // cluster), so that Graph's next notification for the call is routed after this one. 503 makes Graph resend.
    // (Graph sends one notification per request nearly always: its future is waited for as it is.)
    Future<?> all = accepted.size() == 1 ? accepted.get(0) : Future.all(accepted);
    all.onComplete(done -> {
      if (done.succeeded()) {
        answered202.complete();
        stats.count(ENDPOINT, "accepted");
        ctx.response().setStatusCode(202).end();
      } else {
        stats.count(ENDPOINT, "unrouted");
        LOG.warn("A calling callback could not reach the owner of its call: {}; answered 503 so that Graph sends it "
            + "again", done.cause().getMessage());
        HttpErrors.write(ctx.response(), done.cause());
      }
    });
  }

  private void malformed(RoutingContext ctx, String why) {
    stats.count(ENDPOINT, "malformed");
    HttpErrors.write(ctx.response(), new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidNotification", why));
  }

  /** The call id of a notification, from its resourceUrl (or the legacy resource); {@code null} if none. */
  static String callId(JsonObject notification) {
    for (String field : new String[] {"resourceUrl", "resource"}) {
      if (notification.getValue(field) instanceof String url) {
        Matcher m = CALL_ID.matcher(url);
        if (m.find()) {
          return m.group(1);
        }
      }
    }
    return null;
  }

  /**
   * The Skype-era format Teams may use for a first notification: a conversation object with
   * {@code callState} or {@code presentedModalityTypes} and no {@code value} batch.
   */
  private static boolean isLegacy(JsonObject body) {
    return !body.containsKey("value") && (body.containsKey("callState") || body.containsKey("presentedModalityTypes"));
  }
}
