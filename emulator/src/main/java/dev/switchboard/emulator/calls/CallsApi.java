package dev.switchboard.emulator.calls;

import dev.switchboard.emulator.http.Bodies;
import dev.switchboard.emulator.http.GraphException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The Graph routes under {@code /v1.0/communications/calls}. Each handler resolves the call (404
 * when it does not exist or has ended), lets the logic validate and change state, answers, and
 * only then triggers the notifications that follow.
 */
final class CallsApi {

  private static final String CALLS = "/v1.0/communications/calls";
  private static final String CALL = CALLS + "/:id";

  private final CallEnv env;
  private final CallBook book;
  private final Signalling signalling;
  private final Ivr ivr;
  private final Roster roster;

  CallsApi(CallEnv env, CallBook book, Signalling signalling, Ivr ivr, Roster roster) {
    this.env = env;
    this.book = book;
    this.signalling = signalling;
    this.ivr = ivr;
    this.roster = roster;
  }

  void mount(Router router) {
    router.post(CALLS).handler(ctx -> {
      Call call = signalling.create(Bodies.object(ctx));
      ctx.response().setStatusCode(201)
          .putHeader("Location", env.baseUrl + "/v1.0" + call.path())
          .putHeader("Content-Type", "application/json")
          .end(call.toJson(env.baseUrl).encode());
      signalling.dial(call);
    });
    router.post(CALLS + "/logTeleconferenceDeviceQuality").handler(ctx -> {
      Bodies.object(Bodies.object(ctx), "quality", true);
      ctx.response().setStatusCode(200).putHeader("Content-Length", "0").end();
    });
    router.get(CALL).handler(ctx -> json(ctx, 200, call(ctx).toJson(env.baseUrl)));
    router.delete(CALL).handler(ctx -> {
      Runnable next = signalling.hangUp(call(ctx));
      ctx.response().setStatusCode(204).end();
      next.run();
    });
    accepted(router, "answer", signalling::answer);
    accepted(router, "reject", signalling::reject);
    accepted(router, "redirect", signalling::redirect);
    accepted(router, "transfer", signalling::transfer);
    router.post(CALL + "/keepAlive").handler(ctx -> {
      signalling.keepAlive(call(ctx));
      ctx.response().setStatusCode(200).putHeader("Content-Length", "0").end();
    });
    operation(router, "/mute", 200, (call, body) -> roster.muteSelf(call, body, true), env::notifyRoster);
    operation(router, "/unmute", 200, (call, body) -> roster.muteSelf(call, body, false), env::notifyRoster);
    operation(router, "/playPrompt", 200, ivr::playPrompt, ivr::pump);
    operation(router, "/recordResponse", 200, ivr::record, ivr::pump);
    operation(router, "/cancelMediaProcessing", 200, ivr::cancel, ivr::pump);
    operation(router, "/subscribeToTone", 200, ivr::subscribeToTone, c -> { });
    for (String path : List.of("/sendDtmfTones", "/microsoft.graph.sendDtmfTones")) {
      operation(router, path, 200, (call, body) -> {
        CallEnv.requireState(call, CallState.ESTABLISHED, "send DTMF tones on");
        return ivr.sendDtmfTones(call, body);
      }, c -> { });
    }
    operation(router, "/updateRecordingStatus", 200, this::updateRecordingStatus, c -> { });
    router.post(CALL + "/changeScreenSharingRole").handler(ctx -> {
      Call call = call(ctx);
      String role = Bodies.string(Bodies.object(ctx), "role", true);
      if (!role.equals("viewer") && !role.equals("sharer")) {
        throw GraphException.badRequest("Property 'role' must be viewer or sharer.");
      }
      if (call.serviceHostedMedia()) {
        throw GraphException.notSupported("changeScreenSharingRole needs a call with application-hosted media.");
      }
      ctx.response().setStatusCode(202).end();
    });
    router.get(CALL + "/operations/:opId").handler(ctx -> {
      Operation op = call(ctx).operations.get(ctx.pathParam("opId"));
      if (op == null) {
        throw GraphException.notFound("Operation " + ctx.pathParam("opId") + " was not found.");
      }
      json(ctx, 200, op.toJson());
    });

    router.get(CALL + "/participants").handler(ctx -> json(ctx, 200, roster.list(call(ctx))));
    router.get(CALL + "/participants/:pid").handler(ctx -> json(ctx, 200, roster.get(call(ctx), ctx.pathParam("pid"))));
    router.post(CALL + "/participants/invite").handler(ctx -> {
      Call call = call(ctx);
      Operation op = roster.invite(call, Bodies.object(ctx));
      sendOperation(ctx, 200, op);
      roster.ringInvitees(call, op);
    });
    router.post(CALL + "/participants/:pid/mute").handler(ctx -> {
      Call call = call(ctx);
      sendOperation(ctx, 200, roster.mute(call, ctx.pathParam("pid"), Bodies.object(ctx)));
      env.notifyRoster(call);
    });
    router.delete(CALL + "/participants/:pid").handler(ctx -> {
      Runnable next = roster.remove(call(ctx), ctx.pathParam("pid"));
      ctx.response().setStatusCode(204).end();
      next.run();
    });
    router.post(CALL + "/participants/:pid/startHoldMusic").handler(ctx -> {
      Call call = call(ctx);
      JsonObject body = Bodies.object(ctx);
      Operation op = roster.startHoldMusic(call, ctx.pathParam("pid"), body);
      sendOperation(ctx, 202, op);
      roster.completeHold(call, op, body);
    });
    router.post(CALL + "/participants/:pid/stopHoldMusic").handler(ctx -> {
      Call call = call(ctx);
      Operation op = roster.stopHoldMusic(call, ctx.pathParam("pid"), Bodies.object(ctx));
      sendOperation(ctx, 202, op);
      roster.completeHold(call, op, new JsonObject());
    });
  }

  private Operation updateRecordingStatus(Call call, JsonObject body) {
    String status = Bodies.string(body, "status", true);
    if (!List.of("notRecording", "recording", "failed").contains(status)) {
      throw GraphException.badRequest("Property 'status' must be notRecording, recording or failed.");
    }
    return env.newOperation(call, "updateRecordingStatusOperation", Bodies.string(body, "clientContext", false), "completed");
  }

  /** An action answered 202 with no body, followed by what the logic returned. */
  private void accepted(Router router, String action, BiFunction<Call, JsonObject, Runnable> logic) {
    router.post(CALL + "/" + action).handler(ctx -> {
      Runnable next = logic.apply(call(ctx), Bodies.object(ctx));
      ctx.response().setStatusCode(202).end();
      next.run();
    });
  }

  /** An action answered with an operation and its Location, followed by {@code after}. */
  private void operation(Router router, String path, int status, BiFunction<Call, JsonObject, Operation> logic,
      java.util.function.Consumer<Call> after) {
    router.post(CALL + path).handler(ctx -> {
      Call call = call(ctx);
      sendOperation(ctx, status, logic.apply(call, Bodies.object(ctx)));
      after.accept(call);
    });
  }

  private void sendOperation(RoutingContext ctx, int status, Operation op) {
    ctx.response().setStatusCode(status)
        .putHeader("Location", env.baseUrl + "/v1.0" + op.path())
        .putHeader("Content-Type", "application/json")
        .end(op.toJson().put("@odata.context", env.baseUrl + "/v1.0/$metadata#" + op.type).encode());
  }

  private Call call(RoutingContext ctx) {
    return book.live(ctx.pathParam("id"));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
