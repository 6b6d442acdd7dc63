package dev.switchboard.emulator.meetings;

import dev.switchboard.emulator.calls.CallsModule;
import dev.switchboard.emulator.http.Bodies;
import dev.switchboard.emulator.http.GraphException;
import dev.switchboard.emulator.world.Directory;
import dev.switchboard.emulator.world.EmulatedClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The emulated online meetings (graph-reference §5): Graph's onlineMeetings routes, the tenant's
 * application access policy, meeting joins by the bot's create-call, and the control routes that
 * grant policies and move people in and out of meetings (docs/emulator.md, "Online meetings").
 *
 * <p>All methods run on the emulator's event-loop context.
 */
public final class MeetingsModule {

  /** The control endpoints, for the control API's list. */
  public static final String ENDPOINTS = "POST|GET|DELETE /emulator/access-policies, POST /emulator/access-policies/revoke,"
      + " GET /emulator/meetings, POST|GET /emulator/meetings/{id}/participants";

  private final MeetingBook book;
  private final MeetingsApi api;
  private final CallsModule calls;

  public MeetingsModule(Directory directory, EmulatedClock clock, String tenantId, CallsModule calls) {
    this.book = new MeetingBook(directory, clock, tenantId);
    this.api = new MeetingsApi(book);
    this.calls = calls;
    calls.onMeetingJoins(book);
  }

  /** Mounts the Graph routes (behind the bearer check and the permission table). */
  public void mount(Router router) {
    api.mount(router);
  }

  /** Mounts the control routes; before the control API's catch-all. */
  public void mountControl(Router router) {
    router.post("/emulator/access-policies").handler(ctx -> json(ctx, 201, book.policies().grant(Bodies.object(ctx))));
    router.post("/emulator/access-policies/revoke").handler(ctx ->
        json(ctx, 200, book.policies().revoke(Bodies.object(ctx))));
    router.get("/emulator/access-policies").handler(ctx -> json(ctx, 200, book.policies().toJson()));
    router.delete("/emulator/access-policies").handler(ctx -> {
      book.policies().clear();
      ctx.response().setStatusCode(204).end();
    });
    router.get("/emulator/meetings").handler(ctx -> {
      JsonArray value = new JsonArray();
      book.all().forEach(m -> value.add(m.toJson().put("present", new JsonArray(book.peopleIn(m.id)))));
      json(ctx, 200, new JsonObject().put("value", value));
    });
    router.get("/emulator/meetings/:id/participants").handler(ctx ->
        json(ctx, 200, new JsonObject().put("value", new JsonArray(book.peopleIn(meeting(ctx).id)))));
    router.post("/emulator/meetings/:id/participants").handler(ctx -> {
      OnlineMeeting m = meeting(ctx);
      JsonObject body = Bodies.object(ctx);
      String userId = Bodies.string(body, "userId", true);
      String action = Bodies.string(body, "action", false);
      if (action != null && !action.equals("join") && !action.equals("leave")) {
        throw GraphException.badRequest("action must be 'join' (the default) or 'leave'; got '" + action + "'.");
      }
      boolean join = action == null || action.equals("join");
      if (join) {
        book.user(userId);
      }
      JsonObject identity = book.move(m, userId, join);
      if (identity == null) {
        throw GraphException.conflict("User " + userId + (join ? " is already in" : " is not in") + " meeting " + m.id
            + ".");
      }
      if (join) {
        calls.personJoinedMeeting(m.id, identity);
      } else {
        calls.personLeftMeeting(m.id, userId);
      }
      json(ctx, 200, new JsonObject().put("value", new JsonArray(book.peopleIn(m.id))));
    });
  }

  /** Forgets every meeting and policy. */
  public void reset() {
    book.clear();
  }

  private OnlineMeeting meeting(RoutingContext ctx) {
    OnlineMeeting m = book.byId(ctx.pathParam("id"));
    if (m == null) {
      throw GraphException.notFound("No online meeting " + ctx.pathParam("id") + "; GET /emulator/meetings lists them.");
    }
    return m;
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    MeetingsApi.json(ctx, status, body);
  }
}
