package com.example.hello;

import dev.switchboard.api.CallCommands;
import dev.switchboard.api.CallEvents;
import dev.switchboard.api.MediaCommands;
import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.System.Logger.Level;

/** Answers every incoming call and greets the caller. */
public class HelloBot implements Plugin {

  @Override
  public Future<Void> start(PluginContext context) {
    // A call arrives: claim it by answering.
    context.<JsonObject>consumer(CallEvents.INCOMING, event -> {
      String callId = event.body().getString("callId");
      context.eventBus().request(CallCommands.ADDRESS, new JsonObject()
              .put(CallCommands.COMMAND, CallCommands.ANSWER)
              .put(CallCommands.CALL_ID, callId)
              .put("by", context.name()))
          .onFailure(e -> context.logger().log(Level.WARNING, "answer failed: "
              + SwitchboardException.from(e).getMessage()));
    });
    // The call is connected: play the greeting.
    context.<JsonObject>consumer(CallEvents.ESTABLISHED, event -> {
      if (!context.name().equals(event.body().getJsonObject("call").getString("claimedBy"))) {
        return; // another bot's call
      }
      context.eventBus().request(MediaCommands.ADDRESS, new JsonObject()
              .put(MediaCommands.COMMAND, MediaCommands.PLAY)
              .put(MediaCommands.CALL_ID, event.body().getString("callId"))
              .put("prompts", new JsonArray().add(new JsonObject().put("text", "Hello from hello-bot!"))))
          .onFailure(e -> context.logger().log(Level.WARNING, "greeting failed: "
              + SwitchboardException.from(e).getMessage()));
    });
    return Future.succeededFuture();
  }
}
