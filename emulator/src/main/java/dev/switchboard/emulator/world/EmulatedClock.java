package dev.switchboard.emulator.world;

/**
 * Converts emulated durations into real ones.
 *
 * <p>Every duration the emulator simulates (the 15 s answer window, a prompt's length, the 45 min
 * keepAlive limit, a user's "answer after 2000 ms") is an <em>emulated</em> duration: it is divided
 * by the clock speed before a real timer is armed. At speed 20 a 15 s answer window lasts 750 ms.
 * Network-like effects (fault latency, token lifetimes) are real time and are not scaled.
 *
 * <p>Immutable and thread-safe.
 */
public final class EmulatedClock {

  private final double speed;

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

  /**
   * The real delay, in milliseconds, that stands for {@code emulatedMillis}; at least 1 ms so it
   * can be passed to {@code Vertx.setTimer}.
   */
  public long realMillis(double emulatedMillis) {
    return Math.max(1L, Math.round(emulatedMillis / speed));
  }
}
