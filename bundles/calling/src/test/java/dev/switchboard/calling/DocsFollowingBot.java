package dev.switchboard.calling;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.calls.CallsClient;
import io.vertx.core.Future;

/** The following bot of docs/calling.md, kept here so that the documented code compiles. Keep the two in step. */
public class DocsFollowingBot implements Plugin {

  private static final String CALLS = "my-bot.calls";

  @Override
  public Future<Void> start(PluginContext context) {
    CallsClient calls = CallsClient.of(context);
    // Each call's events arrive once, in order, on this plugin's own keyed address (key: the call id).
    context.keyedConsumer(CALLS, message -> {
      if (!(message instanceof KeyedMessage.Event event)) {
        return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "my-bot takes call events only"));
      }
      CallEvent callEvent = CallEvent.fromJson(event.body());
      if (callEvent instanceof CallEvent.Incoming incoming) {
        return calls.send(CallCommand.Answer.of(incoming.callId(), context.name(), false)).mapEmpty();
      }
      if (callEvent instanceof CallEvent.Terminated) {
        context.releaseKey(CALLS, callEvent.callId());
      }
      return Future.succeededFuture();
    });
    context.follow(CallEvent.Incoming.TOPIC, CALLS);
    context.follow(CallEvent.Terminated.TOPIC, CALLS);
    return Future.succeededFuture();
  }
}
