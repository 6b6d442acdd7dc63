package dev.switchboard.meetings;

import dev.switchboard.api.ApiRequest;
import dev.switchboard.api.ApiResponse;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.meetings.MeetingCommand;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * The REST face of the commands, under {@code /api/v1/meetings} (docs/meetings.md): each route makes the command
 * from the path and the body (the command's fields in the contract's JSON) and runs it.
 */
final class MeetingRoutes {

  private static final String READ = "meetings:read";
  private static final String WRITE = "meetings:write";

  private final MeetingCommandGateway gateway;

  MeetingRoutes(MeetingCommandGateway gateway) {
    this.gateway = gateway;
  }

  void register(PluginContext context) {
    context.route(HttpMethod.POST, "/meetings", WRITE, r -> run(r, q -> create(q.bodyAsJson())));
    context.route(HttpMethod.POST, "/meetings/createOrGet", WRITE, r -> run(r, q -> {
      MeetingCommand.Create create = create(q.bodyAsJson());
      if (create.externalId() == null || create.externalId().isBlank()) {
        throw new SwitchboardException(ErrorCode.BAD_REQUEST, "createOrGet needs 'externalId': your id of the"
            + " meeting, by which a second call finds the first one's meeting");
      }
      return create;
    }));
    context.route(HttpMethod.GET, "/meetings", READ, r -> run(r, 200, q -> new MeetingCommand.Find(
        q.queryParam("joinWebUrl"), q.queryParam("joinMeetingId"), q.queryParam("organizerId"))));
    context.route(HttpMethod.GET, "/meetings/:id", READ, r -> run(r, 200, q -> new MeetingCommand.Get(
        q.pathParam("id"))));
    context.route(HttpMethod.PATCH, "/meetings/:id", WRITE, r -> run(r, 200, q -> MeetingCommand.fromJson(
        q.bodyAsJson().put("command", "update").put("meetingId", q.pathParam("id")))));
    context.route(HttpMethod.DELETE, "/meetings/:id", WRITE, r -> run(r, 204, q -> new MeetingCommand.Delete(
        q.pathParam("id"))));
    context.route(HttpMethod.POST, "/meetings/:id/join", WRITE, r -> run(r, 200, MeetingRoutes::join));
    context.route(HttpMethod.DELETE, "/meetings/:id/join", WRITE, r -> run(r, 200, q -> new MeetingCommand.CancelJoin(
        q.pathParam("id"))));
  }

  /** {@code {}} or {@code {"when": "now"}} joins now; {@code {"when": "start", "lead": "PT1M"}} schedules. */
  private static MeetingCommand<?> join(ApiRequest request) {
    JsonObject body = request.body().length() == 0 ? new JsonObject() : request.bodyAsJson();
    Object when = body.getValue("when", "now");
    if ("now".equals(when)) {
      return new MeetingCommand.Join(request.pathParam("id"));
    }
    if ("start".equals(when)) {
      return MeetingCommand.fromJson(new JsonObject().put("command", "scheduleJoin")
          .put("meetingId", request.pathParam("id")).put("lead", body.getValue("lead")));
    }
    throw new SwitchboardException(ErrorCode.BAD_REQUEST, "'when' must be 'now' (join at once) or 'start' (join at"
        + " the meeting's start, minus an optional 'lead' such as PT1M); got '" + when + "'");
  }

  private static MeetingCommand.Create create(JsonObject body) {
    return (MeetingCommand.Create) MeetingCommand.fromJson(body.put("command", "create"));
  }

  /** A create: 201 when Graph created the meeting, 200 when createOrGet found it; the meeting as the body. */
  private Future<ApiResponse> run(ApiRequest request, Function<ApiRequest, MeetingCommand.Create> command) {
    try {
      MeetingCommand.Create create = command.apply(request);
      return gateway.execute(create).map(reply -> {
        MeetingCommand.Created created = create.replyFromJson(reply);
        return ApiResponse.json(created.created() ? 201 : 200, created.meeting().toJson());
      });
    } catch (SwitchboardException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<ApiResponse> run(ApiRequest request, int status,
      Function<ApiRequest, MeetingCommand<?>> command) {
    try {
      return gateway.execute(command.apply(request))
          .map(result -> status == 204 ? ApiResponse.noContent() : ApiResponse.json(status, result));
    } catch (SwitchboardException e) {
      return Future.failedFuture(e);
    }
  }
}
