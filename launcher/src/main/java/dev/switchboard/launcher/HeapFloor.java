package dev.switchboard.launcher;

import java.util.Optional;

/**
 * The smallest maximum heap the server runs with. After start-up, with every first-party bundle, about 22 MiB of
 * heap stay live; below {@link #MINIMUM_MIB} MiB the JVM would collect garbage nearly all the time as soon as calls
 * arrive, so {@code switchboard run} refuses to start with one line instead of thrashing.
 */
final class HeapFloor {

  /** The documented minimum {@code -Xmx}, in MiB (docs/configuration.md). */
  static final long MINIMUM_MIB = 64;

  private HeapFloor() {
  }

  /** What to tell the operator when {@code maxHeapBytes} (the JVM's {@code -Xmx}) is below the minimum. */
  static Optional<String> check(long maxHeapBytes) {
    long mib = maxHeapBytes / (1024 * 1024);
    // The JVM reports a little less than -Xmx (one survivor space is not counted): allow 10%.
    if (maxHeapBytes >= MINIMUM_MIB * 1024 * 1024 * 9 / 10) {
      return Optional.empty();
    }
    return Optional.of("switchboard: the maximum heap is " + mib + " MiB; the server needs at least " + MINIMUM_MIB
        + " MiB: raise -Xmx (SWITCHBOARD_OPTS=-Xmx" + MINIMUM_MIB + "m or more)");
  }
}
