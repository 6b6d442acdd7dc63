package dev.switchboard.test.keyed;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.StateStore;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Test plugin for keyed routing: counts the commands of each key in the state store and answers with its
 * version, the message's sequence number and the count, so that a test can tell which version handled each
 * message and that none was lost, repeated or reordered across versions. A command with {@code "last": true}
 * releases the key; {@code "timerMs": n} arms the key timer {@code "t"}; {@code "publish": topic} publishes the
 * command's body for the key on that topic. Timers and followed events are reported on the local addresses
 * {@code test.counter.timers} and {@code test.counter.events} with the version that received them.
 *
 * <p>Configuration ({@code plugins.counter}): {@code delayMs} holds each message a little; {@code failVersion}
 * makes that version refuse to start; {@code follow} names a topic to follow into {@link #ADDRESS}.
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
    context.keyedConsumer(ADDRESS, message -> delay <= 0 ? handle(message)
        : context.vertx().timer(delay).compose(x -> handle(message)));
    String follow = context.config().getString("follow");
    if (follow != null) {
      context.follow(follow, ADDRESS);
    }
    return Future.succeededFuture();
  }

  private Future<JsonObject> handle(KeyedMessage message) {
    if (message instanceof KeyedMessage.Command command) {
      return command(command);
    }
    if (message instanceof KeyedMessage.Timer timer) {
      context.eventBus().publish("test.counter.timers", new JsonObject().put("key", timer.key())
          .put("name", timer.name()).put("version", context.version()).put("payload", timer.payload()));
      return Future.succeededFuture();
    }
    if (message instanceof KeyedMessage.Event event) {
      context.eventBus().publish("test.counter.events", new JsonObject().put("key", event.key())
          .put("topic", event.topic()).put("publisher", event.publisher()).put("version", context.version())
          .put("body", event.body()));
      return Future.succeededFuture();
    }
    return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "unexpectedMessage",
        "the counter takes commands, timers and events, not " + message.getClass().getSimpleName()));
  }

  private Future<JsonObject> command(KeyedMessage.Command command) {
    JsonObject body = command.body();
    String key = command.key();
    if (body.getValue("timerMs") instanceof Number ms) {
      context.keyTimer(ADDRESS, key, "t", Duration.ofMillis(ms.longValue()),
          new JsonObject().put("armedBy", context.version()));
    }
    if (body.getString("publish") != null) {
      context.publishKeyed(body.getString("publish"), key, body);
    }
    StateStore store = context.state();
    return store.get(key).compose(previous -> {
      JsonObject state = previous == null ? new JsonObject().put("count", 0) : previous;
      int count = state.getInteger("count") + 1;
      state.put("count", count).put("lastVersion", context.version());
      return store.put(key, state).map(v -> {
        if (body.getBoolean("last", false)) {
          context.releaseKey(ADDRESS, key);
        }
        return new JsonObject().put("version", context.version()).put("count", count)
            .put("seq", body.getInteger("seq")).put("sender", command.sender());
      });
    });
  }
}
