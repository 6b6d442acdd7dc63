package dev.switchboard.calling;

import dev.switchboard.api.CallEvents;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies one Graph calling notification to a call's model and says which events follow. Pure: no I/O, so the
 * rules for duplicates and out-of-order notifications are in one place.
 *
 * <ul>
 *   <li>A state older than the model's (Graph sometimes sends {@code established} before {@code establishing}) is
 *       ignored; so is anything after {@code terminated}. A repeated state changes nothing.
 *   <li>A tone whose {@code sequenceId} was seen is dropped; one older than the newest seen is delivered, flagged
 *       {@code outOfOrder}.
 *   <li>A roster equal to the model's publishes nothing; an operation already reported is not reported again.
 * </ul>
 */
final class NotificationApplier {

  /** An event to publish once the model is stored. */
  record Event(String address, JsonObject fields) {
  }

  /** What applying a notification produced. */
  static final class Outcome {
    final List<Event> events = new ArrayList<>();
    boolean changed;
    boolean established;
    boolean terminated;
    boolean incoming;

    void event(String address, JsonObject fields) {
      events.add(new Event(address, fields));
    }
  }

  private static final int TONES_REMEMBERED = 64;
  private static final int OPERATIONS_REMEMBERED = 64;

  private NotificationApplier() {
  }

  /** A model for a call first seen through {@code notification} (normally the incoming call's {@code created}). */
  static CallRecord create(String callId, String tenantId, JsonObject notification) {
    JsonObject data = notification.getValue("resourceData") instanceof JsonObject o ? o : new JsonObject();
    boolean incoming = "created".equals(notification.getString("changeType")) && "incoming".equals(data.getString("state"));
    CallRecord record = CallRecord.fresh(callId, tenantId, incoming ? "incoming" : null,
        incoming ? "incoming" : data.getString("direction"));
    if (incoming) {
      copyCallProperties(record, data);
    }
    return record;
  }

  static Outcome apply(CallRecord record, JsonObject notification) {
    Outcome out = new Outcome();
    String resourceUrl = notification.getString("resourceUrl", notification.getString("resource", ""));
    Object data = notification.getValue("resourceData");
    if (record.terminated()) {
      return out;
    }
    if (resourceUrl.contains("/operations/")) {
      operation(record, resourceUrl, data instanceof JsonObject o ? o : new JsonObject(), out);
    } else if (resourceUrl.endsWith("/participants") || data instanceof JsonArray) {
      roster(record, data instanceof JsonArray a ? a : new JsonArray().add(data), out);
    } else if (data instanceof JsonObject call) {
      call(record, call, out);
    }
    if (out.changed) {
      record.touch();
    }
    return out;
  }

  private static void call(CallRecord record, JsonObject data, Outcome out) {
    copyCallProperties(record, data);
    String next = data.getString("state");
    if (next != null && !next.equals(record.state())) {
      if (record.state() == null || !record.isStale(next)) {
        changeState(record, next, data, out);
      }
    } else if ("established".equals(next) && data.getJsonObject("resultInfo") != null && transferPending(record)) {
      // A failed transfer whose 'transferring' is late or lost: the call never left established in our model.
      transferFailed(record, data, out);
    }
    if (data.getValue("toneInfo") instanceof JsonObject tone && !record.terminated()) {
      tone(record, tone, out);
    }
  }

  private static void changeState(CallRecord record, String next, JsonObject data, Outcome out) {
    String previous = record.state();
    record.json.put("state", next);
    out.changed = true;
    out.event(CallEvents.STATE_CHANGED, new JsonObject().put("state", next).put("previousState", previous));
    String now = Instant.now().toString();
    switch (next) {
      case "established" -> {
        if (data.getJsonObject("resultInfo") != null && transferPending(record)) {
          transferFailed(record, data, out);
        }
        if (!record.internal().getBoolean("establishedPublished", false)) {
          record.internal().put("establishedPublished", true);
          record.json.put("establishedAt", now);
          out.established = true;
          out.event(CallEvents.ESTABLISHED, new JsonObject());
        }
      }
      case "transferring" -> transfer(record).put("status", "transferring");
      case "transferAccepted" -> {
        JsonObject transfer = transfer(record).put("status", "accepted");
        out.event(CallEvents.TRANSFER_ACCEPTED, new JsonObject().put("transfer", transfer.copy()));
      }
      case "terminated" -> {
        JsonObject result = data.getJsonObject("resultInfo");
        record.json.put("resultInfo", result == null ? null : result.copy()).put("terminatedAt", now);
        String reason = record.json.getBoolean("unclaimed", false)
            ? "rejected busy by the calling bundle: no bot claimed the call in time" : ResultReasons.of(result);
        record.json.put("reason", reason);
        if (data.getString("terminationReason") != null) {
          record.json.put("terminationReason", data.getString("terminationReason"));
        }
        JsonObject transfer = record.json.getJsonObject("transfer");
        if (transfer != null && result != null && Integer.valueOf(7015).equals(result.getInteger("subcode"))) {
          transfer.put("status", "completed");
        }
        record.json.put("pendingOperations", new JsonObject());
        out.terminated = true;
        out.event(CallEvents.TERMINATED, new JsonObject().put("resultInfo", result == null ? null : result.copy())
            .put("reason", reason).put("unclaimed", record.json.getBoolean("unclaimed", false)));
      }
      default -> {
      }
    }
  }

  private static boolean transferPending(CallRecord record) {
    JsonObject transfer = record.json.getJsonObject("transfer");
    return transfer != null && List.of("requested", "transferring", "accepted").contains(transfer.getString("status"));
  }

