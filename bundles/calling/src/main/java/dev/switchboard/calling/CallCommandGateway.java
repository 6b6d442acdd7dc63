package dev.switchboard.calling;

import dev.switchboard.api.CallCommands;
import dev.switchboard.api.CallNotifications;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.GraphClient;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where every command enters, from the bus or from REST: checks the command's name, places new calls and lists
 * calls itself, and forwards a command on a call to the call's owner (whichever version owns it) through the keyed
 * address, so that it runs in order with the call's notifications.
 */
final class CallCommandGateway {

  private final PluginContext context;
  private final CallingSettings settings;
  private final GraphClient graph;

  CallCommandGateway(PluginContext context, CallingSettings settings, GraphClient graph) {
    this.context = context;
    this.settings = settings;
    this.graph = graph;
  }

  /** Runs a command; fails with a {@link SwitchboardException}. */
  Future<JsonObject> execute(JsonObject command) {
    try {
      Object name = command.getValue(CallCommands.COMMAND);
      if (!(name instanceof String n)) {
        throw CallActions.bad("a command needs '" + CallCommands.COMMAND + "' naming it; got " + command.encode());
      }
      if (n.equals(CallCommands.CREATE)) {
        return create(command);
      }
      if (n.equals(CallCommands.LIST)) {
        return list(CallActions.string(command, "state", null));
      }
      if (!CallActions.handles(n)) {
        throw CallActions.bad("unknown command '" + n + "'");
      }
      Object callId = command.getValue(CallCommands.CALL_ID);
      if (!(callId instanceof String id) || id.isBlank()) {
        throw CallActions.bad("command '" + n + "' needs '" + CallCommands.CALL_ID + "'");
      }
      JsonObject forwarded = command.copy();
      forwarded.remove("notification");
      forwarded.remove(CallOwner.INTERNAL);
      return context.sendToKey(CallNotifications.ADDRESS, id, forwarded)
          .recover(e -> Future.failedFuture(SwitchboardException.from(e)));
    } catch (SwitchboardException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<JsonObject> list(String state) {
    return context.state().keys().compose(keys -> {
      List<Future<JsonObject>> gets = new ArrayList<>();
      keys.stream().filter(k -> k.startsWith(CallRecord.KEY_PREFIX)).forEach(k -> gets.add(context.state().get(k)));
      return Future.all(gets).map(all -> {
        List<JsonObject> calls = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
          JsonObject json = all.resultAt(i);
          if (json != null && (state == null || state.equals(json.getString("state")))) {
            calls.add(new CallRecord(json).view());
          }
        }
        calls.sort(Comparator.comparing(c -> c.getString("createdAt", "")));
        return new JsonObject().put("value", new JsonArray(new ArrayList<>(calls)));
      });
    });
  }

  // ------------------------------------------------------------------ create

  private Future<JsonObject> create(JsonObject c) {
    JsonObject body = new JsonObject()
        .put("@odata.type", "#microsoft.graph.call")
        .put("callbackUri", settings.requireCallbackUri())
        .put("requestedModalities", CallActions.modalities(c, "requestedModalities"))
        .put("mediaConfig", CallActions.mediaConfig(c));
    int ways = (c.getValue("targets") != null ? 1 : 0) + (c.getValue("joinUrl") != null ? 1 : 0)
        + (c.getValue("meetingId") != null ? 1 : 0);
    if (ways != 1) {
      throw CallActions.bad("a new call needs exactly one of 'targets' (a person, a number or a group),"
          + " 'joinUrl' (a Teams meeting) or 'meetingId' (with 'passcode')");
    }
    String tenantId = CallActions.string(c, "tenantId", null);
    String kind;
    JsonObject meeting = null;
    if (c.getValue("targets") != null) {
      JsonArray targets = Targets.parseAll(c.getValue("targets"), "targets", 25);
      boolean phone = targets.stream().anyMatch(t -> Targets.isPhone((JsonObject) t));
      if (phone) {
        if (settings.applicationInstanceId() == null) {
          throw new SwitchboardException(ErrorCode.UNPROCESSABLE, "invalidTarget", "Calling a phone number needs the"
              + " bot's application instance: set plugins.calling.applicationInstanceId");
        }
        body.put("source", new JsonObject().put("@odata.type", "#microsoft.graph.participantInfo")
            .put("identity", new JsonObject().put("@odata.type", "#microsoft.graph.identitySet")
                .put("applicationInstance", new JsonObject().put("@odata.type", "#microsoft.graph.identity")
                    .put("id", settings.applicationInstanceId()))));
      }
      body.put("targets", targets);
      kind = targets.size() > 1 ? "group" : "peerToPeer";
      String subject = CallActions.string(c, "subject", null);
      if (subject != null) {
        body.put("subject", subject);
      }
      if (phone) {
        kind = targets.size() > 1 ? "group" : "pstn";
      }
    } else if (c.getValue("joinUrl") != null) {
      String url = CallActions.string(c, "joinUrl", null);
      TeamsJoinUrl join = TeamsJoinUrl.parse(url);
      body.put("chatInfo", join.chatInfo()).put("meetingInfo", join.meetingInfo());
      tenantId = tenantId == null ? join.tenantId() : tenantId;
      kind = "meeting";
      meeting = new JsonObject().put("joinUrl", url).put("threadId", join.threadId()).put("messageId", join.messageId())
          .put("organizerId", join.organizerId()).put("tenantId", join.tenantId());
    } else {
      Object id = c.getValue("meetingId");
      if (!(id instanceof String s) || s.isBlank()) {
        throw CallActions.bad("'meetingId' must be the meeting's join id (a string)");
      }
      String passcode = CallActions.string(c, "passcode", null);
      body.put("meetingInfo", new JsonObject().put("@odata.type", "#microsoft.graph.joinMeetingIdMeetingInfo")
          .put("joinMeetingId", s).put("passcode", passcode));
      kind = "meeting";
      meeting = new JsonObject().put("meetingId", s);
    }
    if (tenantId != null) {
      body.put("tenantId", tenantId);
    }
    String callKind = kind;
    JsonObject meetingView = meeting;
    return graph.post("/communications/calls", body).compose(r -> {
      JsonObject created = r.body();
      String id = created.getString("id");
      if (id == null) {
        return Future.failedFuture(new SwitchboardException(ErrorCode.UPSTREAM, "graphNoCallId",
            "Graph created the call but its answer has no id (request-id " + r.requestId() + ")"));
      }
      CallRecord record = CallRecord.fresh(id, created.getString("tenantId", graph.tenantId()),
          created.getString("state", "establishing"), "outgoing");
      NotificationApplier.copyCallProperties(record, created);
      record.json.put("direction", "outgoing").put("kind", callKind).put("createdAt", Instant.now().toString());
      if (meetingView != null) {
        record.json.put("meeting", meetingView);
      }
      record.json.put("claimedBy", CallActions.string(c, "by", null));
      return context.sendToKey(CallNotifications.ADDRESS, id, new JsonObject()
          .put(CallOwner.INTERNAL, CallOwner.REGISTER_CREATED).put("call", record.json));
    });
  }
}
