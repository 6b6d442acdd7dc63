package com.example.hello;

import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.calls.CallsClient;
import dev.switchboard.api.media.MediaClient;
import dev.switchboard.api.media.MediaCommand;
import dev.switchboard.api.media.PromptRef;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.lang.System.Logger.Level;

/** Answers every incoming call and greets the caller. */
public class HelloBot implements Plugin {

  /** Where the bot follows calls: each call's events arrive here, once, in order, keyed by the call id. */
  static final String CALLS = "hello-bot.calls";

  private PluginContext context;
  private CallsClient calls;
  private MediaClient media;

  @Override
  public Future<Void> start(PluginContext context) {
    this.context = context;
    calls = CallsClient.of(context);
    media = MediaClient.of(context);
    context.keyedConsumer(CALLS, this::handle);
    context.follow(CallEvent.Incoming.TOPIC, CALLS);
    context.follow(CallEvent.Established.TOPIC, CALLS);
    context.follow(CallEvent.Terminated.TOPIC, CALLS);
    return Future.succeededFuture();
  }

  private Future<JsonObject> handle(KeyedMessage message) {
    if (message instanceof KeyedMessage.Event event) {
      CallEvent call = CallEvent.fromJson(event.body());
      if (call instanceof CallEvent.Incoming) {
        // A call arrives: claim it by answering.
        calls.send(CallCommand.Answer.of(call.callId(), context.name(), false))
            .onFailure(e -> context.logger().log(Level.WARNING, "answer failed: " + e.getMessage()));
      } else if (call instanceof CallEvent.Established && context.name().equals(call.call().claimedBy())) {
        // Our call is connected: say the greeting.
        media.play(MediaCommand.Play.of(call.callId(), PromptRef.text("Hello from hello-bot!")))
            .onFailure(e -> context.logger().log(Level.WARNING, "greeting failed: " + e.getMessage()));
      } else {
        // Another bot's call, or the call ended: nothing more to follow.
        context.releaseKey(CALLS, call.callId());
      }
    }
    return Future.succeededFuture();
  }
}
