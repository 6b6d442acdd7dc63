package dev.switchboard.platform.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** When Graph requests are retried and after how long. */
class RetryPolicyTest {

  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  private final RetryPolicy policy = new RetryPolicy(4, Duration.ofSeconds(30), Duration.ofMillis(200),
      Duration.ofSeconds(5));

  @Test
  void throttlingAndUnavailabilityAreRetriedOtherFailuresAreNot() {
    assertTrue(RetryPolicy.retryableStatus(429));
    assertTrue(RetryPolicy.retryableStatus(503));
    assertTrue(RetryPolicy.retryableStatus(504));
    for (int status : new int[] {400, 401, 403, 404, 409, 500, 502}) {
      assertFalse(RetryPolicy.retryableStatus(status), "status " + status);
    }
  }

  @Test
  void retryAfterInSecondsOrAsAnHttpDateIsHonoured() {
    assertEquals(Duration.ofSeconds(2), policy.nextDelay(1, Duration.ZERO, "2", NOW));
    assertEquals(Duration.ofMillis(2128), policy.nextDelay(1, Duration.ZERO, "2.128", NOW));
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(7).atOffset(ZoneOffset.UTC));
    assertEquals(Duration.ofSeconds(7), policy.nextDelay(1, Duration.ZERO, date, NOW));
    String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.minusSeconds(7).atOffset(ZoneOffset.UTC));
    assertEquals(Duration.ZERO, RetryPolicy.parseRetryAfter(past, NOW));
  }

  @Test
  void withoutRetryAfterTheBackoffGrowsWithJitterAndIsCapped() {
    for (int i = 0; i < 200; i++) {
      Duration first = policy.nextDelay(1, Duration.ZERO, null, NOW);
      assertTrue(first.toMillis() >= 100 && first.toMillis() <= 200, first.toString());
      Duration third = policy.nextDelay(3, Duration.ZERO, "garbage", NOW);
      assertTrue(third.toMillis() >= 400 && third.toMillis() <= 800, third.toString());
    }
    RetryPolicy many = new RetryPolicy(40, Duration.ofHours(1), Duration.ofMillis(200), Duration.ofSeconds(5));
    assertTrue(many.nextDelay(30, Duration.ZERO, null, NOW).toMillis() <= 5000, "capped at maxDelay");
  }

  @Test
  void noRetryOnceTheAttemptsOrTheBudgetAreSpent() {
    assertNull(policy.nextDelay(4, Duration.ZERO, "1", NOW), "four attempts in all");
    assertNull(policy.nextDelay(1, Duration.ofSeconds(29), "2", NOW), "would end past the 30 s budget");
    assertEquals(Duration.ofSeconds(1), policy.nextDelay(1, Duration.ofSeconds(28), "1", NOW));
    assertNull(RetryPolicy.parseRetryAfter("-3", NOW));
    assertNull(RetryPolicy.parseRetryAfter(" ", NOW));
  }
}
