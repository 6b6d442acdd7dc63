package dev.switchboard.media;

import dev.switchboard.api.Meters;
import dev.switchboard.api.media.MediaEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code switchboard_media_operations_total{operation,outcome}}: media operations that ended, by kind ({@code play},
 * {@code record}, {@code gather}) and outcome ({@code completed}, {@code failed}, {@code cancelled}); counted when
 * their event is published.
 */
final class MediaMeters {

  private final Meters meters;
  private final Map<String, Meters.Counter> counters = new ConcurrentHashMap<>();

  MediaMeters(Meters meters) {
    this.meters = meters;
  }

  void ended(MediaEvent event) {
    String operation = event instanceof MediaEvent.PlayCompleted ? "play"
        : event instanceof MediaEvent.RecordCompleted ? "record" : "gather";
    String outcome = event.outcome().status() == null ? "unknown" : event.outcome().status().wire();
    counters.computeIfAbsent(operation + "|" + outcome, k -> meters.counter("media.operations",
        "Media operations that ended, by operation and outcome", "operation", operation, "outcome", outcome))
        .increment();
  }
}
