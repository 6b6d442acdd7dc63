package dev.switchboard.api.calls;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.BiFunction;

/** Reads {@link CallEvent}s from their wire form. */
final class CallEventParser {

  private static final Map<String, BiFunction<CallEvent.Header, Wire, CallEvent>> EVENTS = Map.of(
      "incoming", (h, e) -> new CallEvent.Incoming(h, e.instant("receivedAt"), e.instant("claimDeadline")),
      "stateChanged", (h, e) -> new CallEvent.StateChanged(h, e.enumValue("state", CallState.class),
          e.enumValue("previousState", CallState.class)),
      "established", (h, e) -> new CallEvent.Established(h),
      "participantsChanged", (h, e) -> new CallEvent.ParticipantsChanged(h,
          e.objects("participants", ParticipantView::fromJson), e.strings("added"), e.strings("removed"),
          e.strings("changed")),
      "toneReceived", (h, e) -> new CallEvent.ToneReceived(h,
          Wire.required(e.enumValue("tone", Tone.class), "a toneReceived event", "tone"),
          e.longValue("sequenceId"), e.bool("outOfOrder")),
      "operationCompleted", (h, e) -> new CallEvent.OperationCompleted(h,
          Wire.required(e.object("operation", OperationView::fromJson), "an operationCompleted event", "operation")),
      "transferAccepted", (h, e) -> new CallEvent.TransferAccepted(h, e.object("transfer", TransferView::fromJson)),
      "transferFailed", (h, e) -> new CallEvent.TransferFailed(h, e.object("transfer", TransferView::fromJson),
          e.object("resultInfo", ResultInfo::fromJson), e.string("reason")),
      "terminated", (h, e) -> new CallEvent.Terminated(h, e.object("resultInfo", ResultInfo::fromJson),
          e.string("reason"), e.bool("unclaimed")));

  private CallEventParser() {
  }

  static CallEvent parse(JsonObject json) {
    Wire event = Wire.read(json, "a call event");
    String type = event.requiredString("type");
    BiFunction<CallEvent.Header, Wire, CallEvent> reader = EVENTS.get(type);
    if (reader == null) {
      throw Wire.bad("'type' must be one of " + EVENTS.keySet().stream().sorted().toList() + "; got '" + type + "'");
    }
    CallView call = event.object("call", CallView::fromJson);
    if (call == null) {
      throw Wire.bad("a call event needs 'call'");
    }
    CallEvent.Header header = new CallEvent.Header(event.requiredString("callId"), event.string("tenantId"),
        Wire.required(event.instant("at"), "a call event", "at"), event.string("version"), call);
    return reader.apply(header, event);
  }
}
