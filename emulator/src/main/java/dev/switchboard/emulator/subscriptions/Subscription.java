package dev.switchboard.emulator.subscriptions;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * One change-notification subscription: the Graph {@code subscription} resource plus the
 * emulator's bookkeeping. Times are emulated. Used on the emulator's event-loop context only.
 */
final class Subscription {

  /** Where a subscription is in its life. Only {@code ACTIVE} ones exist for Graph. */
  enum State {
    ACTIVE("active"),
    /** Its expirationDateTime passed. */
    EXPIRED("expired"),
    /** The bot deleted it. */
    DELETED("deleted"),
    /** Removed by a {@code subscriptionRemoved} lifecycle event. */
    REMOVED("removed");

    final String json;

    State(String json) {
      this.json = json;
    }
  }

  /** Graph's date format: UTC with 100-ns ticks, as in {@code 2016-11-20T18:23:45.9356913Z}. */
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);

  final String id = UUID.randomUUID().toString();
  final String resource;
  final SubscribedResource watched;
  final List<String> changeTypes;
  final String clientState;
  final String lifecycleNotificationUrl;
  final String latestSupportedTlsVersion;
  final String applicationId;
  final String creatorId;
  final Instant created;
  /** The certificate resource data is encrypted with (replaced by a PATCH); null for a basic subscription. */
  EncryptionCertificate encryption;

  String notificationUrl;
  Instant expiration;
  /** Start of the current lifetime: creation or the last renewal. */
  Instant lifetimeStart;
  State state = State.ACTIVE;
  Instant ended;
  boolean reauthorizationRequiredSent;
  int renewals;
  int reauthorizations;
  int notifications;
  Instant lastNotification;
  long expiryTimer = -1;
  long reauthorizationTimer = -1;

  Subscription(String resource, SubscribedResource watched, List<String> changeTypes, String notificationUrl,
      String lifecycleNotificationUrl, String clientState, String latestSupportedTlsVersion, Instant expiration,
      String applicationId, String creatorId, Instant now, EncryptionCertificate encryption) {
    this.resource = resource;
    this.watched = watched;
    this.changeTypes = List.copyOf(changeTypes);
    this.notificationUrl = notificationUrl;
    this.lifecycleNotificationUrl = lifecycleNotificationUrl;
    this.clientState = clientState;
    this.latestSupportedTlsVersion = latestSupportedTlsVersion;
    this.expiration = expiration;
    this.applicationId = applicationId;
    this.creatorId = creatorId;
    this.created = now;
    this.lifetimeStart = now;
    this.encryption = encryption;
  }

  /** Whether notifications carry the resource encrypted ({@code includeResourceData: true}). */
  boolean includesResourceData() {
    return encryption != null;
  }

  boolean active() {
    return state == State.ACTIVE;
  }

  /** The Graph resource, as create, get, list and update return it. */
  JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("resource", resource)
        .put("applicationId", applicationId)
        .put("changeType", String.join(",", changeTypes))
        .put("clientState", clientState)
        .put("notificationUrl", notificationUrl)
        .put("notificationQueryOptions", null)
        .put("lifecycleNotificationUrl", lifecycleNotificationUrl)
        .put("expirationDateTime", format(expiration))
        .put("creatorId", creatorId)
        .put("includeResourceData", includesResourceData())
        .put("latestSupportedTlsVersion", latestSupportedTlsVersion)
        .put("encryptionCertificate", encryption == null ? null : encryption.base64())
        .put("encryptionCertificateId", encryption == null ? null : encryption.id())
        .put("notificationUrlAppId", null)
        .put("notificationContentType", "application/json");
  }

  /** The control API's view: the resource plus its state and history. */
  JsonObject describe() {
    return toJson()
        .put("state", state.json)
        .put("createdDateTime", format(created))
        .put("lifetimeStartDateTime", format(lifetimeStart))
        .put("endedDateTime", ended == null ? null : format(ended))
        .put("renewals", renewals)
        .put("reauthorizations", reauthorizations)
        .put("reauthorizationRequiredSent", reauthorizationRequiredSent)
        .put("notifications", notifications)
        .put("lastNotificationDateTime", lastNotification == null ? null : format(lastNotification));
  }

  /** A change or lifecycle notification's common part (graph-reference §8.3, §8.5). */
  JsonObject notificationBase(String tenantId) {
    return new JsonObject()
        .put("subscriptionId", id)
        .put("subscriptionExpirationDateTime", format(expiration))
        .put("clientState", clientState)
        .put("tenantId", tenantId)
        .put("organizationId", tenantId);
  }

  static String format(Instant t) {
    return DATE.format(t);
  }
}
