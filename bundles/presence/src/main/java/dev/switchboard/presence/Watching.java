package dev.switchboard.presence;

import dev.switchboard.api.presence.Watches;
import io.vertx.core.Future;
import java.util.List;

/**
 * Watches users: the {@link WatchList}, the {@link ChunkSubscriptions} that follow it, the first read of a new user
 * and the forgetting of one no longer watched. Used on the plugin's context only.
 */
final class Watching {

  private final WatchList list;
  private final ChunkSubscriptions subscriptions;
  private final ChangeFeed feed;
  private final PresenceCache cache;

  Watching(WatchList list, ChunkSubscriptions subscriptions, ChangeFeed feed, PresenceCache cache) {
    this.list = list;
    this.subscriptions = subscriptions;
    this.feed = feed;
    this.cache = cache;
  }

  /**
   * Loads the watches, attaches to their subscriptions, deletes the subscriptions of chunks that are gone, and reads
   * every watched user once (what changed while no version ran becomes an event).
   */
  Future<Void> start() {
    return list.load().compose(v -> subscriptions.follow(list.chunks()))
        .compose(v -> subscriptions.deleteOthers(list.storedChunks()))
        .onSuccess(v -> feed.read(list.watched()));
  }

  Future<Watches> add(List<String> userIds) {
    return list.add(userIds).compose(fresh -> subscriptions.follow(list.chunks()).map(v -> {
      feed.read(fresh);
      return list.describe();
    }));
  }

  Future<Watches> remove(List<String> userIds) {
    return list.remove(userIds).compose(gone -> subscriptions.follow(list.chunks()).map(v -> {
      cache.forget(gone);
      return list.describe();
    }));
  }

  Watches describe() {
    return list.describe();
  }
}
