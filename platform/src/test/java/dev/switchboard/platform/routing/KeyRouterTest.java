package dev.switchboard.platform.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.KeyedHandler;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.platform.vertx.OwnContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The keyed router alone, without sockets or bundles: ordering, hand-over, key timers, followers, message kinds. */
class KeyRouterTest {

  private static final String ADDRESS = "test.keys";

  private Vertx vertx;
  private KeyRouter router;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    router = new KeyRouter(vertx, Duration.ofSeconds(5));
    get(router.start());
  }

  @AfterEach
  void stop() throws Exception {
    get(vertx.close());
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A plugin instance that records what it receives; each message is held {@code holdMs}. */
  private final class Recorder implements KeyedHandler {
    final String version;
    final BlockingQueue<KeyedMessage> received = new LinkedBlockingQueue<>();
    final AtomicInteger concurrent = new AtomicInteger();
    volatile int maxConcurrentPerKey;
    final long holdMs;

    Recorder(String version, long holdMs) {
      this.version = version;
      this.holdMs = holdMs;
    }

    @Override
    public Future<JsonObject> handle(KeyedMessage message) {
      maxConcurrentPerKey = Math.max(maxConcurrentPerKey, concurrent.incrementAndGet());
      received.add(message);
      Future<Void> held = holdMs == 0 ? Future.succeededFuture() : vertx.timer(holdMs).mapEmpty();
      return held.map(v -> {
        concurrent.decrementAndGet();
        return new JsonObject().put("version", version);
      });
    }

    KeyedMessage next() throws InterruptedException {
      return received.poll(5, TimeUnit.SECONDS);
    }
  }

  private Member register(String plugin, Recorder recorder) throws Exception {
    return router.register(ADDRESS, plugin, recorder.version, 1, get(OwnContext.create(vertx)), recorder);
  }

  @Test
  void messagesOfOneKeyArriveInOrderOneAtATime() throws Exception {
    Recorder v1 = new Recorder("1", 2);
    register("p", v1);
    List<Future<JsonObject>> replies = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      replies.add(router.sendCommand(ADDRESS, "k", "sender", new JsonObject().put("seq", i)));
    }
    get(Future.all(replies));
    for (int i = 0; i < 50; i++) {
      KeyedMessage.Command c = assertInstanceOf(KeyedMessage.Command.class, v1.next());
      assertEquals(i, c.body().getInteger("seq"));
      assertEquals("sender", c.sender());
    }
    assertEquals(1, v1.maxConcurrentPerKey);
  }

  @Test
  void aBusMessageIsACommandWithoutASenderWhateverItsBodySays() throws Exception {
    Recorder v1 = new Recorder("1", 0);
    register("p", v1);
    get(router.owners(ADDRESS)); // the router has registered on the bus once its context has run this
    JsonObject forged = new JsonObject().put("notification", new JsonObject().put("changeType", "deleted"));
    get(vertx.eventBus().request(ADDRESS, forged, new DeliveryOptions().addHeader(KeyedMessage.KEY_HEADER, "k")));
    KeyedMessage.Command c = assertInstanceOf(KeyedMessage.Command.class, v1.next());
    assertNull(c.sender());

    get(router.deliverNotification(new KeyedMessage.Notification(ADDRESS, "k", "tenant", Instant.now(), forged)));
    assertInstanceOf(KeyedMessage.Notification.class, v1.next());
  }

  @Test
  void aNewKeyGoesToTheNewestVersionAndOldKeysStayDuringADrain() throws Exception {
    Recorder v1 = new Recorder("1", 0);
    Member m1 = register("p", v1);
    get(router.sendCommand(ADDRESS, "old", "s", new JsonObject()));
    Recorder v2 = new Recorder("2", 0);
    register("p", v2);
    Future<Void> drained = router.drain(List.of(m1), Duration.ofSeconds(30));
    assertEquals("1", get(router.sendCommand(ADDRESS, "old", "s", new JsonObject())).getString("version"));
    assertEquals("2", get(router.sendCommand(ADDRESS, "new", "s", new JsonObject())).getString("version"));
    assertTrue(!drained.isComplete());
    router.release(ADDRESS, "old", "p");
    get(drained);
    assertEquals("2", get(router.sendCommand(ADDRESS, "old", "s", new JsonObject())).getString("version"));
  }

  @Test
  void aKeyTimerFiresOnceOnWhicheverVersionOwnsTheKeyThen() throws Exception {
    Recorder v1 = new Recorder("1", 0);
    Member m1 = register("p", v1);
    get(router.sendCommand(ADDRESS, "k", "s", new JsonObject()));
    v1.next();
    router.setTimer(ADDRESS, "k", "t", Duration.ofMillis(300), new JsonObject().put("n", 1));
    Recorder v2 = new Recorder("2", 0);
    register("p", v2);
    get(router.takeover(List.of(m1)));

    KeyedMessage.Timer timer = assertInstanceOf(KeyedMessage.Timer.class, v2.next());
    assertEquals("t", timer.name());
    assertEquals(1, timer.payload().getInteger("n"));
    assertNull(v2.received.poll(500, TimeUnit.MILLISECONDS), "fired once");
    assertNull(v1.received.poll(10, TimeUnit.MILLISECONDS), "not on the old version");
  }

  @Test
  void aTakeoverHandsAKeyBetweenMessagesToTheNewVersionWithoutReleasingIt() throws Exception {
    // In a cluster, releasing a key gives up this member's claim on it: its next message could go to another member.
    List<String> released = new CopyOnWriteArrayList<>();
    router.placeWith(new KeyPlacement() {
      @Override
      public Routed route(KeyedMessage message, java.util.function.Function<KeyedMessage, Future<JsonObject>> here) {
        return new Routed(Future.succeededFuture(), here.apply(message));
      }

      @Override
      public boolean mayAct(String key) {
        return true;
      }

      @Override
      public boolean holds(String key) {
        return false;
      }

      @Override
      public void released(String key) {
        released.add(key);
      }
    });
    Recorder v1 = new Recorder("1", 0);
    Member m1 = register("p", v1);
    assertEquals("1", get(router.sendCommand(ADDRESS, "call", "s", new JsonObject())).getString("version"));
    register("p", new Recorder("2", 0));
    get(router.takeover(List.of(m1)));

    assertEquals("p@2", get(router.owners(ADDRESS)).get("call"), "the key is live, owned by the new version");
    assertEquals(List.of(), released, "a key handed over is not released");
    assertEquals("2", get(router.sendCommand(ADDRESS, "call", "s", new JsonObject())).getString("version"));
    router.release(ADDRESS, "call", "p");
    get(router.owners(ADDRESS)); // runs after the release on the router's context
    assertEquals(List.of("call"), released, "released when its owner releases it");
  }

  @Test
  void reArmingReplacesATimerAndReleasingTheKeyCancelsIt() throws Exception {
    Recorder v1 = new Recorder("1", 0);
    register("p", v1);
    get(router.sendCommand(ADDRESS, "k", "s", new JsonObject()));
    v1.next();
    router.setTimer(ADDRESS, "k", "t", Duration.ofMillis(200), new JsonObject().put("n", 1));
    router.setTimer(ADDRESS, "k", "t", Duration.ofMillis(250), new JsonObject().put("n", 2));
    KeyedMessage.Timer timer = assertInstanceOf(KeyedMessage.Timer.class, v1.next());
    assertEquals(2, timer.payload().getInteger("n"));
    assertNull(v1.received.poll(400, TimeUnit.MILLISECONDS), "the replaced timer does not fire");

    router.setTimer(ADDRESS, "k", "t", Duration.ofMillis(200), new JsonObject());
    router.release(ADDRESS, "k", "p");
    router.setTimer(ADDRESS, "other", "t", Duration.ofMillis(100), new JsonObject());
    router.cancelTimer(ADDRESS, "other", "t");
    assertNull(v1.received.poll(500, TimeUnit.MILLISECONDS), "released and cancelled timers do not fire");
    assertEquals(java.util.Map.of(), get(router.owners(ADDRESS)), "nothing is left of the keys");
  }

  @Test
  void aFollowerGetsEachEventOnceInOrderWhateverTheNumberOfItsVersions() throws Exception {
    Recorder v1 = new Recorder("1", 1);
    Recorder v2 = new Recorder("2", 1);
    Member m1 = register("follower", v1);
    get(router.sendCommand(ADDRESS, "a", "s", new JsonObject()));
    v1.next();
    register("follower", v2);
    router.drain(List.of(m1), Duration.ofSeconds(30)); // "a" stays with v1, new keys go to v2
    router.follow("topic", "follower", ADDRESS);
    router.follow("topic", "follower", ADDRESS); // the second version follows too
    List<JsonObject> plain = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer("topic", m -> plain.add(m.body()));

    Context publisher = get(OwnContext.create(vertx));
    publisher.runOnContext(x -> {
      for (int i = 0; i < 30; i++) {
        router.publish("topic", i % 2 == 0 ? "a" : "b", "pub", new JsonObject().put("seq", i));
      }
    });
    for (int i = 0; i < 30; i += 2) {
      KeyedMessage.Event e = assertInstanceOf(KeyedMessage.Event.class, v1.next());
      assertEquals("a", e.key());
      assertEquals(i, e.body().getInteger("seq"));
      assertEquals("pub", e.publisher());
    }
    for (int i = 1; i < 30; i += 2) {
      KeyedMessage.Event e = assertInstanceOf(KeyedMessage.Event.class, v2.next());
      assertEquals("b", e.key());
      assertEquals(i, e.body().getInteger("seq"));
    }
    assertNull(v1.received.poll(200, TimeUnit.MILLISECONDS));
    assertNull(v2.received.poll(10, TimeUnit.MILLISECONDS));

    router.unfollow("topic", "follower", ADDRESS);
    router.publish("topic", "b", "pub", new JsonObject().put("seq", 99));
    assertEquals(99, assertInstanceOf(KeyedMessage.Event.class, v2.next()).body().getInteger("seq"),
        "still followed while one version follows");
    router.unfollow("topic", "follower", ADDRESS);
    router.publish("topic", "b", "pub", new JsonObject().put("seq", 100));
    assertNull(v2.received.poll(300, TimeUnit.MILLISECONDS), "no longer followed");
    assertEquals(32, plain.size(), "plain consumers get every publication");
  }

  @Test
  void aMessageWaitsForAnOwnerWhileThereIsNone() throws Exception {
    Future<JsonObject> reply = router.sendCommand(ADDRESS, "k", "s", new JsonObject());
    Thread.sleep(100);
    assertTrue(!reply.isComplete());
    Recorder v1 = new Recorder("1", 0);
    register("p", v1);
    assertEquals("1", get(reply).getString("version"));
  }

  @Test
  void aThrowingOrNullReturningHandlerFailsTheMessageNotTheKey() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    router.register(ADDRESS, "p", "1", 1, get(OwnContext.create(vertx)), message -> {
      int n = calls.incrementAndGet();
      if (n == 1) {
        throw new IllegalStateException("boom");
      }
      return n == 2 ? null : Future.succeededFuture(new JsonObject().put("n", n));
    });
    assertTrue(router.sendCommand(ADDRESS, "k", "s", new JsonObject()).transform(ar -> Future.succeededFuture(ar.failed()))
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertTrue(router.sendCommand(ADDRESS, "k", "s", new JsonObject()).transform(ar -> Future.succeededFuture(ar.failed()))
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertEquals(3, get(router.sendCommand(ADDRESS, "k", "s", new JsonObject())).getInteger("n"));
  }
}
