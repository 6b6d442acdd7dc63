package dev.switchboard.platform.ingress;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.http.BoundedBody;
import dev.switchboard.platform.http.HttpErrors;
import dev.switchboard.platform.richdata.ValidationTokens;
import dev.switchboard.platform.subscriptions.SubscriptionManager;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /callbacks/notifications} and {@code /callbacks/lifecycle}: Graph's change and lifecycle
 * notifications. Answers the {@code validationToken} handshake with the decoded token as plain text; otherwise
 * hands each notification to the {@link SubscriptionManager} (which checks its {@code clientState} and, for
 * notifications with resource data, the collection's {@code validationTokens}, and writes each accepted one down on
 * the disk) and answers 202 once all are written down, a few milliseconds, well within Graph's 3 seconds; 503 when
 * one could not be, so that Graph sends the collection again. A mismatched or unknown subscription is counted and
 * ignored, still with 202, as Graph asks.
 */
public final class NotificationIngress {

  private static final Logger LOG = LoggerFactory.getLogger(NotificationIngress.class);
  private static final int MAX_VALIDATION_TOKEN = 4096;

  private final SubscriptionManager subscriptions;
  private final IngressStats stats;
  private final int maxBodyBytes;

  public NotificationIngress(SubscriptionManager subscriptions, IngressStats stats, int maxBodyBytes) {
    this.subscriptions = subscriptions;
    this.stats = stats;
    this.maxBodyBytes = maxBodyBytes;
  }

  public void mount(Router web) {
    var body = BoundedBody.reader(maxBodyBytes);
    web.post("/callbacks/notifications").handler(body).handler(ctx -> handle(ctx, "notifications",
        (item, tokens) -> subscriptions.notification(item, tokens)));
    web.post("/callbacks/lifecycle").handler(body).handler(ctx -> handle(ctx, "lifecycle",
        (item, tokens) -> subscriptions.lifecycle(item)));
  }

  private void handle(RoutingContext ctx, String endpoint,
      BiFunction<JsonObject, ValidationTokens, Future<String>> dispatch) {
    String validationToken = ctx.queryParams().get("validationToken");
    if (validationToken != null) {
      if (validationToken.length() > MAX_VALIDATION_TOKEN) {
        stats.count(endpoint, "malformed");
        HttpErrors.write(ctx.response(), new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidValidationToken",
            "The validationToken is longer than " + MAX_VALIDATION_TOKEN + " characters"));
        return;
      }
      stats.count(endpoint, "validation");
      // The token is echoed as plain text, never interpreted: no HTML, no sniffing.
      ctx.response().setStatusCode(200).putHeader("Content-Type", "text/plain; charset=utf-8")
          .putHeader("X-Content-Type-Options", "nosniff").end(validationToken);
      return;
    }
    Buffer raw = BoundedBody.of(ctx);
    JsonArray batch;
    ValidationTokens tokens = null;
    try {
      Object parsed = raw == null || raw.length() == 0 ? null : Json.decodeValue(raw);
      batch = parsed instanceof JsonObject o && o.getValue("value") instanceof JsonArray a ? a : null;
      tokens = parsed instanceof JsonObject o ? ValidationTokens.of(o.getValue("validationTokens")) : null;
    } catch (DecodeException e) {
      batch = null;
    }
    if (batch == null || batch.stream().anyMatch(i -> !(i instanceof JsonObject))) {
      stats.count(endpoint, "malformed");
      HttpErrors.write(ctx.response(), new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidNotification",
          "The body must be a change-notification collection: an object with a 'value' array of notifications"));
      return;
    }
    List<Future<String>> outcomes = new ArrayList<>();
    for (Object o : batch) {
      JsonObject item = (JsonObject) o;
      outcomes.add(dispatch.apply(item, tokens).onComplete(ar -> {
        String outcome = ar.succeeded() ? ar.result() : "failed";
        stats.count(endpoint, outcome);
        if (ar.failed()) {
          LOG.error("A {} notification for subscription {} could not be handled: {}", endpoint,
              item.getString("subscriptionId"), ar.cause().toString());
        } else if (outcome.equals("unknownSubscription")) {
          LOG.warn("Ignored a {} notification for unknown subscription {}", endpoint, item.getString("subscriptionId"));
        }
      }));
    }
    // 202 once every notification is written down (or refused); otherwise an error, so that Graph sends them again.
    Future.join(outcomes).onComplete(all -> {
      if (all.succeeded()) {
        ctx.response().setStatusCode(202).end();
      } else {
        HttpErrors.write(ctx.response(), new SwitchboardException(ErrorCode.NOT_READY, "notAccepted",
            "The notifications could not be kept (" + all.cause().getMessage() + "); send them again"));
      }
    });
  }
}
