package dev.switchboard.media;

import dev.switchboard.api.PluginContext;
import dev.switchboard.api.calls.OperationView;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Graph's IVR actions on a call (playPrompt, recordResponse, cancelMediaProcessing), made in the call's tenant.
 * Futures complete on the plugin's context.
 */
final class GraphMedia {

  /** An operation Graph accepted: the call with it, and what Graph answered (possibly already finished). */
  record Started(CallState call, Operation operation, OperationView response) {
    /** The reply to the command that started it. */
    JsonObject reply() {
      return operation.startedReply(call.callId());
    }
  }

  private final PluginContext context;
  private final CallStates states;

  GraphMedia(PluginContext context, CallStates states) {
    this.context = context;
    this.states = states;
  }

  /**
   * Starts {@code action} for {@code operation}, with the operation's id as Graph's client context. The call, with
   * the operation, is stored before Graph hears of it, so that its completion always finds it; if Graph refuses, the
   * call is stored again without it (nor the gather it belongs to) and the future fails with Graph's error.
   */
  Future<Started> start(CallState call, Operation operation, String action, JsonObject body) {
    CallState with = call.with(operation);
    return states.put(with)
        .compose(v -> post(call, action, body.copy().put("clientContext", operation.id())))
        .recover(e -> states.put(with.without(operation.id())).transform(x -> Future.failedFuture(e)))
        .map(response -> {
          OperationView graphOp = OperationView.fromGraph(response, null);
          Operation started = operation.withGraphOperation(graphOp.id());
          return new Started(with.with(started), started, graphOp);
        });
  }

  /** Cancels the call's running and queued plays and recordings. */
  Future<Void> cancelMediaProcessing(CallState call, String clientContext) {
    return post(call, "cancelMediaProcessing", new JsonObject().put("clientContext", clientContext)).mapEmpty();
  }

  private Future<JsonObject> post(CallState call, String action, JsonObject body) {
    return context.graph(call.tenantId()).post("/communications/calls/" + call.callId() + "/" + action, body)
        .map(response -> response.body());
  }
}
