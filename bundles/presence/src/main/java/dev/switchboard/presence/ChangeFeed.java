package dev.switchboard.presence;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.presence.Presence;
import dev.switchboard.api.presence.PresenceCommand;
import dev.switchboard.api.presence.PresenceEvent.PresenceChanged;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns presence notifications into cache updates and {@link PresenceChanged} events, in order per user.
 *
 * <p>A notification that carries the presence (a rich notification, decrypted by the platform) is applied at once. One
 * that carries only the user's id (a basic notification) puts the user on a list of users to read again; the list is
 * read with {@code getPresencesByUserId}, up to 650 users per request, one request at a time, so that a burst of
 * notifications costs few requests. A user notified again while a read of it is under way is read once more after it,
 * since the answer may predate the change. A rich notification for a user waiting to be read joins the read too, so
 * that an older answer never overwrites a newer notification. Used on the plugin's context only.
 */
final class ChangeFeed {

  private static final Logger LOG = System.getLogger(ChangeFeed.class.getName());

  private final PluginContext context;
  private final PresenceCache cache;
  private final GraphPresence graph;
  private final Publisher publisher;
  private final LinkedHashSet<String> toRead = new LinkedHashSet<>();
  private Set<String> reading = Set.of();
  private boolean stopped;
  /** {@code switchboard_presence_events_total{kind}}. */
  private final dev.switchboard.api.Meters.Counter notifiedMeter;
  private final dev.switchboard.api.Meters.Counter publishedMeter;

  ChangeFeed(PluginContext context, PresenceCache cache, GraphPresence graph, Publisher publisher) {
    this.context = context;
    this.cache = cache;
    this.graph = graph;
    this.publisher = publisher;
    String help = "Presence events: change notifications received (notified) and presence changes published";
    this.notifiedMeter = context.meters().counter("presence.events", help, "kind", "notified");
    this.publishedMeter = context.meters().counter("presence.events", help, "kind", "published");
  }

  /** One change notification of a presence subscription. */
  Future<Void> notified(JsonObject notification) {
    notifiedMeter.increment();
    JsonObject data = notification.getJsonObject("resourceData");
    String userId = data == null ? null : data.getString("id");
    if (userId == null) {
      userId = idOf(notification.getString("resource"));
    }
    if (userId == null) {
      LOG.log(Level.WARNING, "Ignored a presence notification that names no user: {0}", notification.getString("resource"));
      return Future.succeededFuture();
    }
    if (data != null && data.getString("availability") != null && data.getString("activity") != null
        && !toRead.contains(userId) && !reading.contains(userId)) {
      Presence presence = GraphPresence.fromGraph(data.copy().put("id", userId));
      Instant at = Instant.now();
      return ifPublisher(() -> apply(presence, at));
    }
    read(List.of(userId));
    return Future.succeededFuture();
  }

  /** Reads these users again from Graph (a start, a resync, a new watch). */
  void read(Collection<String> userIds) {
    toRead.addAll(userIds);
    pump();
  }

  /** Publishes nothing more (the plugin stops; the next version reads every user again). */
  void stop() {
    stopped = true;
  }

  private void pump() {
    if (stopped || !reading.isEmpty() || toRead.isEmpty()) {
      return;
    }
    List<String> batch = new ArrayList<>(Math.min(toRead.size(), PresenceCommand.MAX_IDS));
    Iterator<String> it = toRead.iterator();
    while (it.hasNext() && batch.size() < PresenceCommand.MAX_IDS) {
      batch.add(it.next());
      it.remove();
    }
    reading = Set.copyOf(batch);
    graph.batch(batch).onComplete(ar -> {
      if (ar.failed()) {
        reading = Set.of();
        LOG.log(Level.WARNING, "Could not read the presence of {0} users ({1}); retrying in 1 s", batch.size(),
            ar.cause().getMessage());
        toRead.addAll(batch);
        context.setTimer(1_000, t -> pump());
        return;
      }
      Instant now = Instant.now();
      ifPublisher(() -> ar.result().forEach(p -> apply(p, now))).onComplete(done -> {
        reading = Set.of();
        pump();
      });
    });
  }

  /** Runs {@code apply} if this version still publishes; else stops for good (the publishing version reads again). */
  private Future<Void> ifPublisher(Runnable apply) {
    return publisher.stillMine().map(mine -> {
      if (mine && !stopped) {
        apply.run();
      } else if (!stopped) {
        LOG.log(Level.INFO, "Presence {0}: a newer version publishes presence events now; this one stops",
            publisher.version());
        stopped = true;
      }
      return null;
    });
  }

  private void apply(Presence presence, Instant at) {
    if (stopped) {
      return;
    }
    cache.observe(presence, at).ifPresent(this::publish);
  }

  private void publish(PresenceChanged event) {
    context.publishKeyed(PresenceChanged.TOPIC, event.userId(), event.toJson());
    publishedMeter.increment();
  }

  /** The user id of {@code communications/presences/{id}}. */
  static String idOf(String resource) {
    if (resource == null) {
      return null;
    }
    int slash = resource.lastIndexOf('/');
    String id = resource.substring(slash + 1);
    return id.isBlank() || id.startsWith("presences") ? null : id;
  }
}
