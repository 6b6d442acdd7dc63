package dev.switchboard.test.blocking;

import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Test plugin that misbehaves: on {@code test.blocking} it sleeps on its event loop for {@code ms} milliseconds
 * (default 3000) before it answers, holding every other handler of that loop.
 */
public class BlockingPlugin implements Plugin {

  @Override
  public Future<Void> start(PluginContext context) {
    context.consumer("test.blocking", message -> {
      long ms = message.body() instanceof JsonObject o ? o.getLong("ms", 3000L) : 3000L;
      try {
        Thread.sleep(ms); // deliberately on the event loop
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      message.reply(new JsonObject().put("sleptMs", ms));
    });
    return Future.succeededFuture();
  }
}
