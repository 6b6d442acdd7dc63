package dev.switchboard.api.media;

import dev.switchboard.api.calls.ResultInfo;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * What every {@link MediaEvent} says about the operation that ended.
 *
 * @param operationId the id {@link OperationStarted} gave
 * @param clientContext the command's {@code clientContext}, or {@code null}
 * @param status {@link OperationStatus#COMPLETED}, {@link OperationStatus#FAILED} or {@link OperationStatus#CANCELLED}
 * @param reason a sentence saying why, when not completed; else {@code null}
 * @param callEnded whether it ended because the call did: nothing more can be done on the call
 * @param resultInfo Graph's, when Graph finished the operation; else {@code null}
 * @param at when the event was published
 * @param version the version of the media plugin that published it
 */
public record Outcome(String callId, String operationId, String clientContext, OperationStatus status, String reason,
    boolean callEnded, ResultInfo resultInfo, Instant at, String version) {

  public Outcome {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(operationId, "operationId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(at, "at");
    if (!status.isFinal()) {
      throw Fields.bad("An operation's outcome is completed, failed or cancelled; got " + status.wire() + ".");
    }
  }

  JsonObject toJson(String type) {
    return new JsonObject().put("type", type).put("callId", callId).put("operationId", operationId)
        .put("clientContext", clientContext).put("status", status.wire()).put("reason", reason)
        .put("callEnded", callEnded).put("resultInfo", resultInfo == null ? null : resultInfo.toJson())
        .put("at", at.toString()).put("version", version);
  }

  private static ResultInfo resultInfo(JsonObject json) {
    return json == null ? null : ResultInfo.fromJson(json);
  }

  static Outcome fromJson(JsonObject json) {
    Instant at = Fields.instant(json, "at");
    if (at == null) {
      throw Fields.bad("A media event needs 'at'.");
    }
    return new Outcome(Fields.requiredString(json, "callId"), Fields.requiredString(json, "operationId"),
        Fields.string(json, "clientContext"), OperationStatus.fromWire(Fields.string(json, "status")),
        Fields.string(json, "reason"), Fields.bool(json, "callEnded", false),
        resultInfo(Fields.object(json, "resultInfo")), at, Fields.string(json, "version"));
  }
}
