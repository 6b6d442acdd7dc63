package dev.switchboard.platform.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.vertx.OwnContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router's side of a cluster member's lease lapse (docs/cluster.md, "Fencing"): a key whose member may not act
 * but holds its claim keeps its queue and its timers, and gives them to its handler in order once resumed, or back,
 * in order and without its timers, when its claim was lost; a key it holds no claim on fails at once.
 */
class HeldKeysTest {

  private static final String ADDRESS = "test.held";

  private Vertx vertx;
  private KeyRouter router;
  private final Lease lease = new Lease();
  private final BlockingQueue<KeyedMessage> received = new LinkedBlockingQueue<>();

  /** Where keys live, as a cluster member with a lease that the test lets lapse sees it; a key routed is claimed. */
  private static final class Lease implements KeyPlacement {
    volatile boolean valid = true;
    final Set<String> claimed = ConcurrentHashMap.newKeySet();

    @Override
    public Routed route(KeyedMessage message, Function<KeyedMessage, Future<JsonObject>> here) {
      if (valid) {
        claimed.add(message.key());
      }
      return new Routed(Future.succeededFuture(), here.apply(message));
    }

    @Override
    public boolean mayAct(String key) {
      return valid && claimed.contains(key);
    }

    @Override
    public boolean holds(String key) {
      return claimed.contains(key);
    }

    @Override
    public void released(String key) {
      claimed.remove(key);
    }
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    router = new KeyRouter(vertx, Duration.ofSeconds(5));
    get(router.start());
    router.placeWith(lease);
    router.register(ADDRESS, "p", "1", 1, get(OwnContext.create(vertx)), message -> {
      received.add(message);
      return Future.succeededFuture(new JsonObject().put("handled", message.key()));
    });
  }

  @AfterEach
  void stop() throws Exception {
    get(vertx.close());
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Future<JsonObject> send(int seq) {
    return router.sendCommand(ADDRESS, "k", "sender", new JsonObject().put("seq", seq));
  }

  private void awaitQueued(int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (router.queued().getOrDefault(ADDRESS, 0) != count) {
      assertTrue(System.nanoTime() < deadline, "expected " + count + " queued, have " + router.queued());
      Thread.sleep(10);
    }
  }

  private <T> T onRouting(Supplier<T> action) throws Exception {
    Promise<T> result = Promise.promise();
    router.context().runOnContext(v -> result.complete(action.get()));
    return get(result.future());
  }

  /** Claims key k and lets the lease lapse with two commands and a due timer queued for it. */
  private List<Future<JsonObject>> lapseWithWorkQueued() throws Exception {
    get(send(0));
    assertEquals(0, ((KeyedMessage.Command) received.take()).body().getInteger("seq"));
    lease.valid = false;
    List<Future<JsonObject>> replies = List.of(send(1), send(2));
    awaitQueued(2);
    router.setTimer(ADDRESS, "k", "tick", Duration.ZERO, new JsonObject());
    awaitQueued(3); // the timer came due while held: queued behind the commands, not handled
    return replies;
  }

  @Test
  void aLapsedMemberHoldsItsKeysQueueAndTimersAndGoesOnInOrderOnceResumed() throws Exception {
    List<Future<JsonObject>> replies = lapseWithWorkQueued();
    Future<JsonObject> later = send(3);
    awaitQueued(4);
    assertTrue(received.isEmpty(), "nothing is handed to a handler while the lease is lapsed: " + received);
    assertFalse(replies.get(0).isComplete());

    lease.valid = true;
    onRouting(() -> {
      router.resume("k");
      return null;
    });
    assertEquals(1, ((KeyedMessage.Command) received.poll(10, TimeUnit.SECONDS)).body().getInteger("seq"));
    assertEquals(2, ((KeyedMessage.Command) received.poll(10, TimeUnit.SECONDS)).body().getInteger("seq"));
    assertEquals("tick", assertInstanceOf(KeyedMessage.Timer.class, received.poll(10, TimeUnit.SECONDS)).name());
    assertEquals(3, ((KeyedMessage.Command) received.poll(10, TimeUnit.SECONDS)).body().getInteger("seq"));
    for (Future<JsonObject> reply : List.of(replies.get(0), replies.get(1), later)) {
      assertEquals("k", get(reply).getString("handled"));
    }
    assertTrue(received.isEmpty(), "each message once: " + received);
  }

  @Test
  void aKeyWhoseClaimWasLostGivesItsHeldMessagesBackInOrderWithoutItsTimers() throws Exception {
    List<Future<JsonObject>> replies = lapseWithWorkQueued();
    router.setTimer(ADDRESS, "k", "later", Duration.ofHours(1), new JsonObject());

    List<KeyRouter.TakenBack> taken = onRouting(() -> router.takeBack("k"));
    assertEquals(2, taken.size(), "the two commands; the due timer stays for the key's new owner");
    assertEquals(1, ((KeyedMessage.Command) taken.get(0).message()).body().getInteger("seq"));
    assertEquals(2, ((KeyedMessage.Command) taken.get(1).message()).body().getInteger("seq"));
    assertEquals(0, router.queued().get(ADDRESS));
    assertEquals(0, get(router.liveKeyCount()), "nothing of the key is left here, its timers included");
    assertFalse(lease.claimed.contains("k"), "the key was released here");

    // Each outcome still reaches its sender (ClusterKeys routes the message again and completes it from there).
    taken.get(0).outcome().handle(Future.succeededFuture(new JsonObject().put("handled", "elsewhere")));
    assertEquals("elsewhere", get(replies.get(0)).getString("handled"));
    assertFalse(replies.get(1).isComplete());
    assertTrue(received.isEmpty(), "nothing was handed to a handler here: " + received);
  }

  @Test
  void aMessageForAKeyTheFencedMemberHasNoClaimOnFailsAtOnce() throws Exception {
    lease.valid = false;
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> get(router.sendCommand(ADDRESS, "other", "sender", new JsonObject())));
    assertEquals("notOwner", SwitchboardException.from(e.getCause()).errorId());
    assertTrue(received.isEmpty());
  }
}
