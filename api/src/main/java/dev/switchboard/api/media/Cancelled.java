package dev.switchboard.api.media;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * The reply to {@link MediaCommand.Cancel}.
 *
 * @param cancelled the operations that were under way and are being cancelled (each ends with a {@link MediaEvent}
 *     of status {@link OperationStatus#CANCELLED})
 */
public record Cancelled(String callId, List<String> cancelled) {

  public Cancelled {
    Objects.requireNonNull(callId, "callId");
    cancelled = List.copyOf(cancelled);
  }

  public JsonObject toJson() {
    return new JsonObject().put("callId", callId).put("cancelled", new JsonArray(cancelled));
  }

  /** @throws dev.switchboard.api.SwitchboardException {@code 400} when {@code json} is not this reply */
  public static Cancelled fromJson(JsonObject json) {
    return new Cancelled(Fields.requiredString(json, "callId"), Fields.strings(json, "cancelled"));
  }
}
