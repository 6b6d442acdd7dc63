package dev.switchboard.presence;

import dev.switchboard.api.presence.CachedPresence;
import dev.switchboard.api.presence.CachedPresences;
import dev.switchboard.api.presence.PresenceCommand;
import dev.switchboard.api.presence.Presences;
import dev.switchboard.api.presence.Watches;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Carries out {@link PresenceCommand}s, whether they came over the bus or REST. Runs on the plugin's context; the
 * replies are the contract's JSON.
 */
final class PresenceCommands {

  private final GraphPresence graph;
  private final PresenceCache cache;
  private final Watching watching;

  PresenceCommands(GraphPresence graph, PresenceCache cache, Watching watching) {
    this.graph = graph;
    this.cache = cache;
    this.watching = watching;
  }

  Future<JsonObject> run(PresenceCommand command) {
    JsonObject done = new JsonObject();
    if (command instanceof PresenceCommand.Cached c) {
      return Future.succeededFuture(cached(c.userIds()).toJson());
    } else if (command instanceof PresenceCommand.Fetch c) {
      return graph.all(c.userIds()).map(list -> new Presences(list).toJson());
    } else if (command instanceof PresenceCommand.SetPresence c) {
      return graph.set(c).map(done);
    } else if (command instanceof PresenceCommand.ClearPresence c) {
      return graph.clear(c).map(done);
    } else if (command instanceof PresenceCommand.SetPreferredPresence c) {
      return graph.setPreferred(c).map(done);
    } else if (command instanceof PresenceCommand.ClearPreferredPresence c) {
      return graph.clearPreferred(c).map(done);
    } else if (command instanceof PresenceCommand.SetStatusMessage c) {
      return graph.setStatusMessage(c).map(done);
    } else if (command instanceof PresenceCommand.Watch c) {
      return watching.add(c.userIds()).map(Watches::toJson);
    } else if (command instanceof PresenceCommand.Unwatch c) {
      return watching.remove(c.userIds()).map(Watches::toJson);
    }
    return Future.succeededFuture(watching.describe().toJson());
  }

  CachedPresences cached(List<String> userIds) {
    List<CachedPresence> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String id : userIds) {
      Optional<CachedPresence> cached = cache.get(id);
      cached.ifPresentOrElse(found::add, () -> missing.add(id));
    }
    return new CachedPresences(found, missing);
  }
}
