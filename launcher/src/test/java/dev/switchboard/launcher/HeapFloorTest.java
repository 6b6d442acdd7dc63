package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeapFloorTest {

  private static final long MIB = 1024 * 1024;

  @Test
  void theMinimumAndAboveAreAccepted() {
    assertTrue(HeapFloor.check(64 * MIB).isEmpty());
    // What the JVM reports for -Xmx64m with the serial collector (one survivor space not counted).
    assertTrue(HeapFloor.check(61_865_984).isEmpty());
    assertTrue(HeapFloor.check(4096 * MIB).isEmpty());
  }

  @Test
  void belowTheMinimumSaysWhatToDo() {
    assertEquals("switchboard: the maximum heap is 32 MiB; the server needs at least 64 MiB: raise -Xmx"
        + " (SWITCHBOARD_OPTS=-Xmx64m or more)", HeapFloor.check(32 * MIB).orElseThrow());
  }
}
