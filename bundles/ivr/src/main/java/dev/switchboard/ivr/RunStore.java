package dev.switchboard.ivr;

import dev.switchboard.api.StateStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runs of calls in the plugin's state store, so that a version of the plugin that takes calls over (an update
 * with takeover) or a restarted server continues each one where it was: {@code run:<call id>} holds a run's
 * {@linkplain CallRun#snapshot() snapshot}, {@code flow:<version>} the text of each flow version a stored run uses
 * (read again with {@link FlowParser}, so a call keeps the version it started with even after its file changed).
 * Used on the plugin's context.
 */
final class RunStore {

  private static final String RUN = "run:";
  private static final String FLOW = "flow:";

  private final StateStore state;
  private final FlowLibrary library;
  private final System.Logger log;
  private final Map<String, Flow> parsed = new HashMap<>();
  private final Set<String> storedFlows = ConcurrentHashMap.newKeySet();

  RunStore(StateStore state, FlowLibrary library, System.Logger log) {
    this.state = state;
    this.library = library;
    this.log = log;
  }

  /** Stores what {@code run} knows (and, the first time, the text of its flow). */
  Future<Void> save(CallRun run) {
    Flow flow = run.flow();
    Future<Void> source = Future.succeededFuture();
    if (storedFlows.add(flow.version())) {
      String text = library.source(flow);
      source = text == null ? source : state.put(FLOW + flow.version(), new JsonObject().put("file", flow.file())
          .put("text", text));
    }
    return source.compose(v -> state.put(RUN + run.callId(), run.snapshot()));
  }

  /** Forgets the run of {@code callId}. */
  Future<Void> remove(String callId) {
    return state.remove(RUN + callId);
  }

  /** The stored run of {@code callId}, restored on {@code bus}; {@code null} when none is stored. */
  Future<CallRun> load(String callId, CallRun.Bus bus) {
    return state.get(RUN + callId).compose(snapshot -> {
      if (snapshot == null) {
        return Future.succeededFuture();
      }
      String version = snapshot.getString("flowVersion");
      return flow(version).map(flow -> {
        if (flow == null) {
          log.log(Level.WARNING, "Call {0}: its flow version {1} is no longer known; the call is left alone",
              callId, version);
          return null;
        }
        return CallRun.restore(callId, flow, bus, snapshot);
      });
    });
  }

  private Future<Flow> flow(String version) {
    Flow known = parsed.get(version);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return state.get(FLOW + version).map(stored -> {
      if (stored == null) {
        return null;
      }
      try {
        Flow flow = FlowParser.parse(stored.getString("file"), stored.getString("text"));
        parsed.put(version, flow);
        storedFlows.add(version);
        return flow;
      } catch (FlowException e) {
        log.log(Level.WARNING, "The stored text of flow version {0} no longer parses: {1}", version, e.getMessage());
        return null;
      }
    });
  }

  /**
   * Removes the flow texts no stored run uses any more, except those of the flows loaded now (a run starting on one
   * may be storing itself meanwhile, in this or another version of the plugin).
   */
  Future<Void> pruneFlows() {
    return state.keys().compose(keys -> {
      Future<Set<String>> used = Future.succeededFuture(ConcurrentHashMap.newKeySet());
      for (String key : keys) {
        if (key.startsWith(RUN)) {
          used = used.compose(set -> state.get(key).map(run -> {
            if (run != null) {
              set.add(run.getString("flowVersion"));
            }
            return set;
          }));
        }
      }
      return used.compose(set -> {
        Future<Void> removed = Future.succeededFuture();
        for (String key : keys) {
          String version = key.startsWith(FLOW) ? key.substring(FLOW.length()) : null;
          if (version != null && !set.contains(version) && !library.isLoaded(version)) {
            removed = removed.compose(v -> state.remove(key));
          }
        }
        return removed;
      });
    });
  }
}
