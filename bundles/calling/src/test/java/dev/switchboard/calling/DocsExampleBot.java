package dev.switchboard.calling;

import dev.switchboard.api.CallCommands;
import dev.switchboard.api.CallEvents;
import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** The bot of docs/calling.md, kept here so that the documented code compiles. Keep the two in step. */
public class DocsExampleBot implements Plugin {

  @Override
  public Future<Void> start(PluginContext context) {
    // Claim every incoming call by answering it, and ask for its key presses.
    context.<JsonObject>consumer(CallEvents.INCOMING, event -> {
      String callId = event.body().getString("callId");
      context.eventBus().<JsonObject>request(CallCommands.ADDRESS, new JsonObject()
              .put(CallCommands.COMMAND, CallCommands.ANSWER)
              .put(CallCommands.CALL_ID, callId)
              .put("by", context.name())
              .put("subscribeToTones", true))
          .onFailure(e -> context.logger().log(System.Logger.Level.WARNING,
              "answer failed: " + SwitchboardException.from(e).getMessage()));
    });
    // Press 0 to be transferred to the operator; anything else hangs up.
    context.<JsonObject>consumer(CallEvents.TONE_RECEIVED, event -> {
      JsonObject command = new JsonObject().put(CallCommands.CALL_ID, event.body().getString("callId"));
      if (event.body().getString("tone").equals("tone0")) {
        command.put(CallCommands.COMMAND, CallCommands.TRANSFER)
            .put("target", new JsonObject().put("user", "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e03"));
      } else {
        command.put(CallCommands.COMMAND, CallCommands.HANG_UP);
      }
      context.eventBus().request(CallCommands.ADDRESS, command);
    });
    context.<JsonObject>consumer(CallEvents.TERMINATED, event -> context.logger().log(System.Logger.Level.INFO,
        "call " + event.body().getString("callId") + " ended: " + event.body().getString("reason")));
    return Future.succeededFuture();
  }
}
