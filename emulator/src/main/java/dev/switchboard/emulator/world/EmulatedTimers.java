package dev.switchboard.emulator.world;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Timers on the emulated clock: what the emulator uses instead of {@code Vertx.setTimer} for every emulated duration
 * (an answer window, a prompt's length, a recording, the keepAlive limit, a presence session's expiry, a call
 * record's delay, a subscription's lifetime), so that {@link #advance} can make them fall due.
 *
 * <p>Each timer is due at an emulated instant and is armed as a real Vert.x timer of that delay divided by the clock
 * speed. {@link #advance} moves the clock forward in steps: to the due instant of the earliest pending timer, fires
 * it, and again, until the next one is due after the target; then to the target, and re-arms the timers still
 * pending for what is left of their wait. So the timers that fall due fire in the order of their due instants, each
 * seeing {@link EmulatedClock#now()} at its own instant, and a timer armed by one that fires (a recording's end armed
 * when its beep ends) fires within the same advance when it too falls due. What waits for I/O (a prompt being
 * downloaded, a notification being delivered) is not waited for: it goes on in emulated time after the advance.
 *
 * <p>Timer ids are Vert.x timer ids (the first one armed for the timer), so {@link #cancelTimer} also cancels a
 * plain Vert.x timer (real time, such as a fault's latency): code that keeps both kinds in one field cancels either.
 *
 * <p>Not thread-safe: used on the emulator's event-loop context only; handlers run there.
 */
public final class EmulatedTimers {

  private final Vertx vertx;
  private final EmulatedClock clock;
  private final Map<Long, Pending> pending = new HashMap<>();
  private final TreeSet<Pending> byDue =
      new TreeSet<>(Comparator.comparing((Pending p) -> p.due).thenComparingLong(p -> p.id));

  public EmulatedTimers(Vertx vertx, EmulatedClock clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  /** The clock these timers follow. */
  public EmulatedClock clock() {
    return clock;
  }

  /** Runs {@code handler} (with the timer's id) once {@code emulated} has passed on the clock; the timer's id. */
  public long setTimer(Duration emulated, Handler<Long> handler) {
    return setTimer(emulated.toNanos() / 1e6, handler);
  }

  /** Runs {@code handler} (with the timer's id) once {@code emulatedMs} milliseconds have passed on the clock. */
  public long setTimer(double emulatedMs, Handler<Long> handler) {
    Instant due = clock.now().plusNanos(Math.round(Math.max(0, emulatedMs) * 1e6));
    Pending p = new Pending(due, handler);
    p.vertxTimer = vertx.setTimer(clock.realMillis(emulatedMs), t -> fire(p));
    p.id = p.vertxTimer;
    pending.put(p.id, p);
    byDue.add(p);
    return p.id;
  }

  /**
   * Cancels a timer of {@link #setTimer}, or a plain Vert.x timer; whether one was pending. Negative ids (the
   * emulator's "no timer") are ignored.
   */
  public boolean cancelTimer(long id) {
    if (id < 0) {
      return false;
    }
    Pending p = pending.remove(id);
    if (p == null) {
      return vertx.cancelTimer(id);
    }
    byDue.remove(p);
    return vertx.cancelTimer(p.vertxTimer);
  }

  /**
   * Moves the clock forward by {@code emulated}, firing in order every timer that falls due meanwhile (see the class
   * comment); the clock's new date.
   *
   * @throws IllegalArgumentException if {@code emulated} is negative
   */
  public Instant advance(Duration emulated) {
    if (emulated.isNegative()) {
      throw new IllegalArgumentException("the emulated clock only goes forward; got " + emulated);
    }
    Instant target = clock.now().plus(emulated);
    while (!byDue.isEmpty() && !byDue.first().due.isAfter(target)) {
      Pending next = byDue.first();
      moveTo(next.due);
      vertx.cancelTimer(next.vertxTimer);
      fire(next);
    }
    moveTo(target);
    for (Pending p : byDue) {
      vertx.cancelTimer(p.vertxTimer);
      p.vertxTimer = vertx.setTimer(clock.realMillis(Duration.between(clock.now(), p.due)), t -> fire(p));
    }
    return clock.now();
  }

  /** How many timers are pending. */
  public int pendingCount() {
    return pending.size();
  }

  private void moveTo(Instant instant) {
    Duration ahead = Duration.between(clock.now(), instant);
    if (!ahead.isNegative() && !ahead.isZero()) {
      clock.advance(ahead);
    }
  }

  private void fire(Pending p) {
    if (pending.remove(p.id) != null) {
      byDue.remove(p);
      p.handler.handle(p.id);
    }
  }

  private static final class Pending {
    final Instant due;
    final Handler<Long> handler;
    long id;
    long vertxTimer;

    Pending(Instant due, Handler<Long> handler) {
      this.due = due;
      this.handler = handler;
    }
  }
}
