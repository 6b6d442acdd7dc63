package dev.switchboard.records;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fetches Graph's PSTN and Direct Routing call logs of a range and stores their rows (replacing rows already stored). */
final class PstnLogs {

  private static final Logger LOG = LoggerFactory.getLogger(PstnLogs.class);

  /** The kinds of log row, as stored and as the {@code kind} query parameter spells them. */
  static final List<String> KINDS = List.of("pstn", "directRouting");

  private final GraphRecords graph;
  private final RecordStore store;

  PstnLogs(GraphRecords graph, RecordStore store) {
    this.graph = graph;
    this.store = store;
  }

  /** {@code {"from", "to", "pstn": rows stored, "directRouting": rows stored}}. */
  Future<JsonObject> fetchAndStore(Instant from, Instant to) {
    Future<Integer> pstn = graph.logRows("getPstnCalls", from, to).compose(rows -> store.upsertLogRows("pstn", rows));
    Future<Integer> direct = graph.logRows("getDirectRoutingCalls", from, to)
        .compose(rows -> store.upsertLogRows("directRouting", rows));
    return Future.all(pstn, direct).map(v -> {
      LOG.info("PSTN logs {} to {}: {} PSTN and {} Direct Routing rows stored", from, to, pstn.result(),
          direct.result());
      return new JsonObject().put("from", from.toString()).put("to", to.toString()).put("pstn", pstn.result())
          .put("directRouting", direct.result());
    });
  }
}
