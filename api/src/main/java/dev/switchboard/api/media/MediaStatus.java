package dev.switchboard.api.media;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The reply to {@link MediaCommand.Status}: a call's media as the media bundle knows it. A call the bundle never
 * worked on has no operations.
 *
 * @param toneSubscribed whether the call's keys are subscribed to (once, by the first gather)
 * @param ended whether the call has ended
 * @param operations the call's operations, oldest first
 * @param gather the gather under way, or {@code null}
 */
public record MediaStatus(String callId, boolean toneSubscribed, boolean ended, List<Operation> operations,
    Gathering gather) {

  public MediaStatus {
    Objects.requireNonNull(callId, "callId");
    operations = List.copyOf(operations);
  }

  /**
   * One operation.
   *
   * @param clientContext the caller's reference, or {@code null}
   * @param endedAt when it ended, or {@code null} while under way
   */
  public record Operation(String operationId, OperationKind kind, OperationStatus status, String clientContext,
      List<String> graphOperationIds, Instant createdAt, Instant endedAt) {
    public Operation {
      Objects.requireNonNull(operationId, "operationId");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(status, "status");
      graphOperationIds = List.copyOf(graphOperationIds);
    }

    JsonObject toJson(String callId) {
      return new JsonObject().put("operationId", operationId).put("callId", callId).put("kind", kind.wire())
          .put("status", status.wire()).put("clientContext", clientContext)
          .put("graphOperationIds", new JsonArray(graphOperationIds)).put("createdAt", Fields.text(createdAt))
          .put("endedAt", Fields.text(endedAt));
    }

    static Operation fromJson(JsonObject json) {
      return new Operation(Fields.requiredString(json, "operationId"),
          OperationKind.fromWire(Fields.string(json, "kind")), OperationStatus.fromWire(Fields.string(json, "status")),
          Fields.string(json, "clientContext"), Fields.strings(json, "graphOperationIds"),
          Fields.instant(json, "createdAt"), Fields.instant(json, "endedAt"));
    }
  }

  /**
   * The gather under way.
   *
   * @param digits the keys collected so far
   * @param terminator the key that ends it, or {@code null}
   * @param promptDone whether its prompts have finished (its overall timeout runs from then)
   */
  public record Gathering(String operationId, String digits, int maxDigits, String terminator, boolean promptDone) {
    public Gathering {
      Objects.requireNonNull(operationId, "operationId");
      Objects.requireNonNull(digits, "digits");
    }

    JsonObject toJson() {
      return new JsonObject().put("operationId", operationId).put("digits", digits).put("maxDigits", maxDigits)
          .put("terminator", terminator).put("promptDone", promptDone);
    }

    static Gathering fromJson(JsonObject json) {
      return new Gathering(Fields.requiredString(json, "operationId"), Fields.string(json, "digits") == null ? ""
          : Fields.string(json, "digits"), Fields.integer(json, "maxDigits", 1), Fields.string(json, "terminator"),
          Fields.bool(json, "promptDone", false));
    }
  }

  /** {@code {"callId", "toneSubscribed", "ended", "operations": {"<operationId>": {...}}, "gather": {...}}}. */
  public JsonObject toJson() {
    JsonObject ops = new JsonObject();
    operations.forEach(op -> ops.put(op.operationId(), op.toJson(callId)));
    return new JsonObject().put("callId", callId).put("toneSubscribed", toneSubscribed).put("ended", ended)
        .put("operations", ops).put("gather", gather == null ? null : gather.toJson());
  }

  /** @throws dev.switchboard.api.SwitchboardException {@code 400} when {@code json} is not this reply */
  public static MediaStatus fromJson(JsonObject json) {
    JsonObject ops = Fields.object(json, "operations");
    List<Operation> operations = ops == null ? List.of() : ops.fieldNames().stream().map(id -> {
      Object op = ops.getValue(id);
      if (!(op instanceof JsonObject o)) {
        throw Fields.bad("'operations' must map operation ids to objects; got " + Fields.describe(op) + ".");
      }
      return Operation.fromJson(o);
    }).toList();
    JsonObject gather = Fields.object(json, "gather");
    return new MediaStatus(Fields.requiredString(json, "callId"), Fields.bool(json, "toneSubscribed", false),
        Fields.bool(json, "ended", false), operations, gather == null ? null : Gathering.fromJson(gather));
  }
}
