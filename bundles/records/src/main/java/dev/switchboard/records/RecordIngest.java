package dev.switchboard.records;

import dev.switchboard.api.GraphException;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.StateStore;
import dev.switchboard.api.records.RecordStored;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persisted queue between a notification and a stored record. {@link #notified} records the id as pending in the
 * plugin's state store (shared by every version of the plugin, kept across restarts where the store is durable) and
 * returns at once, so Graph gets its answer within its 3 seconds whatever happens next; the record is then fetched,
 * classified and stored, at most {@code fetchConcurrency} at a time. A fetch or insert that fails for a reason that
 * may pass (Graph throttling or unavailable, a timeout, the database down) is retried after a wait that doubles from
 * {@code retry.initial} to {@code retry.max}, for as long as it takes; the entry stays in the state store meanwhile, so
 * a restart or a new version of the plugin picks it up. A record Graph says does not exist, or whose JSON is
 * unusable, is dropped with an error in the log and in {@link #status()}.
 *
 * <p>Runs on the plugin's context. Storing is idempotent (see {@link RecordStore#upsert}), so two versions working on
 * the same pending id during an update store it once.
 */
final class RecordIngest {

  private static final Logger LOG = LoggerFactory.getLogger(RecordIngest.class);
  private static final String PREFIX = "pending:";
  private static final int FAILURES_KEPT = 100;
  private static final int LATENCIES_KEPT = 20_000;

  private final PluginContext context;
  private final StateStore state;
  private final GraphRecords graph;
  private final RecordStore store;
  private final RecordsSettings settings;
  private final Map<String, JsonObject> pending = new LinkedHashMap<>();
  private final Set<String> inFlight = new HashSet<>();
  private final Deque<JsonObject> failures = new ArrayDeque<>();
  private final long[] latencies = new long[LATENCIES_KEPT];
  private long stored;
  private long unchanged;
  /** {@code switchboard_records_stored_total{outcome}}: call records written ({@code stored}) or already there. */
  private final dev.switchboard.api.Meters.Counter storedMeter;
  private final dev.switchboard.api.Meters.Counter unchangedMeter;

  RecordIngest(PluginContext context, GraphRecords graph, RecordStore store, RecordsSettings settings) {
    this.context = context;
    this.state = context.state();
    this.graph = graph;
    this.store = store;
    this.settings = settings;
    this.storedMeter = context.meters().counter("records.stored", "Call records fetched from Graph and stored, by "
        + "outcome (stored: new or changed; unchanged: already stored as they are)", "outcome", "stored");
    this.unchangedMeter = context.meters().counter("records.stored", "Call records fetched from Graph and stored, by "
        + "outcome (stored: new or changed; unchanged: already stored as they are)", "outcome", "unchanged");
  }

  /** Loads what earlier runs and other versions left pending, and starts working through it. */
  Future<Void> start() {
    context.setPeriodic(200, t -> work());
    return reload();
  }

  /** Re-reads the pending ids from the state store and makes every one due now. */
  Future<Void> reload() {
    return state.keys().compose(keys -> {
      List<Future<JsonObject>> reads = new ArrayList<>();
      keys.stream().filter(k -> k.startsWith(PREFIX)).forEach(k -> reads.add(state.get(k)));
      return Future.join(reads).map(all -> {
        int found = 0;
        for (Future<JsonObject> read : reads) {
          JsonObject entry = read.result();
          if (entry != null && entry.getString("id") != null) {
            pending.put(entry.getString("id"), entry.put("due", 0L));
            found++;
          }
        }
        if (found > 0) {
          LOG.info("{} call records pending from before: fetching them", found);
        }
        work();
        return null;
      });
    });
  }

  /** A record was notified: it is pending once the returned future completes (then fetched and stored). */
  Future<Void> notified(String id) {
    long now = System.currentTimeMillis();
    JsonObject entry = pending.getOrDefault(id, new JsonObject().put("id", id).put("attempts", 0)
        .put("notifiedAt", now)).copy().put("due", now);
    return state.put(PREFIX + id, entry).onSuccess(v -> {
      pending.put(id, entry);
      work();
    });
  }

  /** Counts, the pending ids' number, and the latest records dropped with their reason. */
  JsonObject status() {
    int n = (int) Math.min(stored, LATENCIES_KEPT);
    long[] sorted = java.util.Arrays.copyOf(latencies, n);
    java.util.Arrays.sort(sorted);
    return new JsonObject().put("pending", pending.size()).put("inFlight", inFlight.size()).put("stored", stored)
        .put("unchanged", unchanged).put("failed", new JsonArray(new ArrayList<>(failures)))
        .put("latencyMs", new JsonObject().put("count", n).put("p50", n == 0 ? null : sorted[n / 2])
            .put("p99", n == 0 ? null : sorted[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)])
            .put("max", n == 0 ? null : sorted[n - 1]));
  }

  private void work() {
    long now = System.currentTimeMillis();
    for (JsonObject entry : new ArrayList<>(pending.values())) {
      if (inFlight.size() >= settings.fetchConcurrency()) {
        return;
      }
      String id = entry.getString("id");
      if (entry.getLong("due", 0L) <= now && !inFlight.contains(id)) {
        process(id, entry);
      }
    }
  }

  private void process(String id, JsonObject entry) {
    inFlight.add(id);
    graph.record(id).map(RecordParser::parse)
        .compose(record -> store.upsert(record).map(outcome -> {
          if (outcome == RecordStore.Outcome.UNCHANGED) {
            unchanged++;
            unchangedMeter.increment();
          } else {
            RecordStored event = record.event();
            context.publishKeyed(RecordStored.TOPIC, id, event.toJson());
            latencies[(int) (stored % LATENCIES_KEPT)] = System.currentTimeMillis() - entry.getLong("notifiedAt", 0L);
            stored++;
            storedMeter.increment();
          }
          return outcome;
        }))
        .onComplete(ar -> {
          inFlight.remove(id);
          if (ar.succeeded()) {
            done(id, entry);
          } else if (permanent(ar.cause())) {
            LOG.error("Call record {} dropped: {}. Nothing will be stored for it; the other records are not affected.",
                id, ar.cause().getMessage());
            failures.addLast(new JsonObject().put("id", id).put("reason", ar.cause().getMessage()));
            if (failures.size() > FAILURES_KEPT) {
              failures.removeFirst();
            }
            done(id, entry);
          } else {
            retryLater(id, entry, ar.cause());
          }
        });
  }

  private void done(String id, JsonObject entry) {
    // Remove only the entry processed: a notification that came meanwhile made a new entry, still to process.
    if (pending.get(id) == entry) {
      pending.remove(id);
      state.remove(PREFIX + id).onFailure(e -> LOG.warn("Could not remove pending call record {}: {}", id,
          e.getMessage()));
    }
    work();
  }

  private void retryLater(String id, JsonObject entry, Throwable cause) {
    int attempts = entry.getInteger("attempts", 0) + 1;
    long wait = Math.min(settings.retryMax().toMillis(),
        settings.retryInitial().toMillis() << Math.min(attempts - 1, 20));
    LOG.warn("Call record {} not stored yet (attempt {}): {}. Trying again in {}.", id, attempts, cause.getMessage(),
        Duration.ofMillis(wait));
    if (pending.get(id) != entry) {
      work();
      return;
    }
    JsonObject next = entry.copy().put("attempts", attempts).put("due", System.currentTimeMillis() + wait)
        .put("lastError", String.valueOf(cause.getMessage()));
    pending.put(id, next);
    state.put(PREFIX + id, next);
  }

  /** A failure that no retry can cure: Graph says there is no such record, or its JSON is unusable. */
  private static boolean permanent(Throwable cause) {
    if (cause instanceof GraphException g) {
      return g.graphStatus() == 404 || g.graphStatus() == 400;
    }
    return cause instanceof IllegalArgumentException;
  }
}
