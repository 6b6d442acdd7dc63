package dev.switchboard.platform.graph;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to retry a Graph request and after how long: 429, 503 and 504 are retried after {@code Retry-After}
 * (seconds, possibly fractional, or an HTTP date) or, without it, after a jittered exponential backoff; never
 * more than {@code maxAttempts} attempts or beyond {@code budget} since the first attempt.
 *
 * @param maxAttempts attempts in all, at least 1
 * @param budget total time from the first attempt after which no retry starts
 * @param baseDelay the first backoff
 * @param maxDelay the longest backoff
 */
record RetryPolicy(int maxAttempts, Duration budget, Duration baseDelay, Duration maxDelay) {

  /** Whether Graph's answer means "not processed, try again later". */
  static boolean retryableStatus(int status) {
    return status == 429 || status == 503 || status == 504;
  }

  /**
   * The delay before attempt {@code attempt + 1}, or {@code null} when the budget or the attempts are spent.
   *
   * @param attempt the attempt that just failed, from 1
   * @param elapsed time since the first attempt began
   * @param retryAfter the {@code Retry-After} header, or {@code null}
   */
  Duration nextDelay(int attempt, Duration elapsed, String retryAfter, Instant now) {
    if (attempt >= maxAttempts) {
      return null;
    }
    Duration delay = parseRetryAfter(retryAfter, now);
    if (delay == null) {
      long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(20, attempt - 1));
      // Full jitter: spreads the retries of many clients throttled at the same moment.
      delay = Duration.ofMillis(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
    }
    return elapsed.plus(delay).compareTo(budget) > 0 ? null : delay;
  }

  /** {@code Retry-After} as a delay: seconds ({@code 2}, {@code 2.128}) or an HTTP date; {@code null} if absent or bad. */
  static Duration parseRetryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String text = value.trim();
    try {
      double seconds = Double.parseDouble(text);
      return seconds < 0 || Double.isNaN(seconds) ? null : Duration.ofMillis(Math.round(seconds * 1000));
    } catch (NumberFormatException e) {
      try {
        Duration until = Duration.between(now, ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        return until.isNegative() ? Duration.ZERO : until;
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}
