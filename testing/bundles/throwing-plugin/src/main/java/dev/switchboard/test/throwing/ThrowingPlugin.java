package dev.switchboard.test.throwing;

import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import io.vertx.core.Future;

/** Test plugin that misbehaves: every message on {@code test.throwing} makes its handler throw. */
public class ThrowingPlugin implements Plugin {

  @Override
  public Future<Void> start(PluginContext context) {
    context.consumer("test.throwing", message -> {
      throw new IllegalStateException("the throwing test plugin throws on every message, as designed");
    });
    return Future.succeededFuture();
  }
}
