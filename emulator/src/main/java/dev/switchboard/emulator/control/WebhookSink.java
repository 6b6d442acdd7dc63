package dev.switchboard.emulator.control;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A stand-in bot endpoint under {@code /emulator/webhook[/...]}, so a person with only curl can
 * create subscriptions and watch their notifications: it answers the validation handshake as a
 * correct bot does (200 text/plain, the decoded token) and answers any other POST 202, keeping the
 * last {@value #CAPACITY} bodies for {@code GET /emulator/webhook}.
 *
 * <p>Not thread-safe: used on the emulator's event-loop context only.
 */
final class WebhookSink {

  private static final int CAPACITY = 500;

  private final Deque<JsonObject> received = new ArrayDeque<>();

  void mount(Router router) {
    router.post("/emulator/webhook").handler(this::receive);
    router.post("/emulator/webhook/*").handler(this::receive);
    router.get("/emulator/webhook").handler(ctx -> {
      JsonArray value = new JsonArray();
      received.forEach(r -> value.add(r.copy()));
      ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("value", value).encode());
    });
  }

  void clear() {
    received.clear();
  }

  private void receive(RoutingContext ctx) {
    String token = ctx.request().getParam("validationToken");
    if (token != null) {
      ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(token);
      return;
    }
    Object body = null;
    if (ctx.body() != null && !ctx.body().isEmpty()) {
      try {
        body = Json.decodeValue(ctx.body().buffer());
      } catch (DecodeException e) {
        body = ctx.body().asString();
      }
    }
    received.addLast(new JsonObject().put("time", Instant.now().toString()).put("path", ctx.request().path())
        .put("body", body));
    while (received.size() > CAPACITY) {
      received.removeFirst();
    }
    ctx.response().setStatusCode(202).end();
  }
}
