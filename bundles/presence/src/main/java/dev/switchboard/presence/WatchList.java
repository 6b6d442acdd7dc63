package dev.switchboard.presence;

import dev.switchboard.api.StateStore;
import dev.switchboard.api.presence.PresenceCommand;
import dev.switchboard.api.presence.Watches;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who is watched, and how the watched users are split into chunks of at most 650 (one Graph subscription each).
 *
 * <p>Chunks are stable: a new user joins the first chunk with room, a user no longer watched leaves its chunk, and the
 * others stay where they are, so that a change of the watches changes one subscription, not all of them. The users
 * added over the bus or REST and the chunks are kept in the state store: every version, and the next start, finds the
 * same chunks and so the same subscriptions. Used on the plugin's context only.
 */
final class WatchList {

  private static final String KEY = "watches";

  private final StateStore state;
  private final List<String> configured;
  private final LinkedHashSet<String> added = new LinkedHashSet<>();
  private final List<LinkedHashSet<String>> chunks = new ArrayList<>();
  private List<List<String>> stored = List.of();

  WatchList(StateStore state, List<String> configured) {
    this.state = state;
    this.configured = List.copyOf(configured);
  }

  /** Reads the stored watches, then fits the chunks to the configured and added users. */
  Future<Void> load() {
    return state.get(KEY).compose(json -> {
      if (json != null) {
        json.getJsonArray("added", new JsonArray()).forEach(id -> added.add((String) id));
        for (Object chunk : json.getJsonArray("chunks", new JsonArray())) {
          LinkedHashSet<String> ids = new LinkedHashSet<>();
          ((JsonArray) chunk).forEach(id -> ids.add((String) id));
          chunks.add(ids);
        }
      }
      stored = chunks();
      fit();
      return save();
    });
  }

  /** The chunks as stored before {@link #load} fitted them (their subscriptions may be obsolete now). */
  List<List<String>> storedChunks() {
    return stored;
  }

  /** Watches {@code userIds}; the users that were not watched yet. */
  Future<List<String>> add(Collection<String> userIds) {
    List<String> fresh = userIds.stream().filter(id -> !watched().contains(id)).distinct().toList();
    added.addAll(userIds);
    fit();
    return save().map(fresh);
  }

  /** Stops watching {@code userIds} unless configured; the users no longer watched. */
  Future<List<String>> remove(Collection<String> userIds) {
    userIds.forEach(added::remove);
    List<String> gone = userIds.stream().filter(id -> !configured.contains(id)).distinct().toList();
    fit();
    return save().map(gone);
  }

  /** Every watched user. */
  Set<String> watched() {
    LinkedHashSet<String> all = new LinkedHashSet<>(configured);
    all.addAll(added);
    return all;
  }

  /** The chunks, each at most 650 users, in a stable order. */
  List<List<String>> chunks() {
    return chunks.stream().map(c -> (List<String>) List.copyOf(c)).toList();
  }

  Watches describe() {
    return new Watches(configured, List.copyOf(added), chunks.size());
  }

  /** Removes the users no longer watched from their chunks and puts new ones in the first chunk with room. */
  private void fit() {
    Set<String> wanted = watched();
    chunks.forEach(c -> c.retainAll(wanted));
    chunks.removeIf(Set::isEmpty);
    Set<String> placed = new LinkedHashSet<>();
    chunks.forEach(placed::addAll);
    for (String id : wanted) {
      if (placed.contains(id)) {
        continue;
      }
      LinkedHashSet<String> room = chunks.stream().filter(c -> c.size() < PresenceCommand.MAX_IDS).findFirst()
          .orElseGet(() -> {
            LinkedHashSet<String> c = new LinkedHashSet<>();
            chunks.add(c);
            return c;
          });
      room.add(id);
    }
  }

  private Future<Void> save() {
    return state.put(KEY, new JsonObject().put("added", new JsonArray(List.copyOf(added)))
        .put("chunks", new JsonArray(chunks.stream().map(c -> new JsonArray(List.copyOf(c))).toList())));
  }
}
