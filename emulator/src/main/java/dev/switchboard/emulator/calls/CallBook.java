package dev.switchboard.emulator.calls;

import dev.switchboard.emulator.http.GraphException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every call: live ones, and the most recent terminated ones (kept for the control API; Graph
 * itself answers 404 for them).
 */
final class CallBook {

  private static final int TERMINATED_KEPT = 500;

  private final Map<String, Call> live = new LinkedHashMap<>();
  private final Map<String, Call> ended = new LinkedHashMap<>() {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Call> eldest) {
      return size() > TERMINATED_KEPT;
    }
  };

  void add(Call call) {
    live.put(call.id, call);
  }

  void retire(Call call) {
    live.remove(call.id);
    ended.put(call.id, call);
  }

  /**
   * A live call, as Graph resolves {@code /communications/calls/{id}}.
   *
   * @throws GraphException 404 {@code itemNotFound} when there is no such call or it has ended
   */
  Call live(String id) {
    Call c = live.get(id);
    if (c == null) {
      throw GraphException.notFound(ended.containsKey(id)
          ? "Call " + id + " has terminated; it no longer exists."
          : "Call " + id + " was not found.");
    }
    return c;
  }

  /** A live call, or else null. */
  Call liveOrNull(String id) {
    return id == null ? null : live.get(id);
  }

  /** A live or ended call, or null. */
  Call any(String id) {
    Call c = live.get(id);
    return c != null ? c : ended.get(id);
  }

  List<Call> all() {
    List<Call> out = new ArrayList<>(ended.values());
    out.addAll(live.values());
    return out;
  }

  List<Call> liveCalls() {
    return new ArrayList<>(live.values());
  }

  void clear() {
    live.clear();
    ended.clear();
  }
}
