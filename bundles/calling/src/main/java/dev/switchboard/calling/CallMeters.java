package dev.switchboard.calling;

import dev.switchboard.api.Meters;
import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.calls.CallView;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calling plugin's meters ({@code /metrics}, tags {@code plugin} and {@code version} added by the platform):
 * {@code switchboard_calls_active} (live calls this version owns), {@code switchboard_calls_started_total{direction}},
 * {@code switchboard_calls_ended_total{result}} (Graph's result code, {@code none} without one) and
 * {@code switchboard_calls_answer_latency_seconds} (an incoming call's notification to its establishment). Updated on
 * the plugin's context after a call's change is stored.
 */
final class CallMeters {

  private final Meters meters;
  private final Set<String> live = ConcurrentHashMap.newKeySet();
  private final Map<String, Meters.Counter> started = new ConcurrentHashMap<>();
  private final Map<String, Meters.Counter> ended = new ConcurrentHashMap<>();
  private final Meters.Timer answerLatency;

  CallMeters(Meters meters) {
    this.meters = meters;
    meters.gauge("calls.active", "Live calls this version of the calling plugin owns", live::size);
    this.answerLatency = meters.timer("calls.answer.latency",
        "Incoming calls: from Graph's first notification to the call being established");
  }

  /** Counts what a stored change of call {@code id} means; {@code fresh} when the call was not stored before. */
  void observe(String id, boolean fresh, Call done, Iterable<CallEvent> published) {
    if (done == null) {
      return;
    }
    CallView view = done.view();
    if (fresh) {
      String direction = view.direction() == null ? "unknown" : view.direction().wireName();
      started.computeIfAbsent(direction, d -> meters.counter("calls.started", "Calls begun, by direction",
          "direction", d)).increment();
    }
    for (CallEvent event : published) {
      if (event instanceof CallEvent.Established && view.createdAt() != null && view.establishedAt() != null
          && view.direction() == dev.switchboard.api.calls.CallDirection.INCOMING) {
        answerLatency.record(Duration.between(view.createdAt(), view.establishedAt()));
      } else if (event instanceof CallEvent.Terminated terminated) {
        Integer code = terminated.resultInfo() == null ? null : terminated.resultInfo().code();
        String result = code == null ? "none" : code.toString();
        ended.computeIfAbsent(result, r -> meters.counter("calls.ended", "Calls ended, by Graph's result code",
            "result", r)).increment();
      }
    }
    if (done.terminated()) {
      live.remove(id);
    } else {
      live.add(id);
    }
  }
}
