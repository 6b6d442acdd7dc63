package dev.switchboard.api.calls;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Set;

/**
 * A Graph operation on a call (a {@code commsOperation}: playPrompt, recordResponse, sendDtmfTones, invite, mute,
 * ...): what the commands that start one reply, what {@link CallView#pendingOperations()} lists, and what
 * {@link CallEvent.OperationCompleted} reports once Graph said it finished.
 *
 * @param id the operation id
 * @param type Graph's type without its namespace, e.g. {@code playPromptOperation}, {@code sendDtmfTonesOperation}
 * @param status {@code notStarted}, {@code running}, {@code completed} or {@code failed}, or {@code null}; read
 *     from Graph in either case (its docs write {@code Running} in places, real Graph sends {@code running}) and
 *     kept in this lower-camel form
 * @param clientContext the client context the operation was started with, or {@code null}
 * @param resultInfo how it ended, or {@code null}
 * @param completionReason Graph's {@code completionReason} (e.g. {@code operationCanceled}), or {@code null}
 * @param recordingLocation where a recordResponse's recording can be downloaded, or {@code null}
 * @param recordingAccessToken the bearer token for that download, or {@code null}
 * @param otherProperties every other property Graph sent (a copy; on the wire they sit beside the ones above)
 */
public record OperationView(String id, String type, String status, String clientContext, ResultInfo resultInfo,
    String completionReason, String recordingLocation, String recordingAccessToken, JsonObject otherProperties) {

  private static final Set<String> NAMED = Set.of("id", "type", "status", "clientContext", "resultInfo",
      "completionReason", "recordingLocation", "recordingAccessToken");

  public OperationView {
    Objects.requireNonNull(type, "type");
    status = lowerCamel(status);
    otherProperties = otherProperties == null ? new JsonObject() : otherProperties.copy();
  }

  @Override
  public JsonObject otherProperties() {
    return otherProperties.copy();
  }

  /** Whether Graph says it has finished ({@code completed} or {@code failed}). */
  public boolean finished() {
    return "completed".equals(status) || "failed".equals(status);
  }

  private static String lowerCamel(String status) {
    return status == null || status.isEmpty() || Character.isLowerCase(status.charAt(0)) ? status
        : Character.toLowerCase(status.charAt(0)) + status.substring(1);
  }

  public JsonObject toJson() {
    JsonObject json = otherProperties.copy();
    Wire.putIf(json, "id", id);
    json.put("type", type);
    Wire.putIf(json, "status", status);
    Wire.putIf(json, "clientContext", clientContext);
    Wire.putIf(json, "resultInfo", resultInfo == null ? null : resultInfo.toJson());
    Wire.putIf(json, "completionReason", completionReason);
    Wire.putIf(json, "recordingLocation", recordingLocation);
    return Wire.putIf(json, "recordingAccessToken", recordingAccessToken);
  }

  public static OperationView fromJson(JsonObject json) {
    Wire op = Wire.read(json, "an operation");
    JsonObject others = json.copy();
    NAMED.forEach(others::remove);
    return new OperationView(op.string("id"), op.requiredString("type"), op.string("status"),
        op.string("clientContext"), op.object("resultInfo", ResultInfo::fromJson), op.string("completionReason"),
        op.string("recordingLocation"), op.string("recordingAccessToken"), others);
  }

  /**
   * An operation as Graph returns or notifies it ({@code @odata.type} {@code #microsoft.graph.playPromptOperation}
   * and so on): the namespace and Graph's OData annotations are dropped.
   *
   * @param id the id, when Graph gives it only in the resource URL (notifications), else {@code null}
   */
  public static OperationView fromGraph(JsonObject graphOperation, String id) {
    JsonObject json = graphOperation == null ? new JsonObject() : graphOperation.copy();
    String type = json.getValue("@odata.type") instanceof String t ? t : "#microsoft.graph.commsOperation";
    json.fieldNames().removeIf(name -> name.startsWith("@odata."));
    json.put("type", type.substring(type.lastIndexOf('.') + 1));
    if (id != null) {
      json.put("id", id);
    }
    return fromJson(json);
  }
}
