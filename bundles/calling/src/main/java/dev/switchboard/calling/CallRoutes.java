package dev.switchboard.calling;

import dev.switchboard.api.ApiRequest;
import dev.switchboard.api.ApiResponse;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallState;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/**
 * The REST face of the commands, under {@code /api/v1/calls}: each route makes the command from the path and the
 * body (the body is the command's fields in the contract's JSON) and runs it.
 */
final class CallRoutes {

  /** The commands on a call that are a POST to {@code /calls/:id/<name>}. */
  private static final List<String> ACTIONS = List.of("answer", "reject", "redirect", "transfer", "mute", "unmute",
      "sendDtmfTones", "subscribeToTone", "keepAlive");

  /** The API scopes of these routes: reading, and changing or placing. */
  private static final String READ = "calls:read";
  private static final String WRITE = "calls:write";

  private final CallCommandGateway gateway;

  CallRoutes(CallCommandGateway gateway) {
    this.gateway = gateway;
  }

  void register(PluginContext context) {
    context.route(HttpMethod.GET, "/calls", READ, r -> run(r, 200, q -> new CallCommand.ListCalls(
        q.queryParam("state") == null ? null : CallState.fromWire(q.queryParam("state")))));
    context.route(HttpMethod.POST, "/calls", WRITE, r -> run(r, 201, q -> CallCommand.fromJson("create", null,
        q.bodyAsJson())));
    context.route(HttpMethod.GET, "/calls/:id", READ, r -> run(r, 200, q -> new CallCommand.Get(q.pathParam("id"))));
    context.route(HttpMethod.DELETE, "/calls/:id", WRITE, r -> run(r, 200, q -> new CallCommand.HangUp(q.pathParam("id"))));
    for (String action : ACTIONS) {
      context.route(HttpMethod.POST, "/calls/:id/" + action, WRITE, r -> run(r, 200, q -> CallCommand.fromJson(action,
          q.pathParam("id"), optionalBody(q))));
    }
    context.route(HttpMethod.GET, "/calls/:id/participants", READ, r -> run(r, 200,
        q -> new CallCommand.ListParticipants(q.pathParam("id"))));
    context.route(HttpMethod.POST, "/calls/:id/participants/invite", WRITE, r -> run(r, 200,
        q -> CallCommand.fromJson("inviteParticipants", q.pathParam("id"), q.bodyAsJson())));
    context.route(HttpMethod.POST, "/calls/:id/participants/:pid/mute", WRITE, r -> run(r, 200,
        q -> CallCommand.fromJson("muteParticipant", q.pathParam("id"),
            optionalBody(q).put("participantId", q.pathParam("pid")))));
    context.route(HttpMethod.DELETE, "/calls/:id/participants/:pid", WRITE, r -> run(r, 204,
        q -> new CallCommand.RemoveParticipant(q.pathParam("id"), q.pathParam("pid"))));
  }

  private Future<ApiResponse> run(ApiRequest request, int status, Function<ApiRequest, CallCommand<?>> command) {
    try {
      return gateway.execute(command.apply(request))
          .map(result -> status == 204 ? ApiResponse.noContent() : ApiResponse.json(status, result));
    } catch (SwitchboardException e) {
      return Future.failedFuture(e);
    }
  }

  private static JsonObject optionalBody(ApiRequest request) {
    return request.body().length() == 0 ? new JsonObject() : request.bodyAsJson();
  }
}
