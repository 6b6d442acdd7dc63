package dev.switchboard.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** Waiting for something the test expects, with a deadline and a failure that says what happened instead. */
final class Await {

  private static final long POLL_MILLIS = 20;

  private Await() {
  }

  /**
   * Calls {@code find} until it returns non-null, at most {@code timeout}; its value.
   *
   * @throws AssertionError naming {@code what}, with {@code transcript} (and the last failure of {@code find}, if it
   *     failed), when nothing was found in time
   */
  static <T> T until(Duration timeout, String what, Callable<T> find, Supplier<String> transcript) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        T found = find.call();
        if (found != null) {
          return found;
        }
        last = null;
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() >= deadline) {
        AssertionError failed = new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting until "
            + what + (last == null ? "" : " (last attempt failed: " + last + ")") + "\n" + transcript.get());
        if (last != null) {
          failed.initCause(last);
        }
        throw failed;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting until " + what, e);
      }
    }
  }
}
