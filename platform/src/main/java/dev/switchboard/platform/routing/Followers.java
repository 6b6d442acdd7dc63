package dev.switchboard.platform.routing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which plugins follow which topic, and into which of their keyed addresses. A plugin follows a topic once however
 * many of its versions asked (each asks, each undoes), so an event reaches it once. Thread-safe; reads are a
 * snapshot, cheap enough for every publication.
 */
final class Followers {

  /** Plugin {@code plugin} follows into its keyed address {@code address}. */
  record Follower(String plugin, String address) {
  }

  private final Map<String, Map<Follower, Integer>> byTopic = new ConcurrentHashMap<>();
  private final Map<String, List<Follower>> snapshots = new ConcurrentHashMap<>();

  void add(String topic, String plugin, String address) {
    byTopic.compute(topic, (t, followers) -> {
      Map<Follower, Integer> next = followers == null ? new ConcurrentHashMap<>() : followers;
      next.merge(new Follower(plugin, address), 1, Integer::sum);
      snapshots.put(t, List.copyOf(next.keySet()));
      return next;
    });
  }

  void remove(String topic, String plugin, String address) {
    byTopic.computeIfPresent(topic, (t, followers) -> {
      followers.computeIfPresent(new Follower(plugin, address), (f, n) -> n > 1 ? n - 1 : null);
      snapshots.put(t, List.copyOf(followers.keySet()));
      return followers.isEmpty() ? null : followers;
    });
  }

  List<Follower> of(String topic) {
    return snapshots.getOrDefault(topic, List.of());
  }
}
