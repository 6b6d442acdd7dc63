package dev.switchboard.platform.deploy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** A future raced against a timer, completed on a given context: the deployer's waits that are not events. */
final class Deadline {

  private Deadline() {
  }

  /**
   * {@code future}'s outcome, completed on {@code context}; or, if it has not completed within {@code limit}, a
   * failure with {@code onTimeout}'s exception (the future itself goes on).
   */
  static <T> Future<T> of(Vertx vertx, Context context, Future<T> future, Duration limit,
      Supplier<? extends Throwable> onTimeout) {
    Promise<T> result = Promise.promise();
    long timer = vertx.setTimer(limit.toMillis(), id -> context.runOnContext(v -> result.tryFail(onTimeout.get())));
    future.onComplete(ar -> {
      vertx.cancelTimer(timer);
      context.runOnContext(v -> {
        if (ar.succeeded()) {
          result.tryComplete(ar.result());
        } else {
          result.tryFail(ar.cause());
        }
      });
    });
    return result.future();
  }

  /** Whether {@code future} completed, either way, within {@code limit}; completes on {@code context}. */
  static Future<Boolean> met(Vertx vertx, Context context, Future<?> future, Duration limit) {
    return of(vertx, context, future.transform(ar -> Future.succeededFuture(true)), limit,
        TimeoutException::new).otherwise(false);
  }
}
