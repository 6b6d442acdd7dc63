package dev.switchboard.api;

import java.util.List;
import java.util.Objects;

/**
 * A Graph change-notification subscription a plugin needs, e.g.
 * {@code new SubscriptionRequest("/communications/callRecords", List.of("created"))}. The platform creates it,
 * renews it before it expires (within the resource's maximum lifetime), answers Graph's lifecycle events, keeps
 * it while the plugin is updated, and deletes it when the plugin's bundle is uninstalled.
 *
 * @param resource the Graph resource path, as in Graph's {@code resource} property
 * @param changeTypes {@code created}, {@code updated}, {@code deleted}
 */
public record SubscriptionRequest(String resource, List<String> changeTypes) {

  public SubscriptionRequest {
    Objects.requireNonNull(resource, "resource");
    changeTypes = List.copyOf(changeTypes);
    if (changeTypes.isEmpty()) {
      throw new IllegalArgumentException("a subscription needs at least one change type");
    }
    for (String type : changeTypes) {
      if (!List.of("created", "updated", "deleted").contains(type)) {
        throw new IllegalArgumentException("change type must be created, updated or deleted, not " + type);
      }
    }
  }
}
