package dev.switchboard.calling;

import dev.switchboard.api.calls.CallDirection;
import dev.switchboard.api.calls.CallKind;
import dev.switchboard.api.calls.CallState;
import dev.switchboard.api.calls.CallView;
import dev.switchboard.api.calls.ResultInfo;
import dev.switchboard.api.calls.Tone;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A Graph {@code call} resource (a notification's {@code resourceData}, or what creating a call answered), read:
 * the one place that knows the names of its properties.
 */
record GraphCall(JsonObject json) {

  GraphCall {
    json = json == null ? new JsonObject() : json;
  }

  /** The state Graph says, empty when it says none or one this bundle does not know. */
  java.util.Optional<CallState> state() {
    return json.getValue("state") instanceof String s ? CallState.fromGraph(s) : java.util.Optional.empty();
  }

  boolean says(CallState state) {
    return state().filter(state::equals).isPresent();
  }

  ResultInfo resultInfo() {
    return json.getValue("resultInfo") instanceof JsonObject r ? ResultInfo.fromJson(r) : null;
  }

  String terminationReason() {
    return json.getValue("terminationReason") instanceof String s ? s : null;
  }

  /** The tone of a {@code toneInfo}, or {@code null} when there is none (or Graph names a key this bundle does not know). */
  Tone tone() {
    if (!(json.getValue("toneInfo") instanceof JsonObject info) || !(info.getValue("tone") instanceof String name)) {
      return null;
    }
    for (Tone tone : Tone.values()) {
      if (tone.wireName().equals(name)) {
        return tone;
      }
    }
    return null;
  }

  /** The {@code toneInfo}'s sequence id, or {@code null}. */
  Long toneSequenceId() {
    return json.getValue("toneInfo") instanceof JsonObject info && info.getValue("sequenceId") instanceof Number n
        ? n.longValue() : null;
  }

  /**
   * Copies what the resource says about the call's identity (source, targets, meeting, ...) into {@code call},
   * without touching its state. The direction, once known, stays.
   */
  CallView.Builder copyPropertiesTo(CallView.Builder call, CallView before) {
    if (before.direction() == null && json.getValue("direction") instanceof String d) {
      call.direction("incoming".equals(d) ? CallDirection.INCOMING : "outgoing".equals(d) ? CallDirection.OUTGOING
          : null);
    }
    if (json.getValue("source") instanceof JsonObject o) {
      call.source(o);
    }
    if (json.getValue("targets") instanceof JsonArray a) {
      call.targets(a);
    }
    if (json.getValue("myParticipantId") instanceof String s) {
      call.myParticipantId(s);
    }
    if (json.getValue("callChainId") instanceof String s) {
      call.callChainId(s);
    }
    if (json.getValue("subject") instanceof String s) {
      call.subject(s);
    }
    if (json.getValue("requestedModalities") instanceof JsonArray a) {
      List<String> modalities = new ArrayList<>();
      a.forEach(m -> modalities.add(String.valueOf(m)));
      call.requestedModalities(modalities);
    }
    if (json.getValue("incomingContext") instanceof JsonObject o) {
      call.incomingContext(o);
    }
    if (json.getValue("callbackUri") instanceof String s) {
      call.callbackUri(s);
    }
    boolean meeting = false;
    if (json.getValue("chatInfo") instanceof JsonObject o) {
      call.chatInfo(o);
      meeting = true;
    }
    if (json.getValue("meetingInfo") instanceof JsonObject o) {
      call.meetingInfo(o);
      meeting = true;
    }
    if (meeting) {
      call.kind(CallKind.MEETING);
    }
    return call;
  }
}
