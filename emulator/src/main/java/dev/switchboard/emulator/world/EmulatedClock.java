package dev.switchboard.emulator.world;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Emulated time: converts emulated durations into real ones, and tells the emulated date.
 *
 * <p>Every duration the emulator simulates (the 15 s answer window, a prompt's length, the 45 min
 * keepAlive limit, a user's "answer after 2000 ms", a subscription's lifetime) is an
 * <em>emulated</em> duration: it is divided by the clock speed before a real timer is armed. At
 * speed 20 a 15 s answer window lasts 750 ms. Network-like effects (fault latency, token
 * lifetimes, the 3 s and 10 s answer limits of webhooks) are real time and are not scaled.
 *
 * <p>The emulated date ({@link #now()}) starts at the real date when the clock is created and then
 * runs {@code speed} times faster: at speed 60 it gains a minute per real second. Absolute times
 * the emulator judges (a subscription's {@code expirationDateTime}) are on this clock.
 *
 * <p>A test can also move the clock forward by hand ({@link #advance}, {@code POST /emulator/clock/advance}): the
 * date jumps ahead at once, and {@link EmulatedTimers} fires the timers that fall due. The clock never goes back.
 *
 * <p>Thread-safe: the speed is fixed, the advance is an atomic counter.
 */
public final class EmulatedClock {

  private final double speed;
  private final Instant origin = Instant.now();
  private final long originNanos = System.nanoTime();
  /** Emulated nanoseconds added by hand ({@link #advance}). */
  private final AtomicLong advancedNanos = new AtomicLong();

  /**
   * @param speed how many emulated milliseconds pass per real millisecond; must be &gt; 0
   * @throws IllegalArgumentException if {@code speed} is not a positive finite number
   */
  public EmulatedClock(double speed) {
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("clock speed must be a positive number, got " + speed);
    }
    this.speed = speed;
  }

  /** The clock speed: emulated milliseconds per real millisecond. */
  public double speed() {
    return speed;
  }

  /** The emulated date and time now. */
  public Instant now() {
    long realNanos = System.nanoTime() - originNanos;
    return origin.plusNanos(Math.round(realNanos * speed) + advancedNanos.get());
  }

  /**
   * Moves the emulated date forward by {@code emulated} at once. Only the date moves: timers are
   * {@link EmulatedTimers}'s business, which calls this.
   *
   * @throws IllegalArgumentException if {@code emulated} is negative
   */
  void advance(Duration emulated) {
    if (emulated.isNegative()) {
      throw new IllegalArgumentException("the emulated clock only goes forward; got " + emulated);
    }
    advancedNanos.addAndGet(emulated.toNanos());
  }

  /** How far the clock has been moved by hand since it was created. */
  public Duration advanced() {
    return Duration.ofNanos(advancedNanos.get());
  }

  /** The real delay, in milliseconds, that stands for an emulated duration (at least 1 ms). */
  public long realMillis(Duration emulated) {
    return realMillis((double) emulated.toMillis());
  }

  /** This clock as a {@link Clock} in UTC, for code that takes one (a renewal scheduler under test). */
  public Clock asClock() {
    return new Zoned(this, ZoneOffset.UTC);
  }

  /** The emulated date as a {@link Clock}. */
  private static final class Zoned extends Clock {
    private final EmulatedClock clock;
    private final ZoneId zone;

    Zoned(EmulatedClock clock, ZoneId zone) {
      this.clock = clock;
      this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return new Zoned(clock, zone);
    }

    @Override
    public Instant instant() {
      return clock.now();
    }
  }

  /**
   * The real delay, in milliseconds, that stands for {@code emulatedMillis}; at least 1 ms so it
   * can be passed to {@code Vertx.setTimer}.
   */
  public long realMillis(double emulatedMillis) {
    return Math.max(1L, Math.round(emulatedMillis / speed));
  }
}
