package dev.switchboard.meetings;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Graph's clock as the plugin estimates it, to turn a meeting's start (Graph's time) into a real delay. Against
 * Graph (speed 1) it is the server's clock. Against an accelerated emulator ({@code plugins.meetings.graphClockSpeed}
 * above 1) Graph's time runs faster: the plugin anchors it on the {@code creationDateTime} of the last meeting it
 * created (which is Graph's "now" when the answer arrived) and extrapolates at that speed. The anchor is kept in the
 * state store, so a restarted server keeps it.
 */
final class GraphClock {

  private final Clock local;
  private final double speed;
  /** Graph's time and the server's at the same moment, or null before any anchor. */
  private volatile Anchor anchor;

  private record Anchor(Instant graph, Instant local) {
  }

  GraphClock(Clock local, double speed) {
    this.local = local;
    this.speed = speed;
  }

  /** The server's clock. */
  Instant localNow() {
    return local.instant();
  }

  /** Graph's time now, as estimated. */
  Instant now() {
    Instant here = local.instant();
    Anchor a = anchor;
    if (speed == 1 || a == null) {
      return here;
    }
    long elapsed = Duration.between(a.local(), here).toNanos();
    return a.graph().plusNanos(Math.round(elapsed * speed));
  }

  /** The real delay until {@code graphInstant} arrives on Graph's clock; zero when it has passed. */
  Duration until(Instant graphInstant) {
    long graphNanos = Duration.between(now(), graphInstant).toNanos();
    return graphNanos <= 0 ? Duration.ZERO : Duration.ofNanos(Math.round(graphNanos / speed));
  }

  /** Anchors Graph's clock: Graph's time was {@code graphNow} just now. Returns the anchor to store. */
  JsonObject anchor(Instant graphNow) {
    Anchor a = new Anchor(graphNow, local.instant());
    anchor = a;
    return new JsonObject().put("graph", a.graph().toString()).put("local", a.local().toString());
  }

  /** Restores an anchor read from the state store ({@code null}: none). */
  void restore(JsonObject stored) {
    if (stored != null && stored.getString("graph") != null && stored.getString("local") != null) {
      anchor = new Anchor(Instant.parse(stored.getString("graph")), Instant.parse(stored.getString("local")));
    }
  }
}
