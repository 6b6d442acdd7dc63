package dev.switchboard.calling;

import dev.switchboard.api.CallNotifications;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.GraphClient;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallDirection;
import dev.switchboard.api.calls.CallKind;
import dev.switchboard.api.calls.CallState;
import dev.switchboard.api.calls.CallView;
import dev.switchboard.api.calls.MeetingView;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/**
 * Places calls ({@link CallCommand.Create}): builds Graph's create request for a person, a number, a group or a
 * meeting, and registers the call Graph created with the call's owner ({@link RegisterCall}), which may already have
 * handled its first notifications.
 */
final class CallPlacer {

  private final PluginContext context;
  private final CallingSettings settings;
  private final GraphClient graph;
  private final Clock clock;

  CallPlacer(PluginContext context, CallingSettings settings, GraphClient graph, Clock clock) {
    this.context = context;
    this.settings = settings;
    this.graph = graph;
    this.clock = clock;
  }

  /** The new call, in the contract's JSON. */
  Future<JsonObject> place(CallCommand.Create create) {
    JsonObject body = new JsonObject()
        .put("@odata.type", "#microsoft.graph.call")
        .put("callbackUri", settings.requireCallbackUri())
        .put("requestedModalities", GraphRequests.modalities(create.requestedModalities()))
        .put("mediaConfig", GraphRequests.mediaConfig(create.preFetchMedia()));
    String tenantId = create.tenantId();
    CallKind kind;
    MeetingView meeting = null;
    if (create.targets() != null) {
      boolean phone = GraphRequests.anyPhone(create.targets());
      if (phone) {
        if (settings.applicationInstanceId() == null) {
          throw new SwitchboardException(ErrorCode.UNPROCESSABLE, "invalidTarget", "Calling a phone number needs the"
              + " bot's application instance: set plugins.calling.applicationInstanceId");
        }
        body.put("source", GraphRequests.applicationInstanceSource(settings.applicationInstanceId()));
      }
      body.put("targets", GraphRequests.invitations(create.targets()));
      if (create.subject() != null) {
        body.put("subject", create.subject());
      }
      kind = create.targets().size() > 1 ? CallKind.GROUP : phone ? CallKind.PSTN : CallKind.PEER_TO_PEER;
    } else if (create.joinUrl() != null) {
      TeamsJoinUrl join = TeamsJoinUrl.parse(create.joinUrl());
      body.put("chatInfo", join.chatInfo()).put("meetingInfo", join.meetingInfo());
      tenantId = tenantId == null ? join.tenantId() : tenantId;
      kind = CallKind.MEETING;
      meeting = new MeetingView(create.joinUrl(), join.threadId(), join.messageId(), join.organizerId(),
          join.tenantId(), null);
    } else {
      body.put("meetingInfo", new JsonObject().put("@odata.type", "#microsoft.graph.joinMeetingIdMeetingInfo")
          .put("joinMeetingId", create.meetingId()).put("passcode", create.passcode()));
      kind = CallKind.MEETING;
      meeting = new MeetingView(null, null, null, null, null, create.meetingId());
    }
    if (tenantId != null) {
      body.put("tenantId", tenantId);
    }
    CallKind callKind = kind;
    MeetingView meetingView = meeting;
    return graph.post("/communications/calls", body).compose(r -> {
      JsonObject created = r.body();
      if (!(created.getValue("id") instanceof String id)) {
        return Future.failedFuture(new SwitchboardException(ErrorCode.UPSTREAM, "graphNoCallId",
            "Graph created the call but its answer has no id (request-id " + r.requestId() + ")"));
      }
      GraphCall graphCall = new GraphCall(created);
      CallView.Builder call = CallView.builder(id)
          .tenantId(created.getValue("tenantId") instanceof String t ? t : graph.tenantId())
          .state(graphCall.state().orElse(CallState.ESTABLISHING)).kind(callKind).meeting(meetingView)
          .claimedBy(create.by()).createdAt(clock.instant()).updatedAt(clock.instant());
      CallView placed = graphCall.copyPropertiesTo(call, call.build()).direction(CallDirection.OUTGOING)
          .kind(callKind).build();
      return context.sendToKey(CallNotifications.ADDRESS, id, new RegisterCall(placed).toJson());
    });
  }
}