  private static JsonObject transfer(CallRecord record) {
    JsonObject transfer = record.json.getJsonObject("transfer");
    if (transfer == null) {
      transfer = new JsonObject();
      record.json.put("transfer", transfer);
    }
    return transfer;
  }

  private static void transferFailed(CallRecord record, JsonObject data, Outcome out) {
    JsonObject result = data.getJsonObject("resultInfo").copy();
    JsonObject transfer = transfer(record).put("status", "failed").put("resultInfo", result);
    out.changed = true;
    out.event(CallEvents.TRANSFER_FAILED, new JsonObject().put("transfer", transfer.copy()).put("resultInfo", result)
        .put("reason", ResultReasons.of(result)));
  }

  private static void tone(CallRecord record, JsonObject tone, Outcome out) {
    Long sequence = tone.getLong("sequenceId");
    String value = tone.getString("tone");
    if (value == null) {
      return;
    }
    JsonArray seen = record.internal().getJsonArray("tonesSeen", new JsonArray());
    if (sequence != null && seen.contains(sequence)) {
      return; // a duplicate
    }
    long newest = record.json.getLong("lastToneSequenceId", 0L);
    boolean outOfOrder = sequence != null && sequence < newest;
    if (sequence != null) {
      seen.add(sequence);
      while (seen.size() > TONES_REMEMBERED) {
        seen.remove(0);
      }
      record.internal().put("tonesSeen", seen);
      record.json.put("lastToneSequenceId", Math.max(newest, sequence));
    }
    out.changed = true;
    out.event(CallEvents.TONE_RECEIVED, new JsonObject().put("tone", value).put("sequenceId", sequence)
        .put("outOfOrder", outOfOrder));
  }

  private static void roster(CallRecord record, JsonArray data, Outcome out) {
    String me = record.json.getString("myParticipantId");
    Map<String, JsonObject> before = new HashMap<>();
    record.json.getJsonArray("participants").forEach(p -> before.put(((JsonObject) p).getString("id"), (JsonObject) p));
    JsonArray roster = new JsonArray();
    JsonArray added = new JsonArray();
    JsonArray changed = new JsonArray();
    Map<String, JsonObject> after = new HashMap<>();
    for (Object o : data) {
      if (!(o instanceof JsonObject p) || p.getString("id") == null) {
        continue;
      }
      JsonObject normal = new JsonObject().put("id", p.getString("id")).put("info", p.getValue("info"))
          .put("isMuted", p.getBoolean("isMuted", false)).put("isInLobby", p.getBoolean("isInLobby", false))
          .put("isBot", p.getString("id").equals(me));
      if (p.getValue("mediaStreams") instanceof JsonArray streams) {
        normal.put("mediaStreams", streams.copy());
      }
      roster.add(normal);
      after.put(normal.getString("id"), normal);
      JsonObject old = before.get(normal.getString("id"));
      if (old == null) {
        added.add(normal.getString("id"));
      } else if (!old.equals(normal)) {
        changed.add(normal.getString("id"));
      }
    }
    JsonArray removed = new JsonArray();
    before.keySet().stream().filter(id -> !after.containsKey(id)).sorted().forEach(removed::add);
    if (added.isEmpty() && removed.isEmpty() && changed.isEmpty()) {
      return;
    }
    record.json.put("participants", roster);
    out.changed = true;
    out.event(CallEvents.PARTICIPANTS_CHANGED, new JsonObject().put("participants", roster.copy()).put("added", added)
        .put("removed", removed).put("changed", changed));
  }

  private static void operation(CallRecord record, String resourceUrl, JsonObject data, Outcome out) {
    String id = resourceUrl.substring(resourceUrl.lastIndexOf('/') + 1);
    JsonArray done = record.internal().getJsonArray("operationsReported", new JsonArray());
    if (done.contains(id)) {
      return; // a duplicate
    }
    JsonObject operation = data.copy();
    operation.remove("@odata.etag");
    operation.remove("@odata.id");
    String type = data.getString("@odata.type", "#microsoft.graph.commsOperation");
    operation.remove("@odata.type");
    operation.put("id", id).put("type", type.substring(type.lastIndexOf('.') + 1));
    String status = operation.getString("status");
    JsonObject pending = record.json.getJsonObject("pendingOperations");
    if (!"completed".equals(status) && !"failed".equals(status)) {
      // Not a final state: remember it as pending and wait for the outcome.
      pending.put(id, operation);
      out.changed = true;
      return;
    }
    pending.remove(id);
    done.add(id);
    while (done.size() > OPERATIONS_REMEMBERED) {
      done.remove(0);
    }
    record.internal().put("operationsReported", done);
    out.changed = true;
    out.event(CallEvents.OPERATION_COMPLETED, new JsonObject().put("operation", operation));
  }

  /** Copies what a call resource says about the call's identity, without touching its state. */
  static void copyCallProperties(CallRecord record, JsonObject data) {
    for (String key : List.of("direction", "source", "targets", "myParticipantId", "callChainId", "subject",
        "requestedModalities", "chatInfo", "meetingInfo", "incomingContext", "callbackUri")) {
      Object value = data.getValue(key);
      if (value != null && (record.json.getValue(key) == null || !key.equals("direction"))) {
        record.json.put(key, value instanceof JsonObject o ? o.copy() : value instanceof JsonArray a ? a.copy() : value);
      }
    }
    if (data.getValue("meetingInfo") != null || data.getValue("chatInfo") != null) {
      record.json.put("kind", "meeting");
    }
  }
}
