package dev.switchboard.api.records;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;

/**
 * A call record was stored, or replaced by a higher version of itself. Published (not sent) on {@link #TOPIC} by
 * the records bundle, as JSON ({@link #toJson()}), with the record's id in the {@code key} header
 * ({@code dev.switchboard.api.KeyedMessage#KEY_HEADER}) so that plugins can {@code follow} it by record id.
 *
 * <p>Semantics: published once per version the bundle stores, after the database transaction committed; a
 * notification Graph repeats, or a version older than the stored one, publishes nothing. Delivery is the event
 * bus's (best effort, at most once per consumer): the stored record, read through REST, is the truth.
 *
 * @param id the callRecord's id (Graph's; the call's {@code callChainId})
 * @param version the stored version (Graph's {@code version}, increases when the record is updated)
 * @param type {@code peerToPeer}, {@code groupCall} or {@code unknown}
 * @param start the record's {@code startDateTime}
 * @param end the record's {@code endDateTime}
 * @param participants the participants' ids: Entra user or application ids, or phone numbers (E.164)
 * @param poor whether any audio stream of the call is poor (see {@link QualityReason})
 * @param reasons why, in the order of {@link QualityReason}; empty when the call is not poor
 * @param streams how many streams the record has
 */
public record RecordStored(String id, long version, String type, Instant start, Instant end, List<String> participants,
    boolean poor, List<QualityReason> reasons, int streams) {

  /** Where the event is published. */
  public static final String TOPIC = "switchboard.records.stored";

  public RecordStored {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    participants = List.copyOf(participants);
    reasons = List.copyOf(reasons);
  }

  /** How long the call lasted. */
  public Duration duration() {
    return Duration.between(start, end);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("version", version).put("type", type)
        .put("startDateTime", start.toString()).put("endDateTime", end.toString())
        .put("participants", new JsonArray(participants)).put("poor", poor)
        .put("reasons", new JsonArray(reasons.stream().map(QualityReason::wire).toList())).put("streams", streams);
  }

  /** @throws SwitchboardException {@code 400} saying what is wrong when {@code json} is not such an event */
  public static RecordStored fromJson(JsonObject json) {
    try {
      JsonArray participants = json.getJsonArray("participants", new JsonArray());
      JsonArray reasons = json.getJsonArray("reasons", new JsonArray());
      return new RecordStored(required(json, "id"), json.getLong("version", 0L), required(json, "type"),
          Instant.parse(required(json, "startDateTime")), Instant.parse(required(json, "endDateTime")),
          participants.stream().map(String::valueOf).toList(), json.getBoolean("poor", false),
          reasons.stream().map(r -> QualityReason.fromWire(String.valueOf(r))).toList(), json.getInteger("streams", 0));
    } catch (ClassCastException | DateTimeParseException e) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "Not a recordStored event: " + e.getMessage());
    }
  }

  private static String required(JsonObject json, String field) {
    String value = json.getString(field);
    if (value == null) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "A recordStored event needs '" + field + "'");
    }
    return value;
  }
}
