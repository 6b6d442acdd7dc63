package dev.switchboard.api.calls;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Something that happened to a call, published by the calling bundle on the event's topic ({@code TOPIC} of each
 * record; all of them in {@link #TOPICS}). The version of the calling plugin that owns the call publishes each event
 * once, in the order the call's notifications were handled, with
 * {@link dev.switchboard.api.PluginContext#publishKeyed} (key: the call id): a plugin that
 * {@linkplain dev.switchboard.api.PluginContext#follow follows} a topic gets each event once, in order with the
 * call's other events, however many versions of calling run; a plain event-bus consumer of the topic gets it once per
 * consumer. A consumer that acts on a call sends a {@link CallCommand}.
 *
 * <p>On the wire an event is a JSON object with {@code type} (the topic's last segment, e.g. {@code established}),
 * the {@link Header}'s fields ({@code callId}, {@code tenantId}, {@code at}, {@code version}, {@code call}) and the
 * event's own fields, side by side. Read one with {@link #fromJson(JsonObject)} or
 * {@link #fromJson(JsonObject, Class)}.
 */
public sealed interface CallEvent {

  /** Every topic calling publishes on. */
  List<String> TOPICS = List.of(Incoming.TOPIC, StateChanged.TOPIC, Established.TOPIC, ParticipantsChanged.TOPIC,
      ToneReceived.TOPIC, OperationCompleted.TOPIC, TransferAccepted.TOPIC, TransferFailed.TOPIC, Terminated.TOPIC);

  /** What every event says. */
  Header header();

  /** The topic the event is published on. */
  String topic();

  /** The wire form. */
  JsonObject toJson();

  /** The call the event is about. */
  default String callId() {
    return header().callId();
  }

  /** The call as it was once the event happened. */
  default CallView call() {
    return header().call();
  }

  /**
   * Reads an event of any type.
   *
   * @throws dev.switchboard.api.SwitchboardException 400 when {@code type} names no call event or a field has the
   *     wrong type
   */
  static CallEvent fromJson(JsonObject json) {
    return CallEventParser.parse(json);
  }

  /**
   * Reads an event that must be of {@code type}, e.g. in a consumer of {@link Incoming#TOPIC}:
   * {@code CallEvent.fromJson(message.body(), CallEvent.Incoming.class)}.
   *
   * @throws dev.switchboard.api.SwitchboardException 400 when it is of another type
   */
  static <E extends CallEvent> E fromJson(JsonObject json, Class<E> type) {
    CallEvent event = CallEventParser.parse(json);
    if (!type.isInstance(event)) {
      throw Wire.bad("expected a " + type.getSimpleName() + " event; got " + event.topic());
    }
    return type.cast(event);
  }

  /**
   * What every event says.
   *
   * @param callId the call
   * @param tenantId the call's tenant
   * @param at when the event was published
   * @param version the version of the calling plugin that published it
   * @param call the call as it was once the event happened
   */
  record Header(String callId, String tenantId, Instant at, String version, CallView call) {
    public Header {
      Objects.requireNonNull(callId, "callId");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(call, "call");
    }

    JsonObject toJson(String topic) {
      JsonObject json = new JsonObject().put("type", topic.substring(topic.lastIndexOf('.') + 1)).put("callId", callId);
      Wire.putIf(json, "tenantId", tenantId);
      return Wire.putIf(json, "at", at).put("version", version).put("call", call.toJson());
    }
  }

  /**
   * A call to the bot arrived and waits to be claimed: a bot claims it with {@link CallCommand.Answer},
   * {@link CallCommand.Reject} or {@link CallCommand.Redirect}. A call nobody claims by {@code claimDeadline}
   * ({@code plugins.calling.unclaimedRejectAfter}) is rejected busy.
   *
   * @param receivedAt when the platform accepted the notification, or {@code null}
   * @param claimDeadline when an unclaimed call is rejected
   */
  record Incoming(Header header, Instant receivedAt, Instant claimDeadline) implements CallEvent {
    public static final String TOPIC = "switchboard.calls.incoming";

    @Override
    public String topic() {
      return TOPIC;
    }

    @Override
    public JsonObject toJson() {
      return Wire.putIf(Wire.putIf(header.toJson(TOPIC), "receivedAt", receivedAt), "claimDeadline", claimDeadline);
    }
  }

  /**
   * The call's state changed.
   *
   * @param state the new state
   * @param previousState the one before, or {@code null} when the call had none yet
   */
  record StateChanged(Header header, CallState state, CallState previousState) implements CallEvent {
    public static final String TOPIC = "switchboard.calls.stateChanged";

    @Override
    public String topic() {
      return TOPIC;
    }

    @Override
    public JsonObject toJson() {
      return Wire.putIf(Wire.putIf(header.toJson(TOPIC), "state", state), "previousState", previousState);
    }
  }

  /** The call reached {@code established}: published once per call. */
  record Established(Header header) implements CallEvent {
    public static final String TOPIC = "switchboard.calls.established";

    @Override
    public String topic() {
      return TOPIC;
    }

    @Override
    public JsonObject toJson() {
      return header.toJson(TOPIC);
    }
  }

  /**
   * The roster changed. Roster notifications carry no sequence number, so a late roster replaces a newer one.
   *
   * @param participants the full roster
   * @param added ids of participants who joined
   * @param removed ids of participants who left
   * @param changed ids of participants whose properties changed (e.g. muted)
   */
  record ParticipantsChanged(Header header, List<ParticipantView> participants, List<String> added,
      List<String> removed, List<String> changed) implements CallEvent {
    public static final String TOPIC = "switchboard.calls.participantsChanged";

    public ParticipantsChanged {
      participants = Wire.copy(participants);
      added = Wire.copy(added);
      removed = Wire.copy(removed);
      changed = Wire.copy(changed);
    }

    @Override
    public String topic() {
      return TOPIC;
    }

    @Override
    public JsonObject toJson() {
      return header.toJson(TOPIC).put("participants", Wire.array(participants, ParticipantView::toJson))
          .put("added", Wire.array(added, id -> id)).put("removed", Wire.array(removed, id -> id))
          .put("changed", Wire.array(changed, id -> id));
    }
  }

  /**
   * A DTMF key was pressed on a call subscribed to tones. A tone already seen (same {@code sequenceId}) is not
   * published again.
   *
   * @param sequenceId Graph's sequence id, or {@code null}
   * @param outOfOrder whether a tone with a higher sequence id was published before this one
   */
  record ToneReceived(Header header, Tone tone, Long sequenceId, boolean outOfOrder) implements CallEvent {
    public static final String TOPIC = "switchboard.calls.toneReceived";

    public ToneReceived {
      Objects.requireNonNull(tone, "tone");
    }

    @Override
    public String topic() {
      return TOPIC;
    }

    @Override
    public JsonObject toJson() {
      return Wire.putIf(header.toJson(TOPIC).put("tone", tone.wireName()), "sequenceId", sequenceId)
          .put("outOfOrder", outOfOrder);
    }
  }

  /**
   * A Graph operation on the call finished (playPrompt, recordResponse, sendDtmfTones, invite, ...; whoever started
   * it). Reported once per operation.
   */
  record OperationCompleted(Header header, OperationView operation) implements CallEvent {
    public static final String TOPIC = "switchboard.calls.operationCompleted";

    public OperationCompleted {
      Objects.requireNonNull(operation, "operation");
    }

    @Override
    public String topic() {
      return TOPIC;
    }

    @Override
    public JsonObject toJson() {
      return header.toJson(TOPIC).put("operation", operation.toJson());
    }
  }

  /** The transfer target accepted; the call will end with {@code 0/7015}. */
  record TransferAccepted(Header header, TransferView transfer) implements CallEvent {
    public static final String TOPIC = "switchboard.calls.transferAccepted";

    @Override
    public String topic() {
      return TOPIC;
    }

    @Override
    public JsonObject toJson() {
      return Wire.putIf(header.toJson(TOPIC), "transfer", transfer == null ? null : transfer.toJson());
    }
  }

  /**
   * The transfer failed and the call is {@code established} again.
   *
   * @param reason why, in words
   */
  record TransferFailed(Header header, TransferView transfer, ResultInfo resultInfo, String reason)
      implements CallEvent {
    public static final String TOPIC = "switchboard.calls.transferFailed";

    @Override
    public String topic() {
      return TOPIC;
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = Wire.putIf(header.toJson(TOPIC), "transfer", transfer == null ? null : transfer.toJson());
      return Wire.putIf(Wire.putIf(json, "resultInfo", resultInfo == null ? null : resultInfo.toJson()), "reason",
          reason);
    }
  }

  /**
   * The call ended: published once per call.
   *
   * @param resultInfo Graph's code, subcode and message, or {@code null}
   * @param reason a sentence from Graph's call-end code table (graph-reference §1.10), else Graph's message
   * @param unclaimed whether the calling bundle rejected it because no bot claimed it in time
   */
  record Terminated(Header header, ResultInfo resultInfo, String reason, boolean unclaimed) implements CallEvent {
    public static final String TOPIC = "switchboard.calls.terminated";

    @Override
    public String topic() {
      return TOPIC;
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = Wire.putIf(header.toJson(TOPIC), "resultInfo", resultInfo == null ? null : resultInfo.toJson());
      return Wire.putIf(json, "reason", reason).put("unclaimed", unclaimed);
    }
  }
}
