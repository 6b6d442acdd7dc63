package dev.switchboard.platform.subscriptions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.ChangeHandler;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A notification whose handler fails is not lost: it is handed over again (the ones after it wait, in order), and
 * its journal entry is forgotten only once a handler succeeded; after {@link Channel#ATTEMPTS} failures it stays in
 * the journal (for the next start) and the next notifications go on.
 */
class ChannelRetryTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<String> handledKeys = new CopyOnWriteArrayList<>();
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Fails each resource as often as {@code failures} says (forever for -1), then succeeds. */
  private ChangeHandler failing(Map<String, Integer> failures) {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    return notification -> {
      String resource = notification.getString("resource");
      seen.add(resource);
      int call = calls.computeIfAbsent(resource, r -> new AtomicInteger()).incrementAndGet();
      int fails = failures.getOrDefault(resource, 0);
      return fails < 0 || call <= fails ? Future.failedFuture(new IllegalStateException("state store full"))
          : Future.succeededFuture();
    };
  }

  private void offer(ChangeHandler handler, String... resources) throws Exception {
    Context manager = vertx.getOrCreateContext();
    CompletableFuture<Void> done = new CompletableFuture<>();
    manager.runOnContext(v -> {
      Channel channel = new Channel(10);
      channel.whenHandled(key -> handledKeys.add(String.valueOf(key)));
      channel.attach(new Object(), handler, manager, manager);
      for (String resource : resources) {
        channel.offer(new JsonObject().put("resource", resource), "key-" + resource, manager);
      }
      done.complete(null);
    });
    done.get(10, TimeUnit.SECONDS);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void aFailedHandlerGetsTheNotificationAgainAndItsJournalEntryStaysUntilItSucceeds() throws Exception {
    offer(failing(Map.of("first", 2)), "first", "second");
    await("both handled", () -> handledKeys.size() == 2);
    assertEquals(List.of("first", "first", "first", "second"), seen, "retried before the next one, in order");
    assertEquals(List.of("key-first", "key-second"), handledKeys);
  }

  @Test
  void aNotificationThatKeepsFailingStaysInTheJournalAndTheNextOnesGoOn() throws Exception {
    offer(failing(Map.of("poison", -1)), "poison", "next");
    await("the next one handled", () -> handledKeys.contains("key-next"));
    assertEquals(Channel.ATTEMPTS, seen.stream().filter("poison"::equals).count());
    assertEquals(List.of("key-next"), handledKeys, "the failing one is not forgotten: it stays in the journal");
  }
}
