package dev.switchboard.media;

import dev.switchboard.api.StateStore;
import dev.switchboard.api.calls.ResultInfo;
import dev.switchboard.api.media.OperationKind;
import dev.switchboard.api.media.OperationStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The calls' media in the plugin's state store, under {@code call:<id>}: the one place where a {@link CallState} is
 * written as JSON and read back, so that every version of the plugin reads what another wrote. Futures complete on the
 * caller's context.
 */
final class CallStates {

  private static final String PREFIX = "call:";

  private final StateStore store;

  CallStates(StateStore store) {
    this.store = store;
  }

  /** The call's media, or {@code null} when the plugin does not work on the call. */
  Future<CallState> get(String callId) {
    return store.get(PREFIX + callId).map(json -> json == null ? null : fromJson(json));
  }

  Future<Void> put(CallState call) {
    return store.put(PREFIX + call.callId(), toJson(call));
  }

  Future<Void> remove(String callId) {
    return store.remove(PREFIX + callId);
  }

  /** Every call stored (e.g. left by an earlier version). */
  Future<List<CallState>> all() {
    return store.keys().compose(keys -> {
      List<Future<CallState>> calls = keys.stream().filter(k -> k.startsWith(PREFIX))
          .map(k -> get(k.substring(PREFIX.length()))).toList();
      return Future.all(calls).map(all -> new ArrayList<>(calls.stream().map(Future::result)
          .filter(c -> c != null).toList()));
    });
  }

  static JsonObject toJson(CallState call) {
    JsonObject ops = new JsonObject();
    call.operations().values().forEach(op -> ops.put(op.id(), toJson(op)));
    GatherState g = call.gather();
    return new JsonObject().put("callId", call.callId()).put("tenantId", call.tenantId())
        .put("toneSubscribed", call.toneSubscribed()).put("ended", call.ended()).put("operations", ops)
        .put("gather", g == null ? null : new JsonObject().put("operationId", g.operationId())
            .put("maxDigits", g.maxDigits()).put("terminator", g.terminator())
            .put("interDigitTimeoutMs", g.interDigitTimeoutMs()).put("timeoutMs", g.timeoutMs())
            .put("bargeIn", g.bargeIn()).put("digits", g.digits()).put("promptDone", g.promptDone())
            .put("sequenceIds", new JsonArray(g.sequenceIds())));
  }

  static CallState fromJson(JsonObject json) {
    Map<String, Operation> ops = new LinkedHashMap<>();
    JsonObject stored = json.getJsonObject("operations", new JsonObject());
    stored.fieldNames().forEach(id -> ops.put(id, operation(stored.getJsonObject(id))));
    JsonObject g = json.getJsonObject("gather");
    return new CallState(json.getString("callId"), json.getString("tenantId"), json.getBoolean("toneSubscribed"),
        json.getBoolean("ended"), ops, g == null ? null : new GatherState(g.getString("operationId"),
            g.getInteger("maxDigits"), g.getString("terminator"), g.getLong("interDigitTimeoutMs"),
            g.getLong("timeoutMs"), g.getBoolean("bargeIn"), g.getString("digits"), g.getBoolean("promptDone"),
            sequenceIds(g.getJsonArray("sequenceIds"))));
  }

  /** The digits' sequence ids as stored; {@code null} (unknown) for a state written before they were kept. */
  private static java.util.List<Long> sequenceIds(JsonArray stored) {
    return stored == null ? null : stored.stream().map(o -> ((Number) o).longValue()).toList();
  }

  private static JsonObject toJson(Operation op) {
    PendingDownload d = op.download();
    return new JsonObject().put("id", op.id()).put("kind", op.kind().wire()).put("status", op.status().wire())
        .put("clientContext", op.clientContext()).put("graphOperationIds", new JsonArray(op.graphOperationIds()))
        .put("createdAt", instant(op.createdAt())).put("endedAt", instant(op.endedAt()))
        .put("cancelRequested", op.cancelRequested())
        .put("download", d == null ? null : new JsonObject().put("location", d.location())
            .put("accessToken", d.accessToken()).put("completionReason", d.completionReason())
            .put("resultInfo", d.resultInfo() == null ? null : d.resultInfo().toJson()));
  }

  private static Operation operation(JsonObject json) {
    JsonObject d = json.getJsonObject("download");
    List<String> graphIds = json.getJsonArray("graphOperationIds").stream().map(String::valueOf).toList();
    return new Operation(json.getString("id"), OperationKind.fromWire(json.getString("kind")),
        OperationStatus.fromWire(json.getString("status")), json.getString("clientContext"), graphIds,
        instant(json.getString("createdAt")), instant(json.getString("endedAt")), json.getBoolean("cancelRequested"),
        d == null ? null : new PendingDownload(d.getString("location"), d.getString("accessToken"),
            d.getJsonObject("resultInfo") == null ? null : ResultInfo.fromJson(d.getJsonObject("resultInfo")),
            d.getString("completionReason")));
  }

  private static String instant(Instant at) {
    return at == null ? null : at.toString();
  }

  private static Instant instant(String at) {
    return at == null ? null : Instant.parse(at);
  }
}
