package dev.switchboard.platform.subscriptions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.ChangeHandler;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Notifications still being checked (decrypted on workers, in any order) keep their place: the plugin gets them in
 * arrival order, and a refused one is skipped without holding the others up.
 */
class ChannelOrderTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static JsonObject n(String name) {
    return new JsonObject().put("resource", name);
  }

  @Test
  void placesAreKeptWhileNotificationsAreCheckedAndRefusedOnesAreSkipped() throws Exception {
    Context manager = vertx.getOrCreateContext();
    List<String> handled = new CopyOnWriteArrayList<>();
    ChangeHandler handler = new ChangeHandler() {
      @Override
      public Future<Void> changed(JsonObject notification) {
        handled.add(notification.getString("resource"));
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> resync(String reason) {
        handled.add("resync:" + reason);
        return Future.succeededFuture();
      }
    };
    CompletableFuture<Void> done = new CompletableFuture<>();
    manager.runOnContext(v -> {
      Channel channel = new Channel();
      channel.attach(new Object(), handler, manager, manager);
      Channel.Item first = channel.reserve(manager);
      Channel.Item refused = channel.reserve(manager);
      channel.offer(n("plain"), null, manager);
      Channel.Item third = channel.reserve(manager);
      channel.fill(third, n("third"), null, manager);
      channel.fill(first, n("first"), null, manager);
      channel.cancel(refused, manager);
      channel.resync("missed", manager);
      done.complete(null);
    });
    done.get(10, TimeUnit.SECONDS);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (handled.size() < 4 && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertEquals(List.of("first", "plain", "third", "resync:missed"), handled);
  }
}
