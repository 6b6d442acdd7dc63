package dev.switchboard.api.media;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * How a media operation ended, published once per operation by the version of the media plugin that owns the call,
 * on the topic of its kind ({@code TOPIC} of each record; all of them in {@link #TOPICS}), with the
 * call id as key ({@link dev.switchboard.api.PluginContext#publishKeyed}). A plugin that
 * {@linkplain dev.switchboard.api.PluginContext#follow follows} a topic gets each event once, in order per call,
 * whatever the number of running versions of the media plugin; plain event-bus consumers of the topic get it too.
 *
 * <p>The events of one call are published in the order their operations ended. Read one with {@link #fromJson}.
 */
public sealed interface MediaEvent {

  /** Every topic media publishes on. */
  List<String> TOPICS = List.of(PlayCompleted.TOPIC, RecordCompleted.TOPIC, GatherCompleted.TOPIC);

  /** What every event says: the call, the operation, how it ended. */
  Outcome outcome();

  /** The call's id (the key the event is published for). */
  default String callId() {
    return outcome().callId();
  }

  /** The event's type in JSON: its topic's last segment ({@code playCompleted}, ...). */
  default String type() {
    return topic().substring(topic().lastIndexOf('.') + 1);
  }

  /** The topic it is published on. */
  String topic();

  /**
   * The JSON form: the {@link Outcome}'s fields ({@code type}, {@code callId}, {@code operationId},
   * {@code clientContext}, {@code status}, {@code reason}, {@code callEnded}, {@code resultInfo}, {@code at},
   * {@code version}) and the event's own.
   */
  JsonObject toJson();

  /**
   * Reads an event by its {@code type}.
   *
   * @throws dev.switchboard.api.SwitchboardException {@code 400} naming what is wrong when {@code json} is not a media
   *     event
   */
  static MediaEvent fromJson(JsonObject json) {
    Objects.requireNonNull(json, "json");
    String type = Fields.string(json, "type");
    if (isType(PlayCompleted.TOPIC, type)) {
      return new PlayCompleted(Outcome.fromJson(json));
    }
    if (isType(RecordCompleted.TOPIC, type)) {
      JsonObject recording = Fields.object(json, "recording");
      return new RecordCompleted(Outcome.fromJson(json), Fields.string(json, "completionReason"),
          recording == null ? null : Recording.fromJson(recording));
    }
    if (isType(GatherCompleted.TOPIC, type)) {
      String digits = Fields.string(json, "digits");
      return new GatherCompleted(Outcome.fromJson(json), digits == null ? "" : digits,
          GatherEnd.fromWire(Fields.string(json, "endedBy")));
    }
    throw Fields.bad("A media event's 'type' is playCompleted, recordCompleted or gatherCompleted; got "
        + Fields.describe(type) + ".");
  }

  private static boolean isType(String topic, String type) {
    return topic.endsWith("." + type);
  }

  /** A play ended: its prompts were played ({@code completed}), or it failed or was cancelled. */
  record PlayCompleted(Outcome outcome) implements MediaEvent {
    public static final String TOPIC = "switchboard.media.playCompleted";

    public PlayCompleted {
      Objects.requireNonNull(outcome, "outcome");
    }

    @Override
    public String topic() {
      return TOPIC;
    }

    @Override
    public JsonObject toJson() {
      return outcome.toJson(type());
    }
  }

  /**
   * A recording ended and, when {@code completed}, was downloaded.
   *
   * @param completionReason Graph's, e.g. {@code stopToneDetected}, {@code maxRecordDurationReached},
   *     {@code initialSilenceTimeout}; {@code null} when Graph gave none
   * @param recording the stored file when {@code completed}; else {@code null}
   */
  record RecordCompleted(Outcome outcome, String completionReason, Recording recording) implements MediaEvent {
    public static final String TOPIC = "switchboard.media.recordCompleted";

    public RecordCompleted {
      Objects.requireNonNull(outcome, "outcome");
    }

    @Override
    public String topic() {
      return TOPIC;
    }

    /** Also {@code downloadAttempts} (the recording's), as the event always carried. */
    @Override
    public JsonObject toJson() {
      return outcome.toJson(type()).put("completionReason", completionReason)
          .put("recording", recording == null ? null : recording.toJson())
          .put("downloadAttempts", recording == null ? null : recording.downloadAttempts());
    }
  }

  /**
   * A gather ended.
   *
   * @param digits the keys collected, e.g. {@code "1234"} (never the terminator); empty when none
   * @param endedBy why it ended
   */
  record GatherCompleted(Outcome outcome, String digits, GatherEnd endedBy) implements MediaEvent {
    public static final String TOPIC = "switchboard.media.gatherCompleted";

    public GatherCompleted {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(digits, "digits");
      Objects.requireNonNull(endedBy, "endedBy");
    }

    @Override
    public String topic() {
      return TOPIC;
    }

    @Override
    public JsonObject toJson() {
      return outcome.toJson(type()).put("digits", digits).put("endedBy", endedBy.wire());
    }
  }
}
