package dev.switchboard.api.calls;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The call's transfer: requested with {@link CallCommand.Transfer}, then moved along by Graph's notifications.
 *
 * @param status where it stands
 * @param target the transfer target as sent to Graph (an {@code invitationParticipantInfo}; a copy), or {@code null}
 * @param consultative whether it replaces another call of the bot's ({@link #replacesCallId})
 * @param replacesCallId the bot's call with the target that a consultative transfer replaces, or {@code null}
 * @param resultInfo why it failed, or {@code null}
 */
public record TransferView(TransferStatus status, JsonObject target, boolean consultative, String replacesCallId,
    ResultInfo resultInfo) {

  public TransferView {
    Objects.requireNonNull(status, "status");
    target = Wire.copy(target);
  }

  @Override
  public JsonObject target() {
    return Wire.copy(target);
  }

  /** This transfer with another status. */
  public TransferView withStatus(TransferStatus next) {
    return new TransferView(next, target, consultative, replacesCallId, resultInfo);
  }

  /** This transfer, failed for {@code why}. */
  public TransferView failed(ResultInfo why) {
    return new TransferView(TransferStatus.FAILED, target, consultative, replacesCallId, why);
  }

  /** Whether it is under way (requested, transferring or accepted). */
  public boolean pending() {
    return status == TransferStatus.REQUESTED || status == TransferStatus.TRANSFERRING
        || status == TransferStatus.ACCEPTED;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("status", status.wireName());
    Wire.putIf(json, "target", target());
    json.put("consultative", consultative);
    Wire.putIf(json, "replacesCallId", replacesCallId);
    return Wire.putIf(json, "resultInfo", resultInfo == null ? null : resultInfo.toJson());
  }

  public static TransferView fromJson(JsonObject json) {
    Wire t = Wire.read(json, "'transfer'");
    TransferStatus status = t.enumValue("status", TransferStatus.class);
    if (status == null) {
      throw Wire.bad("'transfer' needs 'status'");
    }
    return new TransferView(status, t.object("target"), t.bool("consultative"), t.string("replacesCallId"),
        t.object("resultInfo", ResultInfo::fromJson));
  }
}
