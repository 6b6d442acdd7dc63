package dev.switchboard.presence;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.presence.PresenceCommand;
import io.vertx.core.Future;

/**
 * The presence plugin: serves {@link PresenceCommand}s on {@link PresenceCommand#ADDRESS} and REST under
 * {@code /api/v1/presence}, and watches the users of {@code plugins.presence.watch} and of the watches added since.
 *
 * <p>Start: the cache and the watches a previous version stored are loaded first, then the plugin attaches to the
 * chunks' subscriptions (notifications that waited during an update arrive now) and reads every watched user once.
 * After a {@code takeover} update the new version thus continues where the old one stopped, and what changed in
 * between becomes an event. Stop: no more events from this version.
 */
public final class PresencePlugin implements Plugin {

  private static final Logger LOG = System.getLogger(PresencePlugin.class.getName());

  private ChangeFeed feed;

  @Override
  public Future<Void> start(PluginContext context) {
    PresenceSettings settings = PresenceSettings.of(context.config());
    GraphPresence graph = new GraphPresence(context.graph(), settings.sessionId());
    PresenceCache cache = new PresenceCache(context.state());
    Publisher publisher = new Publisher(context.state(), context.version());
    feed = new ChangeFeed(context, cache, graph, publisher);
    Watching watching = new Watching(new WatchList(context.state(), settings.watch()),
        new ChunkSubscriptions(context, feed), feed, cache);
    PresenceCommands commands = new PresenceCommands(graph, cache, watching);
    // Claim publishing before reading the cache: what an older version publishes after this is not published twice.
    return publisher.claim().compose(v -> cache.load()).compose(v -> watching.start()).onSuccess(v -> {
      context.serve(PresenceCommand.ADDRESS, body -> commands.run(PresenceCommand.fromJson(body)));
      new PresenceRoutes(context, commands, graph).register();
      LOG.log(Level.INFO, "Presence: watching {0} users with {1} subscriptions; {2} cached", watching.describe().configured().size()
          + watching.describe().added().size(), watching.describe().subscriptions(), cache.size());
    });
  }

  @Override
  public Future<Void> stop() {
    if (feed != null) {
      feed.stop();
    }
    return Future.succeededFuture();
  }
}
