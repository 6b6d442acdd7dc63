package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** bench/testkit.sh's baseline: a JUnit test that starts nothing. */
class EmptyBenchmark {

  @Test
  void nothing() {
    assertTrue(true);
  }
}
