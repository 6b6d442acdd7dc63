package dev.switchboard.platform.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeQueueTest {

  private final ChangeQueue queue = new ChangeQueue();
  private final List<String> started = new ArrayList<>();

  private Future<String> change(String name, Future<String> outcome) {
    return queue.submit(() -> {
      started.add(name);
      return outcome;
    });
  }

  @Test
  void aChangeStartsOnlyWhenThePreviousOneHasCompleted() {
    Promise<String> first = Promise.promise();
    Promise<String> second = Promise.promise();
    Future<String> a = change("a", first.future());
    Future<String> b = change("b", second.future());
    Future<String> c = change("c", Future.succeededFuture("c done"));
    assertEquals(List.of("a"), started);

    first.fail("a broke");
    assertEquals(List.of("a", "b"), started, "a failure does not stop the queue");
    assertTrue(a.failed());
    assertEquals("a broke", a.cause().getMessage());

    second.complete("b done");
    assertEquals(List.of("a", "b", "c"), started);
    assertEquals("b done", b.result());
    assertEquals("c done", c.result());
  }

  @Test
  void aChangeThatThrowsOrReturnsNullFailsAloneAndTheNextOneRuns() {
    Future<String> thrown = queue.submit(() -> {
      throw new IllegalStateException("boom");
    });
    Future<String> nothing = queue.submit(() -> null);
    Future<String> next = change("next", Future.succeededFuture("ran"));
    assertEquals("boom", thrown.cause().getMessage());
    assertTrue(nothing.failed());
    assertEquals("ran", next.result());
  }
}
