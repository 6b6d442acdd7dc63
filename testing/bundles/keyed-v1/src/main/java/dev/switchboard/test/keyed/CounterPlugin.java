package dev.switchboard.test.keyed;

import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.StateStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Test plugin for keyed routing: counts the messages of each key in the state store and answers with its
 * version, the message's sequence number and the count, so that a test can tell which version handled each
 * message and that none was lost, repeated or reordered across versions. A message with {@code "last": true}
 * releases the key. {@code plugins.counter.delayMs} holds each message a little; {@code failVersion} makes that
 * version refuse to start.
 */
public class CounterPlugin implements Plugin {

  public static final String ADDRESS = "test.counter";

  private PluginContext context;

  @Override
  public Future<Void> start(PluginContext context) {
    this.context = context;
    if (context.version().equals(context.config().getString("failVersion"))) {
      throw new IllegalStateException("version " + context.version() + " is configured to fail (failVersion)");
    }
    long delay = context.config().getLong("delayMs", 0L);
    context.keyedConsumer(ADDRESS, message -> delay <= 0 ? count(message)
        : context.vertx().timer(delay).compose(x -> count(message)));
    return Future.succeededFuture();
  }

  private Future<JsonObject> count(KeyedMessage message) {
    StateStore store = context.state();
    String key = message.key();
    return store.get(key).compose(previous -> {
      JsonObject state = previous == null ? new JsonObject().put("count", 0) : previous;
      int count = state.getInteger("count") + 1;
      state.put("count", count).put("lastVersion", context.version());
      return store.put(key, state).map(v -> {
        if (message.body().getBoolean("last", false)) {
          context.releaseKey(ADDRESS, key);
        }
        return new JsonObject().put("version", context.version()).put("count", count)
            .put("seq", message.body().getInteger("seq"));
      });
    });
  }
}
