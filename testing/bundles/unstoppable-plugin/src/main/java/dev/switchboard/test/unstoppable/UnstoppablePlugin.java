package dev.switchboard.test.unstoppable;

import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/** Test plugin that misbehaves: answers {@code test.unstoppable}, and its {@code stop} never completes. */
public class UnstoppablePlugin implements Plugin {

  @Override
  public Future<Void> start(PluginContext context) {
    context.consumer("test.unstoppable", message -> message.reply("still here"));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    return Promise.<Void>promise().future(); // never completed, as designed
  }
}
