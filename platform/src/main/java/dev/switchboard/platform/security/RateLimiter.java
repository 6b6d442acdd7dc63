package dev.switchboard.platform.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-key request rate limit: a token bucket per key, refilled at the key's {@code ratePerSecond} and holding at
 * most one second's worth (at least one request), so a key may burst briefly but not exceed its rate on average.
 * Thread-safe.
 */
final class RateLimiter {

  private static final class Bucket {
    double tokens;
    long refilledAt;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.refilledAt = now;
    }
  }

  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** Takes one request's token for {@code key}: 0 when allowed, else the seconds to wait before retrying. */
  long take(ApiKey key, long nowNanos) {
    Double rate = key.ratePerSecond();
    if (rate == null) {
      return 0;
    }
    double capacity = Math.max(1, rate);
    Bucket bucket = buckets.computeIfAbsent(key.id(), id -> new Bucket(capacity, nowNanos));
    synchronized (bucket) {
      bucket.tokens = Math.min(capacity, bucket.tokens + (nowNanos - bucket.refilledAt) / 1e9 * rate);
      bucket.refilledAt = nowNanos;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / rate));
    }
  }

  /** Forgets the bucket of a revoked key. */
  void forget(String keyId) {
    buckets.remove(keyId);
  }
}
