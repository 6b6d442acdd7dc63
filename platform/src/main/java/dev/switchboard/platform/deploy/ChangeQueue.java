package dev.switchboard.platform.deploy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs asynchronous changes one at a time, in the order they were submitted: a change starts when the future
 * of the previous one has completed, whether it succeeded or failed. Nobody waits on a lock: {@link #submit}
 * returns at once with the future of the change.
 *
 * <p>Thread-safe. A change starts on the thread that completed the previous one (or the submitter's, when the
 * queue is idle); a change that must run on a particular context hops there itself.
 */
final class ChangeQueue {

  private final AtomicReference<Future<?>> tail = new AtomicReference<>(Future.succeededFuture());

  /**
   * Queues {@code change}; it is called once every change submitted before it has completed. A change that
   * throws, or returns {@code null}, fails its own future and does not stop the queue.
   *
   * @return the future of the change, as it returned it
   */
  <T> Future<T> submit(Supplier<Future<T>> change) {
    Promise<T> result = Promise.promise();
    Future<?> previous = tail.getAndSet(result.future());
    previous.onComplete(ignored -> start(change).onComplete(result));
    return result.future();
  }

  private static <T> Future<T> start(Supplier<Future<T>> change) {
    try {
      Future<T> started = change.get();
      return started != null ? started : Future.failedFuture(new IllegalStateException("a change returned null"));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
