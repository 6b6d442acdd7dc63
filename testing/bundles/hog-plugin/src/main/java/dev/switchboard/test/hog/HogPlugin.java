package dev.switchboard.test.hog;

import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Test plugin that misbehaves: every message on {@code test.hog} makes it keep {@code mib} more MiB (default 1) for
 * as long as it runs, and it answers with how much it holds.
 */
public class HogPlugin implements Plugin {

  private final List<byte[]> kept = new ArrayList<>();

  @Override
  public Future<Void> start(PluginContext context) {
    context.consumer("test.hog", message -> {
      int mib = message.body() instanceof JsonObject o ? o.getInteger("mib", 1) : 1;
      for (int i = 0; i < mib; i++) {
        byte[] block = new byte[1024 * 1024];
        block[i % block.length] = 1;
        kept.add(block);
      }
      message.reply(new JsonObject().put("heldMiB", kept.size()));
    });
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    kept.clear();
    return Future.succeededFuture();
  }
}
