package dev.switchboard.presence;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import dev.switchboard.api.StateStore;
import dev.switchboard.api.presence.CachedPresence;
import dev.switchboard.api.presence.Presence;
import dev.switchboard.api.presence.PresenceEvent.PresenceChanged;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The latest presence of every watched user, in memory (reads never leave it), written through to the plugin's state
 * store on every change so that the next version (update, takeover) knows since when each user shows what it shows.
 * Used on the plugin's context only.
 */
final class PresenceCache {

  private static final Logger LOG = System.getLogger(PresenceCache.class.getName());
  private static final String PREFIX = "user:";

  private final StateStore state;
  private final Map<String, CachedPresence> byUser = new HashMap<>();

  PresenceCache(StateStore state) {
    this.state = state;
  }

  /** Reads what a previous version stored. */
  Future<Void> load() {
    return state.keys().compose(keys -> {
      List<String> users = keys.stream().filter(k -> k.startsWith(PREFIX)).toList();
      return Future.all(users.stream().map(k -> state.get(k).map(json -> {
        if (json != null) {
          CachedPresence cached = CachedPresence.fromJson(json);
          byUser.put(cached.userId(), cached);
        }
        return null;
      })).toList());
    }).mapEmpty();
  }

  Optional<CachedPresence> get(String userId) {
    return Optional.ofNullable(byUser.get(userId));
  }

  int size() {
    return byUser.size();
  }

  /**
   * Records that {@code presence} was observed at {@code at}: a change of availability or activity is returned as
   * the event to publish; the first observation of a user and a confirmation of what it showed are none.
   */
  Optional<PresenceChanged> observe(Presence presence, Instant at) {
    CachedPresence before = byUser.get(presence.userId());
    Instant since = before != null && before.presence().availability().equals(presence.availability())
        ? before.availabilitySince() : at;
    CachedPresence now = new CachedPresence(presence, at, since);
    byUser.put(presence.userId(), now);
    if (before != null && before.presence().sameState(presence)) {
      return Optional.empty();
    }
    state.put(PREFIX + presence.userId(), now.toJson())
        .onFailure(e -> LOG.log(Level.WARNING, "Could not store the presence of {0} ({1}); a new version will re-read it from Graph",
            presence.userId(), e.getMessage()));
    return before == null ? Optional.empty()
        : Optional.of(new PresenceChanged(presence, before.presence(), since, at));
  }

  /** Forgets users no longer watched. */
  void forget(List<String> userIds) {
    for (String id : userIds) {
      if (byUser.remove(id) != null) {
        state.remove(PREFIX + id);
      }
    }
  }
}
