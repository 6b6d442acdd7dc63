package dev.switchboard.platform.routing;

import dev.switchboard.api.StateStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where key timers are written down, so that a restarted server arms again the timers its plugins had set: one entry
 * per armed timer in a platform-owned {@link StateStore}, written when the timer is armed and removed when it has
 * been handled, cancelled or released. Nobody waits for these writes (a timer works in memory at once); a crash
 * between a timer's handling and the removal of its entry makes it fire again after the restart, so timer handlers
 * should be idempotent.
 */
final class TimerJournal {

  private static final Logger LOG = LoggerFactory.getLogger(TimerJournal.class);

  /** A journal that writes nothing: timers live in memory only. */
  static final TimerJournal NONE = new TimerJournal(null);

  /** A timer read back from the journal. */
  record Saved(String address, String key, String name, Instant dueAt, JsonObject payload) {
  }

  private final StateStore store;

  TimerJournal(StateStore store) {
    this.store = store;
  }

  private static String id(String address, String key, String name) {
    return new JsonArray().add(address).add(key).add(name).encode();
  }

  void armed(String address, String key, String name, Instant dueAt, JsonObject payload) {
    if (store != null) {
      JsonObject entry = new JsonObject().put("address", address).put("key", key).put("name", name)
          .put("dueAt", dueAt.toEpochMilli()).put("payload", payload);
      store.put(id(address, key, name), entry).onFailure(e -> LOG.warn("Key timer '{}' of key {} on {} works but "
          + "would not survive a restart: {}", name, key, address, e.getMessage()));
    }
  }

  void gone(String address, String key, String name) {
    if (store != null) {
      store.remove(id(address, key, name));
    }
  }

  /**
   * The timers written down for {@code key}, on every address; none when the journal is off. Reads only that key's
   * entries (a member taking a hundred keys over at once must not read the whole journal for each).
   */
  Future<List<Saved>> load(String key) {
    if (store == null) {
      return Future.succeededFuture(List.of());
    }
    return store.keys().compose(ids -> read(store, ids.stream().filter(id -> key.equals(keyOf(id))).toList()))
        .map(byAddress -> byAddress.values().stream().flatMap(List::stream).toList());
  }

  /** The key of a journal entry's id ({@code null} for an id this journal did not write). */
  private static String keyOf(String id) {
    try {
      return new JsonArray(id).getString(1);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Every timer written down, by address. */
  static Future<Map<String, List<Saved>>> load(StateStore store) {
    return store.keys().compose(ids -> read(store, ids));
  }

  private static Future<Map<String, List<Saved>>> read(StateStore store, Collection<String> ids) {
    List<Future<JsonObject>> reads = ids.stream().map(store::get).toList();
    return Future.all(reads).map(all -> {
      Map<String, List<Saved>> byAddress = new HashMap<>();
      for (Future<JsonObject> read : reads) {
        JsonObject e = read.result();
        if (e == null) {
          continue;
        }
        Saved saved = new Saved(e.getString("address"), e.getString("key"), e.getString("name"),
            Instant.ofEpochMilli(e.getLong("dueAt")), e.getJsonObject("payload", new JsonObject()));
        byAddress.computeIfAbsent(saved.address(), a -> new ArrayList<>()).add(saved);
      }
      return byAddress;
    });
  }
}
