package dev.switchboard.platform.subscriptions;

import java.time.Duration;
import java.util.Locale;

/** Graph's maximum subscription lifetime per resource (graph-reference §8.5), and the margin kept below it. */
final class SubscriptionLifetimes {

  private SubscriptionLifetimes() {
  }

  static Duration maximum(String resource) {
    String r = resource.toLowerCase(Locale.ROOT).replaceFirst("^/", "");
    if (r.startsWith("communications/presences")) {
      return Duration.ofMinutes(60);
    }
    if (r.startsWith("communications/callrecords") || r.contains("onlinemeetings")) {
      return Duration.ofMinutes(4230);
    }
    if (r.startsWith("users") || r.startsWith("groups")) {
      return Duration.ofMinutes(41_760);
    }
    // Unknown resources: the shortest common maximum, so that Graph never refuses the expiration.
    return Duration.ofMinutes(60);
  }

  /** A little under the maximum, so that clock skew between us and Graph never makes Graph refuse it. */
  static Duration withMargin(Duration max) {
    Duration margin = max.toMinutes() >= 60 ? Duration.ofMinutes(5) : max.dividedBy(10);
    return max.minus(margin);
  }
}
