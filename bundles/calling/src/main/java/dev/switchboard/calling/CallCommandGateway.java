package dev.switchboard.calling;

import dev.switchboard.api.CallNotifications;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallView;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;

/**
 * Where every command enters, from the bus or from REST: reads it with the contract ({@link CallCommand#fromJson},
 * 400 for anything else), places new calls and lists calls itself, and sends a command on a call to the call's owner
 * (whichever version owns it) on the keyed address, so that it runs in order with the call's notifications.
 */
final class CallCommandGateway {

  private final PluginContext context;
  private final CallStore store;
  private final CallPlacer placer;

  CallCommandGateway(PluginContext context, CallStore store, CallPlacer placer) {
    this.context = context;
    this.store = store;
    this.placer = placer;
  }

  /** Runs a command given in the contract's JSON; its reply, or a failure with a {@link SwitchboardException}. */
  Future<JsonObject> execute(JsonObject command) {
    try {
      return execute(CallCommand.fromJson(command));
    } catch (SwitchboardException e) {
      return Future.failedFuture(e);
    }
  }

  Future<JsonObject> execute(CallCommand<?> command) {
    try {
      if (command instanceof CallCommand.Create create) {
        return placer.place(create);
      }
      if (command instanceof CallCommand.ListCalls list) {
        return list(list);
      }
      CallCommand.OnCall<?> onCall = (CallCommand.OnCall<?>) command;
      return context.sendToKey(CallNotifications.ADDRESS, onCall.callId(), onCall.toJson())
          .recover(e -> Future.failedFuture(SwitchboardException.from(e)));
    } catch (SwitchboardException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<JsonObject> list(CallCommand.ListCalls command) {
    return store.all().map(calls -> {
      List<CallView> views = calls.stream().map(Call::view)
          .filter(v -> command.state() == null || command.state() == v.state())
          .sorted(Comparator.comparing(v -> v.createdAt() == null ? "" : v.createdAt().toString()))
          .toList();
      return command.replyToJson(views);
    });
  }
}
