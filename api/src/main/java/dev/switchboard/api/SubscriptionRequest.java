package dev.switchboard.api;

import java.util.List;
import java.util.Objects;

/**
 * A Graph change-notification subscription a plugin needs, e.g.
 * {@code new SubscriptionRequest("/communications/callRecords", List.of("created"))}. The platform creates it,
 * renews it before it expires (within the resource's maximum lifetime), answers Graph's lifecycle events, keeps
 * it while the plugin is updated, and deletes it when the plugin's bundle is uninstalled.
 *
 * <p><b>Resource data</b> ({@link #withResourceData()}, Graph's "rich notifications", e.g. for presence): the platform
 * asks Graph to include the changed resource, encrypted for this server. It creates the encryption certificate, keeps
 * it in the data folder and rotates it; it checks every notification's validation tokens and the signature of its
 * encrypted content, decrypts it, and hands {@link ChangeHandler#changed} the notification with the decrypted
 * resource as its {@code resourceData} (and no {@code encryptedContent}). A notification that fails any of these
 * checks is refused and counted, and never reaches the handler.
 *
 * @param resource the Graph resource path, as in Graph's {@code resource} property
 * @param changeTypes {@code created}, {@code updated}, {@code deleted}
 * @param includeResourceData whether notifications carry the changed resource (see above)
 * @since 2.2.0 ({@code includeResourceData})
 */
public record SubscriptionRequest(String resource, List<String> changeTypes, boolean includeResourceData) {

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

  /** A subscription whose notifications carry only the changed resource's id (Graph's basic notifications). */
  public SubscriptionRequest(String resource, List<String> changeTypes) {
    this(resource, changeTypes, false);
  }

  /** The same subscription, with notifications that carry the changed resource, decrypted (see above). */
  public SubscriptionRequest withResourceData() {
    return new SubscriptionRequest(resource, changeTypes, true);
  }
}
