package dev.switchboard.test.failing;

import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Test plugin that cannot start. {@code plugins.failing.mode} chooses how: {@code throw} (default) throws
 * from start, {@code fail} returns a failed future, {@code hang} never completes.
 */
public class FailingPlugin implements Plugin {

  @Override
  public Future<Void> start(PluginContext context) {
    context.consumer("test.failing", message -> message.reply("should never answer"));
    String mode = context.config().getString("mode", "throw");
    switch (mode) {
      case "fail":
        return Future.failedFuture("refusing to start: plugins.failing.mode is 'fail'");
      case "hang":
        return Promise.<Void>promise().future();
      default:
        throw new IllegalStateException("database password missing: set plugins.failing.password");
    }
  }
}
