package dev.switchboard.api.media;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * The reply to {@link MediaCommand.Play}, {@link MediaCommand.Record} and {@link MediaCommand.Gather}: the operation
 * was accepted (and handed to Graph, for plays, recordings and a gather's prompts). Its outcome is a
 * {@link MediaEvent} with the same {@code operationId}.
 *
 * @param operationId the media bundle's id of the operation
 * @param status {@link OperationStatus#RUNNING}, or already final when Graph answered so at once
 * @param graphOperationIds the ids of the Graph operations it started (none for a gather without prompts)
 */
public record OperationStarted(String operationId, String callId, OperationKind kind, OperationStatus status,
    List<String> graphOperationIds) {

  public OperationStarted {
    Objects.requireNonNull(operationId, "operationId");
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(status, "status");
    graphOperationIds = List.copyOf(graphOperationIds);
  }

  public JsonObject toJson() {
    return new JsonObject().put("operationId", operationId).put("callId", callId).put("kind", kind.wire())
        .put("status", status.wire()).put("graphOperationIds", new JsonArray(graphOperationIds));
  }

  /** @throws dev.switchboard.api.SwitchboardException {@code 400} when {@code json} is not this reply */
  public static OperationStarted fromJson(JsonObject json) {
    return new OperationStarted(Fields.requiredString(json, "operationId"), Fields.requiredString(json, "callId"),
        OperationKind.fromWire(Fields.string(json, "kind")), OperationStatus.fromWire(Fields.string(json, "status")),
        Fields.strings(json, "graphOperationIds"));
  }
}
