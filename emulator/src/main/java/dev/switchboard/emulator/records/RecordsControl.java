package dev.switchboard.emulator.records;

import dev.switchboard.emulator.http.Bodies;
import dev.switchboard.emulator.http.GraphException;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.format.DateTimeParseException;

/**
 * The control API of call records: network conditions of a live call
 * ({@code POST /emulator/calls/{id}/network}), and {@code /emulator/callRecords} to list, create
 * and update records, and make a record's {@code GET} answer a broken body. No authentication; Graph's error JSON (400 {@code invalidRequest}, 404
 * {@code itemNotFound}).
 */
final class RecordsControl {

  private final CallRecordsModule records;

  RecordsControl(CallRecordsModule records) {
    this.records = records;
  }

  void mount(Router router) {
    router.post("/emulator/calls/:id/network").handler(badInput(ctx ->
        json(ctx, 200, records.setNetwork(ctx.pathParam("id"), Bodies.object(ctx)))));
    router.get("/emulator/callRecords").handler(ctx -> json(ctx, 200, new JsonObject().put("value", records.list())));
    router.post("/emulator/callRecords").handler(badInput(ctx -> json(ctx, 201, records.create(Bodies.object(ctx)))));
    router.get("/emulator/callRecords/:id").handler(ctx -> json(ctx, 200, records.describe(ctx.pathParam("id"))));
    router.post("/emulator/callRecords/:id/update").handler(badInput(ctx ->
        json(ctx, 200, records.update(ctx.pathParam("id"), Bodies.object(ctx)))));
    router.post("/emulator/callRecords/:id/malformed").handler(badInput(ctx ->
        json(ctx, 200, records.setMalformed(ctx.pathParam("id"), Bodies.object(ctx)))));
  }

  /** Maps IllegalArgumentException and unparseable dates (invalid values) to 400. */
  private static Handler<RoutingContext> badInput(Handler<RoutingContext> h) {
    return ctx -> {
      try {
        h.handle(ctx);
      } catch (IllegalArgumentException | DateTimeParseException e) {
        throw GraphException.badRequest(e.getMessage());
      }
    };
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
