package dev.switchboard.calling;

import dev.switchboard.api.PluginContext;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The per-call timers of one plugin instance (unclaimed-call rejection, keepAlive): at most one of each kind per
 * call, so that re-arming replaces. Due times live in the call's model; a timer only wakes the call's owner, which
 * checks the model, so two versions arming the same call (drain, takeover) cause at most a harmless extra wake-up.
 * Released with the plugin. Used on the plugin's context only.
 */
final class CallTimers {

  static final String UNCLAIMED = "unclaimedDue";
  static final String KEEP_ALIVE = "keepAliveDue";

  private final PluginContext context;
  private final BiConsumer<String, String> wake;
  private final Map<String, Long> timers = new HashMap<>();

  /** @param wake called with (kind, call id) when a timer fires */
  CallTimers(PluginContext context, BiConsumer<String, String> wake) {
    this.context = context;
    this.wake = wake;
  }

  void arm(String kind, String callId, long atEpochMillis) {
    String key = kind + "/" + callId;
    Long previous = timers.remove(key);
    if (previous != null) {
      context.cancelTimer(previous);
    }
    long delay = Math.max(1, atEpochMillis - System.currentTimeMillis());
    long[] id = new long[1];
    id[0] = context.setTimer(delay, t -> {
      timers.remove(key, id[0]);
      wake.accept(kind, callId);
    });
    timers.put(key, id[0]);
  }

  void cancel(String kind, String callId) {
    Long id = timers.remove(kind + "/" + callId);
    if (id != null) {
      context.cancelTimer(id);
    }
  }

  void cancelAll(String callId) {
    cancel(UNCLAIMED, callId);
    cancel(KEEP_ALIVE, callId);
  }
}
