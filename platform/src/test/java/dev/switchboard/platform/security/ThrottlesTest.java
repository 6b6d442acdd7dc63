package dev.switchboard.platform.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The failure throttle and the per-key rate limit without sockets, on a clock of the test's own. */
class ThrottlesTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void anAddressIsBlockedAfterTheLimitUntilItsWindowEndsAndOthersAreNot() {
    FailureThrottle throttle = new FailureThrottle(3, Duration.ofSeconds(60), 1000);
    long t0 = 5 * SECOND;
    for (int i = 0; i < 3; i++) {
      assertEquals(0, throttle.blockedFor("10.0.0.1", t0));
      throttle.failed("10.0.0.1", t0 + i);
    }
    assertEquals(60, throttle.blockedFor("10.0.0.1", t0 + 10));
    assertEquals(20, throttle.blockedFor("10.0.0.1", t0 + 40 * SECOND));
    assertEquals(0, throttle.blockedFor("10.0.0.2", t0 + 10), "another address");
    assertEquals(0, throttle.blockedFor("10.0.0.1", t0 + 61 * SECOND), "the window ended");
  }

  @Test
  void memoryIsBoundedByForgettingTheOldestWindows() {
    FailureThrottle throttle = new FailureThrottle(1, Duration.ofSeconds(60), 100);
    for (int i = 0; i < 10_000; i++) {
      throttle.failed("10.0." + (i / 250) + "." + (i % 250), i);
    }
    assertEquals(0, throttle.blockedFor("10.0.0.0", 20_000), "forgotten");
    assertTrue(throttle.blockedFor("10.0.39.249", 20_000) > 0, "the newest is remembered");
  }

  @Test
  void ipv6ClientsAreCountedPerSlash64() {
    assertEquals(FailureThrottle.clientKey("2001:db8:1:2:aaaa::1"), FailureThrottle.clientKey("2001:db8:1:2:bbbb::9"));
    assertTrue(!FailureThrottle.clientKey("2001:db8:1:2::1").equals(FailureThrottle.clientKey("2001:db8:1:3::1")));
    assertEquals("192.0.2.7", FailureThrottle.clientKey("192.0.2.7"));
  }

  @Test
  void aKeysBucketAllowsItsRateWithABurstOfOneSecond() {
    RateLimiter limiter = new RateLimiter();
    ApiKey key = new ApiKey("0123456789ab", "crm", new byte[32], List.of("*"), Instant.EPOCH, null, 4.0);
    long now = 100 * SECOND;
    for (int i = 0; i < 4; i++) {
      assertEquals(0, limiter.take(key, now), "burst " + i);
    }
    assertEquals(1, limiter.take(key, now), "retry after a second at most");
    assertEquals(0, limiter.take(key, now + SECOND / 4), "a quarter second refills one");
    ApiKey unlimited = new ApiKey("ba9876543210", "free", new byte[32], List.of("*"), Instant.EPOCH, null, null);
    for (int i = 0; i < 1000; i++) {
      assertEquals(0, limiter.take(unlimited, now));
    }
  }
}
