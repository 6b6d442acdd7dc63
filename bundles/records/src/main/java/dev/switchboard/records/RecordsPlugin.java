package dev.switchboard.records;

import dev.switchboard.api.ChangeHandler;
import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SubscriptionRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records plugin ({@code plugins.records}): subscribes to {@code /communications/callRecords} ({@code created},
 * {@code updated}), queues every notified record ({@link RecordIngest}), stores it with its quality verdicts
 * ({@link RecordStore}), publishes {@link dev.switchboard.api.records.RecordStored}, and serves
 * {@code /api/v1/records} ({@link RecordRoutes}).
 *
 * <p>On a {@code missed} lifecycle event (callRecords cannot be listed, so the missed ids cannot be found again) it
 * re-fetches the PSTN and Direct Routing logs since the last notification it had seen, and makes every pending record
 * due at once.
 */
public class RecordsPlugin implements Plugin {

  private static final Logger LOG = LoggerFactory.getLogger(RecordsPlugin.class);
  private static final String LAST_SEEN = "lastNotificationAt";
  private static final Duration RESYNC_MARGIN = Duration.ofHours(1);

  private Database db;

  @Override
  public Future<Void> start(PluginContext context) {
    RecordsSettings settings = RecordsSettings.from(context.config(), context.dataDir());
    // A fresh embedded database opens in the background (it took most of a second of the server's start-up on a
    // small machine): notifications are queued in the state store and requests wait meanwhile. Otherwise the open
    // comes first, as it always did (Database.opensInBackground says why).
    boolean background = Database.opensInBackground(settings);
    db = Database.open(context.vertx(), settings, "records-db-" + context.version() + "-" + UUID.randomUUID());
    Future<Void> ready = background ? Future.succeededFuture() : db.opened();
    return ready.compose(v -> {
      GraphRecords graph = new GraphRecords(context.graph());
      RecordStore store = new RecordStore(db);
      PstnLogs logs = new PstnLogs(graph, store);
      RecordIngest ingest = new RecordIngest(context, graph, store, settings);
      new RecordRoutes(new RecordQueries(db), logs, ingest).register(context);
      context.subscribe(new SubscriptionRequest("/communications/callRecords", List.of("created", "updated")),
          new Notifications(context, ingest, logs));
      return ingest.start();
    })
        .onSuccess(v -> LOG.info("records {} started", context.version()))
        .onFailure(e -> db.close());
  }

  @Override
  public Future<Void> stop() {
    return db == null ? Future.succeededFuture() : db.close();
  }

  /** Graph's notifications: each names one record, queued at once; {@code missed} resyncs. */
  private static final class Notifications implements ChangeHandler {

    private final PluginContext context;
    private final RecordIngest ingest;
    private final PstnLogs logs;
    private long lastSeenSaved;

    Notifications(PluginContext context, RecordIngest ingest, PstnLogs logs) {
      this.context = context;
      this.ingest = ingest;
      this.logs = logs;
    }

    @Override
    public Future<Void> changed(JsonObject notification) {
      // resourceData may be absent or null (the emulator's hand-made notifications); the resource path names the id.
      JsonObject data = notification.getValue("resourceData") instanceof JsonObject o ? o : new JsonObject();
      String resource = notification.getValue("resource") instanceof String r ? r : "";
      String id = data.getValue("id") instanceof String i ? i : resource.substring(resource.lastIndexOf('/') + 1);
      if (!GraphRecords.isRecordId(id)) {
        LOG.warn("Ignored a callRecords notification that names no record id: {}", notification.encode());
        return Future.succeededFuture();
      }
      long now = System.currentTimeMillis();
      if (now - lastSeenSaved > 10_000) {
        lastSeenSaved = now;
        context.state().put(LAST_SEEN, new JsonObject().put("at", Instant.ofEpochMilli(now).toString()));
      }
      return ingest.notified(id);
    }

    @Override
    public Future<Void> resync(String reason) {
      Instant to = Instant.now();
      return context.state().get(LAST_SEEN).compose(seen -> {
        Instant from = (seen == null ? to.minus(Duration.ofDays(1)) : Instant.parse(seen.getString("at")))
            .minus(RESYNC_MARGIN);
        LOG.warn("callRecords notifications may have been lost ({}): call records cannot be listed, so the PSTN and"
            + " Direct Routing logs from {} are fetched again and pending records are retried now", reason, from);
        ingest.reload();
        return logs.fetchAndStore(from, to).<Void>mapEmpty();
      }).recover(e -> {
        LOG.error("Resync after '{}' failed: {}. POST /api/v1/records/pstn?from=&to= fetches the logs by hand.",
            reason, e.getMessage());
        return Future.succeededFuture();
      });
    }
  }
}
