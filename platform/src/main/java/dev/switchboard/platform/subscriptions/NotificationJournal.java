package dev.switchboard.platform.subscriptions;

import dev.switchboard.api.StateStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change notifications accepted and not yet handled, in a platform-owned {@link StateStore}: each is written
 * (and on the disk) before Graph gets its 202, and removed once its plugin's handler is done with it, so that a
 * server that stops or crashes in between hands it over after its restart ({@link #load}). Entries are numbered in
 * arrival order. A notification with resource data is kept as the plugin will get it, decrypted.
 */
final class NotificationJournal {

  private static final Logger LOG = LoggerFactory.getLogger(NotificationJournal.class);

  /** One accepted notification of the subscription Graph knows as {@code subscriptionId}. */
  record Entry(String key, String subscriptionId, JsonObject notification) {
  }

  private final StateStore store;
  private long sequence;

  NotificationJournal(StateStore store) {
    this.store = store;
  }

  /** Writes {@code notification} down; the key to {@link #done} it with, once it is on the disk. */
  Future<String> write(String subscriptionId, JsonObject notification) {
    String key = String.format("%019d", ++sequence);
    return store.put(key, new JsonObject().put("subscriptionId", subscriptionId).put("notification", notification))
        .map(key);
  }

  /** The notification {@code key} was handled (or will never be): it is forgotten. */
  void done(String key) {
    if (key != null) {
      store.remove(key).onFailure(e -> LOG.warn("A handled change notification stays written down ({}); it will be "
          + "handed to its plugin again after a restart", e.getMessage()));
    }
  }

  /** What a previous run accepted and did not hand over, in arrival order; later writes are numbered after it. */
  Future<List<Entry>> load() {
    return store.keys().compose(keys -> {
      Map<String, Future<JsonObject>> reads = new TreeMap<>();
      keys.forEach(k -> reads.put(k, store.get(k)));
      return Future.all(new ArrayList<>(reads.values())).map(all -> {
        List<Entry> entries = new ArrayList<>();
        reads.forEach((key, read) -> {
          JsonObject e = read.result();
          if (e != null) {
            entries.add(new Entry(key, e.getString("subscriptionId"), e.getJsonObject("notification")));
          }
          sequence = Math.max(sequence, Long.parseLong(key));
        });
        return entries;
      });
    });
  }
}
