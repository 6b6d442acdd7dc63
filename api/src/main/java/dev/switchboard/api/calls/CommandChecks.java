package dev.switchboard.api.calls;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/** The checks the {@link CallCommand}s share. */
final class CommandChecks {

  private static final Set<String> MODALITIES = Set.of("audio", "video", "videoBasedScreenSharing", "data");

  private CommandChecks() {
  }

  static JsonObject command(String name, String callId) {
    return Wire.putIf(new JsonObject().put("command", name), "callId", callId);
  }

  static void callId(String callId, String command) {
    if (callId == null || callId.isBlank()) {
      throw Wire.bad("command '" + command + "' needs 'callId'");
    }
  }

  static void participantId(String participantId) {
    if (participantId == null || participantId.isBlank()) {
      throw Wire.bad("'participantId' is required");
    }
  }

  static void clientContext(String clientContext) {
    if (clientContext != null && clientContext.length() > 256) {
      throw Wire.bad("'clientContext' is at most 256 characters");
    }
  }

  static List<Target> targets(List<Target> targets, String field) {
    if (targets == null || targets.isEmpty()) {
      throw Wire.bad("'" + field + "' must be a non-empty array of targets");
    }
    if (targets.size() > 25) {
      throw new SwitchboardException(ErrorCode.UNPROCESSABLE, "invalidTarget", "'" + field + "' has "
          + targets.size() + " targets; at most 25 are allowed");
    }
    return List.copyOf(targets);
  }

  static List<String> modalities(List<String> modalities, String field) {
    List<String> copy = Wire.copy(modalities);
    if (!MODALITIES.containsAll(copy)) {
      throw Wire.bad("'" + field + "' must be a non-empty array of audio, video, videoBasedScreenSharing, data;"
          + " got " + copy);
    }
    return copy;
  }

  static void putMedia(JsonObject json, String field, List<String> modalities, List<MediaInfo> preFetchMedia) {
    if (!modalities.isEmpty()) {
      json.put(field, new JsonArray(List.copyOf(modalities)));
    }
    if (!preFetchMedia.isEmpty()) {
      json.put("preFetchMedia", Wire.array(preFetchMedia, MediaInfo::toJson));
    }
  }
}
