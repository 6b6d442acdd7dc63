package dev.switchboard.calling;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One call's model as kept in the state store (key {@code call:<id>}): the public view that commands return and
 * events carry, plus an {@code internal} section (claim deadline, keepAlive due time, tones and operations seen)
 * that lets any version of the plugin continue the call. Not thread-safe: used by the call's owner only.
 */
final class CallRecord {

  static final String KEY_PREFIX = "call:";

  /** Graph's call states in their order of progress; a notification that would go backwards is stale. */
  private static final Map<String, Integer> RANK = Map.ofEntries(
      Map.entry("incoming", 0), Map.entry("establishing", 1), Map.entry("ringing", 2), Map.entry("redirecting", 2),
      Map.entry("established", 3), Map.entry("hold", 3), Map.entry("transferring", 4),
      Map.entry("transferAccepted", 5), Map.entry("terminating", 6), Map.entry("terminated", 7));

  final JsonObject json;

  CallRecord(JsonObject json) {
    this.json = json;
    if (!json.containsKey("internal")) {
      json.put("internal", new JsonObject());
    }
    if (!json.containsKey("participants")) {
      json.put("participants", new JsonArray());
    }
    if (!json.containsKey("pendingOperations")) {
      json.put("pendingOperations", new JsonObject());
    }
  }

  static CallRecord fresh(String id, String tenantId, String state, String direction) {
    String now = Instant.now().toString();
    return new CallRecord(new JsonObject().put("id", id).put("tenantId", tenantId).put("state", state)
        .put("direction", direction).put("kind", "peerToPeer").put("toneSubscribed", false)
        .put("createdAt", now).put("updatedAt", now));
  }

  static String key(String callId) {
    return KEY_PREFIX + callId;
  }

  String id() {
    return json.getString("id");
  }

  String tenantId() {
    return json.getString("tenantId");
  }

  String state() {
    return json.getString("state");
  }

  boolean terminated() {
    return "terminated".equals(state());
  }

  JsonObject internal() {
    return json.getJsonObject("internal");
  }

  static int rank(String state) {
    return RANK.getOrDefault(state, -1);
  }

  /** Whether a notification saying {@code next} is older than what the model already knows. */
  boolean isStale(String next) {
    String current = state();
    if (terminated()) {
      return true;
    }
    if ("established".equals(next) && List.of("transferring", "transferAccepted", "hold").contains(current)) {
      return false; // a failed transfer, or the end of a hold, goes back to established
    }
    JsonObject transfer = json.getJsonObject("transfer");
    if (List.of("transferring", "transferAccepted").contains(next) && transfer != null
        && !"requested".equals(transfer.getString("status")) && !"transferring".equals(transfer.getString("status"))) {
      return true; // a late notification of a transfer that has already failed
    }
    return rank(next) < rank(current);
  }

  void touch() {
    json.put("updatedAt", Instant.now().toString());
  }

  /** The JSON that commands return and events carry. */
  JsonObject view() {
    JsonObject view = json.copy();
    view.remove("internal");
    JsonArray pending = new JsonArray();
    json.getJsonObject("pendingOperations").forEach(e -> pending.add(e.getValue()));
    view.put("pendingOperations", pending);
    return view;
  }
}
