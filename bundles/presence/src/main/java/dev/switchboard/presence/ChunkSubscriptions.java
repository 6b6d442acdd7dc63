package dev.switchboard.presence;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import dev.switchboard.api.ChangeHandler;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.Registration;
import dev.switchboard.api.SubscriptionRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One presence subscription per chunk of watched users
 * ({@code /communications/presences?$filter=id in ('a','b',...)}, {@code updated}, with resource data). The platform
 * creates, renews (presence: at most 60 minutes) and keeps them across updates; this class attaches to the chunks'
 * subscriptions and deletes those of chunks that no longer exist. Used on the plugin's context only.
 */
final class ChunkSubscriptions {

  private static final Logger LOG = System.getLogger(ChunkSubscriptions.class.getName());

  private final PluginContext context;
  private final ChangeFeed feed;
  private final Map<SubscriptionRequest, Registration> attached = new HashMap<>();

  ChunkSubscriptions(PluginContext context, ChangeFeed feed) {
    this.context = context;
    this.feed = feed;
  }

  /** Attaches to the subscription of every chunk; deletes the ones this instance attached to for other chunks. */
  Future<Void> follow(List<List<String>> chunks) {
    Set<SubscriptionRequest> wanted = chunks.stream().map(ChunkSubscriptions::request).collect(Collectors.toSet());
    List<Future<Void>> deletions = new java.util.ArrayList<>();
    for (SubscriptionRequest old : new HashSet<>(attached.keySet())) {
      if (!wanted.contains(old)) {
        attached.remove(old).close();
        deletions.add(context.unsubscribe(old).onFailure(e -> LOG.log(Level.WARNING, "Could not delete the subscription to {0}: {1}",
            old.resource(), e.getMessage())));
      }
    }
    for (List<String> chunk : chunks) {
      SubscriptionRequest request = request(chunk);
      if (!attached.containsKey(request)) {
        attached.put(request, context.subscribe(request, new ChangeHandler() {
          @Override
          public Future<Void> changed(JsonObject notification) {
            return feed.notified(notification);
          }

          @Override
          public Future<Void> resync(String reason) {
            LOG.log(Level.INFO, "Reading the presence of {0} watched users again: {1}", chunk.size(), reason);
            feed.read(chunk);
            return Future.succeededFuture();
          }
        }));
        readWhenCreated(request, chunk, 0);
      }
    }
    return Future.join(deletions).mapEmpty();
  }

  /**
   * Reads the chunk's users again once Graph lists the chunk's subscription: the platform creates it after this
   * plugin's first read, and a change in between was never notified. (When the subscription already existed, e.g.
   * after an update, the first poll finds it and the read changes nothing.) Polls {@code GET /subscriptions} every
   * 250 ms, for at most 30 s.
   */
  private void readWhenCreated(SubscriptionRequest request, List<String> chunk, int attempt) {
    context.graph().get("/subscriptions").onComplete(ar -> {
      if (!attached.containsKey(request)) {
        return;
      }
      boolean exists = ar.succeeded() && ar.result().body().getJsonArray("value", new JsonArray()).stream()
          .map(JsonObject.class::cast).anyMatch(s -> sameResource(s.getString("resource"), request.resource()));
      if (exists) {
        feed.read(chunk);
      } else if (attempt < 120) {
        context.setTimer(250, t -> readWhenCreated(request, chunk, attempt + 1));
      } else {
        LOG.log(Level.WARNING, "The presence subscription of {0} watched users was not created within 30 s (see GET "
            + "/admin/subscriptions); a change before it exists shows at the user''s next change", chunk.size());
      }
    });
  }

  private static boolean sameResource(String listed, String asked) {
    return listed != null && listed.replaceFirst("^/", "").equals(asked.replaceFirst("^/", ""));
  }

  /** Deletes the subscriptions of {@code chunks} that are not followed (chunks of an earlier run). */
  Future<Void> deleteOthers(List<List<String>> chunks) {
    return Future.join(chunks.stream().map(ChunkSubscriptions::request).filter(r -> !attached.containsKey(r))
        .map(r -> context.unsubscribe(r)).toList()).mapEmpty();
  }

  int size() {
    return attached.size();
  }

  /** The subscription of one chunk. */
  static SubscriptionRequest request(List<String> chunk) {
    String ids = chunk.stream().map(id -> "'" + id.replace("'", "''") + "'").collect(Collectors.joining(","));
    return new SubscriptionRequest("/communications/presences?$filter=id in (" + ids + ")", List.of("updated"))
        .withResourceData();
  }
}
