package dev.switchboard.calling;

import dev.switchboard.api.StateStore;
import dev.switchboard.api.calls.CallView;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;

/**
 * The calls in the plugin's state store, shared by all its versions: one entry per call, key {@code call:<id>}, the
 * call's view (the contract's JSON) with the bookkeeping beside it under {@code internal}.
 */
final class CallStore {

  private static final String KEY_PREFIX = "call:";
  private static final String INTERNAL = "internal";
  private static final String TONES_SEEN = "tonesSeen";
  /** The reported operations' ids, as entries written before {@link #REPORTED_OPERATION_HASHES} have them. */
  private static final String OPERATIONS_REPORTED = "operationsReported";
  private static final String REPORTED_OPERATION_HASHES = "reportedOperationHashes";
  private static final String SUBSCRIBE_ON_ESTABLISHED = "subscribeOnEstablished";
  private static final String PENDING_OPERATIONS = "pendingOperations";

  private final StateStore state;

  CallStore(StateStore state) {
    this.state = Objects.requireNonNull(state, "state");
  }

  /** The call, or {@code null} when the store has none of that id. */
  Future<Call> load(String callId) {
    return state.get(KEY_PREFIX + callId).map(json -> json == null ? null : fromJson(json));
  }

  Future<Void> save(Call call) {
    return state.put(KEY_PREFIX + call.id(), toJson(call));
  }

  Future<Void> remove(String callId) {
    return state.remove(KEY_PREFIX + callId).mapEmpty();
  }

  /** Every call in the store (ended ones too, until they are removed). */
  Future<List<Call>> all() {
    return state.keys().compose(keys -> {
      List<Future<JsonObject>> gets = new ArrayList<>();
      keys.stream().filter(k -> k.startsWith(KEY_PREFIX)).forEach(k -> gets.add(state.get(k)));
      return Future.join(gets).map(done -> {
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < done.size(); i++) {
          JsonObject json = done.resultAt(i);
          if (json != null) {
            calls.add(fromJson(json));
          }
        }
        return calls;
      });
    });
  }

  static JsonObject toJson(Call call) {
    return call.view().toJson().put(INTERNAL, new JsonObject()
        .put(TONES_SEEN, new JsonArray(new ArrayList<>(call.tonesSeen())))
        .put(REPORTED_OPERATION_HASHES, call.operationsReported().encode())
        .put(SUBSCRIBE_ON_ESTABLISHED, call.subscribeOnEstablished()));
  }

  /** Reads an entry; also one written before the typed contract, whose pending operations were keyed by id. */
  static Call fromJson(JsonObject stored) {
    // Only top-level fields are removed or replaced below, and the view copies what it keeps: a shallow copy will do.
    JsonObject json = new JsonObject(new LinkedHashMap<>(stored.getMap()));
    JsonObject internal = json.getValue(INTERNAL) instanceof JsonObject o ? o : new JsonObject();
    json.remove(INTERNAL);
    if (json.getValue(PENDING_OPERATIONS) instanceof JsonObject byId) {
      JsonArray pending = new JsonArray();
      byId.forEach(e -> pending.add(e.getValue()));
      json.put(PENDING_OPERATIONS, pending);
    }
    List<Long> tones = new ArrayList<>();
    internal.getJsonArray(TONES_SEEN, new JsonArray()).forEach(t -> tones.add(((Number) t).longValue()));
    ReportedOperations operations;
    if (internal.getValue(REPORTED_OPERATION_HASHES) instanceof String hashes) {
      operations = ReportedOperations.decodeOrNone(hashes);
    } else {
      List<String> ids = new ArrayList<>();
      internal.getJsonArray(OPERATIONS_REPORTED, new JsonArray()).forEach(o -> ids.add(o.toString()));
      operations = ReportedOperations.ofIds(ids);
    }
    return new Call(CallView.fromJson(json), tones, operations, internal.getBoolean(SUBSCRIBE_ON_ESTABLISHED, false));
  }
}
