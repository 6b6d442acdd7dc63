package dev.switchboard.emulator.calls;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** A {@code commsOperation} (playPromptOperation, recordOperation, ...) of one call. */
final class Operation {

  final String id = UUID.randomUUID().toString();
  final String type;
  final String callId;
  final String clientContext;
  String status;
  ResultInfo resultInfo;
  /** Type-specific properties (recordingLocation, completionReason, participants, ...). */
  final JsonObject extra = new JsonObject();

  Operation(String type, String callId, String clientContext, String status) {
    this.type = type;
    this.callId = callId;
    this.clientContext = clientContext;
    this.status = status;
  }

  String path() {
    return "/communications/calls/" + callId + "/operations/" + id;
  }

  boolean finished() {
    return status.equals("completed") || status.equals("failed");
  }

  void finish(String finalStatus, ResultInfo result) {
    this.status = finalStatus;
    this.resultInfo = result;
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject()
        .put("@odata.type", "#microsoft.graph." + type)
        .put("@odata.id", path())
        .put("id", id)
        .put("status", status)
        .put("clientContext", clientContext)
        .put("resultInfo", resultInfo == null ? null : resultInfo.toJson());
    extra.forEach(e -> o.put(e.getKey(), e.getValue()));
    return o;
  }
}
