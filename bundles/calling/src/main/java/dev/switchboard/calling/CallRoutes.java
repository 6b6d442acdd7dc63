package dev.switchboard.calling;

import dev.switchboard.api.ApiRequest;
import dev.switchboard.api.ApiResponse;
import dev.switchboard.api.CallCommands;
import dev.switchboard.api.PluginContext;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/** The REST face of the commands, under {@code /api/v1/calls}. Each route builds the command and runs it. */
final class CallRoutes {

  private final CallCommandGateway gateway;

  CallRoutes(CallCommandGateway gateway) {
    this.gateway = gateway;
  }

  void register(PluginContext context) {
    context.route(HttpMethod.GET, "/calls", r -> run(r, new JsonObject().put("state", r.queryParam("state")),
        CallCommands.LIST, 200));
    context.route(HttpMethod.POST, "/calls", r -> run(r, r.bodyAsJson(), CallCommands.CREATE, 201));
    context.route(HttpMethod.GET, "/calls/:id", r -> run(r, new JsonObject(), CallCommands.GET, 200));
    context.route(HttpMethod.DELETE, "/calls/:id", r -> run(r, new JsonObject(), CallCommands.HANG_UP, 200));
    for (String action : new String[] {CallCommands.ANSWER, CallCommands.REJECT, CallCommands.REDIRECT,
        CallCommands.TRANSFER, CallCommands.MUTE, CallCommands.UNMUTE, CallCommands.SEND_TONES,
        CallCommands.SUBSCRIBE_TO_TONE, CallCommands.KEEP_ALIVE}) {
      context.route(HttpMethod.POST, "/calls/:id/" + action, r -> run(r, optionalBody(r), action, 200));
    }
    context.route(HttpMethod.GET, "/calls/:id/participants", r -> run(r, new JsonObject(),
        CallCommands.LIST_PARTICIPANTS, 200));
    context.route(HttpMethod.POST, "/calls/:id/participants/invite", r -> run(r, r.bodyAsJson(),
        CallCommands.INVITE_PARTICIPANTS, 200));
    context.route(HttpMethod.POST, "/calls/:id/participants/:pid/mute", r -> run(r,
        optionalBody(r).put("participantId", r.pathParam("pid")), CallCommands.MUTE_PARTICIPANT, 200));
    context.route(HttpMethod.DELETE, "/calls/:id/participants/:pid", r -> run(r,
        new JsonObject().put("participantId", r.pathParam("pid")), CallCommands.REMOVE_PARTICIPANT, 204));
  }

  private Future<ApiResponse> run(ApiRequest request, JsonObject body, String command, int status) {
    JsonObject c = body.copy().put(CallCommands.COMMAND, command);
    if (request.pathParam("id") != null) {
      c.put(CallCommands.CALL_ID, request.pathParam("id"));
    }
    return gateway.execute(c).map(result -> status == 204 ? ApiResponse.noContent() : ApiResponse.json(status, result));
  }

  private static JsonObject optionalBody(ApiRequest request) {
    return request.body().length() == 0 ? new JsonObject() : request.bodyAsJson();
  }
}
