package dev.switchboard.calling;

import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.calls.CallsClient;
import dev.switchboard.api.calls.Target;
import dev.switchboard.api.calls.Tone;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** The bot of docs/calling.md, kept here so that the documented code compiles. Keep the two in step. */
public class DocsExampleBot implements Plugin {

  private static final Target OPERATOR = Target.user("6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e03");

  @Override
  public Future<Void> start(PluginContext context) {
    CallsClient calls = CallsClient.of(context);
    // Claim every incoming call by answering it, and ask for its key presses.
    context.<JsonObject>consumer(CallEvent.Incoming.TOPIC, message -> {
      CallEvent.Incoming incoming = CallEvent.fromJson(message.body(), CallEvent.Incoming.class);
      calls.send(CallCommand.Answer.of(incoming.callId(), context.name(), true))
          .onFailure(e -> context.logger().log(System.Logger.Level.WARNING, "answer failed: " + e.getMessage()));
    });
    // Press 0 to be transferred to the operator; anything else hangs up.
    context.<JsonObject>consumer(CallEvent.ToneReceived.TOPIC, message -> {
      CallEvent.ToneReceived pressed = CallEvent.fromJson(message.body(), CallEvent.ToneReceived.class);
      if (pressed.tone() == Tone.TONE0) {
        calls.send(new CallCommand.Transfer(pressed.callId(), OPERATOR, null, null));
      } else {
        calls.hangUp(pressed.callId());
      }
    });
    context.<JsonObject>consumer(CallEvent.Terminated.TOPIC, message -> {
      CallEvent.Terminated ended = CallEvent.fromJson(message.body(), CallEvent.Terminated.class);
      context.logger().log(System.Logger.Level.INFO, "call " + ended.callId() + " ended: " + ended.reason());
    });
    return Future.succeededFuture();
  }
}
