package dev.switchboard.records;

import dev.switchboard.api.records.QualityReason;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Graph callRecord (with its sessions expanded) into a {@link ParsedRecord}, classifying every stream.
 * Lenient where Graph may leave things out (a stream without metrics, a session without segments), strict where the
 * record is unusable without it: a record without {@code id}, {@code version}, {@code startDateTime} or
 * {@code endDateTime}, or with a field of the wrong JSON type, is refused with an {@link IllegalArgumentException}
 * naming the field.
 */
final class RecordParser {

  private static final List<String> IDENTITY_KINDS = List.of("user", "phone", "guest", "application", "device");

  private RecordParser() {
  }

  /** @throws IllegalArgumentException when {@code json} is not a usable callRecord, saying why */
  static ParsedRecord parse(JsonObject json) {
    try {
      return read(json);
    } catch (ClassCastException | DateTimeParseException | NullPointerException e) {
      throw new IllegalArgumentException("malformed callRecord " + json.getValue("id") + ": " + e.getMessage(), e);
    }
  }

  private static ParsedRecord read(JsonObject json) {
    String id = required(json, "id");
    Object version = json.getValue("version");
    if (!(version instanceof Number)) {
      throw new IllegalArgumentException("malformed callRecord " + id + ": 'version' must be a number; got "
          + describe(version));
    }
    Instant start = Instant.parse(required(json, "startDateTime"));
    Instant end = Instant.parse(required(json, "endDateTime"));
    Map<String, ParsedRecord.Participant> participants = new LinkedHashMap<>();
    for (Object p : json.getJsonArray("participants", new JsonArray())) {
      ParsedRecord.Participant participant = participant((JsonObject) p);
      if (participant != null) {
        participants.putIfAbsent(participant.id(), participant);
      }
    }
    ParsedRecord.Participant organizer = json.getJsonObject("organizer") == null ? null
        : participant(json.getJsonObject("organizer"));
    List<ParsedRecord.Session> sessions = new ArrayList<>();
    for (Object s : json.getJsonArray("sessions", new JsonArray())) {
      sessions.add(session((JsonObject) s, start));
    }
    JsonObject raw = json.copy();
    raw.remove("sessions");
    raw.remove("sessions@odata.nextLink");
    raw.remove("sessions@odata.context");
    return new ParsedRecord(id, ((Number) version).longValue(), json.getString("type", "unknown"), start, end,
        organizer == null ? null : organizer.id(), List.copyOf(participants.values()), sessions, raw);
  }

  private static ParsedRecord.Session session(JsonObject json, Instant recordStart) {
    String callerId = endpointId(json.getJsonObject("caller"));
    String calleeId = endpointId(json.getJsonObject("callee"));
    List<ParsedRecord.Segment> segments = new ArrayList<>();
    for (Object g : json.getJsonArray("segments", new JsonArray())) {
      JsonObject segment = (JsonObject) g;
      List<ParsedRecord.Stream> streams = new ArrayList<>();
      for (Object m : segment.getJsonArray("media", new JsonArray())) {
        JsonObject media = (JsonObject) m;
        for (Object st : media.getJsonArray("streams", new JsonArray())) {
          streams.add(stream(media, (JsonObject) st, callerId, calleeId));
        }
      }
      segments.add(new ParsedRecord.Segment(required(segment, "id"), instant(segment, "startDateTime"),
          instant(segment, "endDateTime"), streams));
    }
    return new ParsedRecord.Session(required(json, "id"), callerId, calleeId, instant(json, "startDateTime"),
        instant(json, "endDateTime"), segments, json);
  }

  private static ParsedRecord.Stream stream(JsonObject media, JsonObject json, String callerId, String calleeId) {
    String label = media.getString("label");
    boolean audio = label != null && label.toLowerCase(java.util.Locale.ROOT).contains("audio");
    String direction = json.getString("streamDirection");
    boolean fromCallee = "calleeToCaller".equals(direction);
    JsonObject network = media.getJsonObject(fromCallee ? "calleeNetwork" : "callerNetwork", new JsonObject());
    Long packets = json.getValue("packetUtilization") == null ? null : json.getLong("packetUtilization");
    Double jitter = millis(json.getString("averageJitter"));
    Double loss = json.getDouble("averagePacketLossRate");
    Double roundTrip = millis(json.getString("averageRoundTripTime"));
    Set<QualityReason> reasons = StreamQuality.classify(audio, packets, roundTrip, loss, jitter);
    return new ParsedRecord.Stream(label, audio, json.getString("streamId"), direction,
        fromCallee ? calleeId : callerId, network.getString("subnet"), network.getString("connectionType"), packets,
        jitter, loss, roundTrip, reasons);
  }

  /** An ISO-8601 duration ({@code PT0.045S}) in milliseconds; {@code null} stays {@code null}. */
  static Double millis(String duration) {
    if (duration == null) {
      return null;
    }
    try {
      return Duration.parse(duration).toNanos() / 1_000_000.0;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + duration + "' is not an ISO-8601 duration", e);
    }
  }

  /** The id of an endpoint's identity, or {@code null} for a service endpoint. */
  private static String endpointId(JsonObject endpoint) {
    if (endpoint == null || endpoint.getJsonObject("identity") == null) {
      return null;
    }
    ParsedRecord.Participant p = participant(endpoint.getJsonObject("identity"));
    return p == null ? null : p.id();
  }

  private static ParsedRecord.Participant participant(JsonObject identitySet) {
    for (String kind : IDENTITY_KINDS) {
      JsonObject identity = identitySet.getJsonObject(kind);
      if (identity != null && identity.getString("id") != null) {
        return new ParsedRecord.Participant(identity.getString("id"), kind, identity.getString("displayName"));
      }
    }
    return null;
  }

  /** A JSON value's type and value, for error messages: {@code a string "1"}, {@code a number 17}, {@code null}. */
  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    String text = String.valueOf(value);
    text = text.length() > 60 ? text.substring(0, 60) + "..." : text;
    if (value instanceof String) {
      return "a string \"" + text + "\"";
    }
    if (value instanceof Number || value instanceof Boolean) {
      return "a " + (value instanceof Number ? "number " : "boolean ") + text;
    }
    return value instanceof JsonObject ? "an object" : value instanceof JsonArray ? "an array"
        : value.getClass().getSimpleName();
  }

  private static String required(JsonObject json, String field) {
    String value = json.getString(field);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("a callRecord " + (json.containsKey("version") ? "" : "part ")
          + "without '" + field + "'");
    }
    return value;
  }

  private static Instant instant(JsonObject json, String field) {
    String value = json.getString(field);
    return value == null ? null : Instant.parse(value);
  }
}
