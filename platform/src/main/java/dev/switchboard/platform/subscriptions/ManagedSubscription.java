package dev.switchboard.platform.subscriptions;

import dev.switchboard.api.SubscriptionRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * One Graph subscription the platform keeps for a plugin: what was asked, what Graph gave, and what has
 * happened since. Mutated only on the subscription manager's context.
 */
final class ManagedSubscription {

  final String plugin;
  final SubscriptionRequest request;
  String graphId;
  String clientState;
  Instant expiration;
  Instant lastNotificationAt;
  long notifications;
  long clientStateMismatches;
  /** Notifications with resource data refused (validation token, signature, decryption). */
  long resourceDataRefusals;
  /** The certificate Graph encrypts this subscription's resource data for; null without resource data. */
  String encryptionCertificateId;
  /**
   * {@code creating}, {@code stored} (read back at start, not yet checked), {@code active} or {@code failing}: a
   * bounded set, a label of {@code switchboard_subscriptions}. Set through {@link #status(String)}.
   */
  String status = "creating";
  /** Why it is {@code failing} (what Graph or the network answered); {@code null} in any other status. */
  String failure;
  long timer = -1;
  boolean verified;
  final Channel channel = new Channel();

  ManagedSubscription(String plugin, SubscriptionRequest request) {
    this.plugin = plugin;
    this.request = request;
  }

  /** What identifies it across restarts: plugin, resource, change types and whether it carries resource data. */
  String key() {
    return key(plugin, request);
  }

  static String key(String plugin, SubscriptionRequest request) {
    return plugin + "|" + request.resource() + "|" + String.join(",", request.changeTypes())
        + (request.includeResourceData() ? "|resourceData" : "");
  }

  /** Moves to {@code status}, which is not {@code failing}. */
  void status(String status) {
    this.status = status;
    this.failure = null;
  }

  /** Moves to {@code failing} because of {@code why}. */
  void failing(String why) {
    this.status = "failing";
    this.failure = why;
  }

  /** The persisted form. */
  JsonObject toStored() {
    return new JsonObject().put("plugin", plugin).put("resource", request.resource())
        .put("changeTypes", new JsonArray(request.changeTypes())).put("id", graphId).put("clientState", clientState)
        .put("expirationDateTime", expiration == null ? null : expiration.toString())
        .put("includeResourceData", request.includeResourceData())
        .put("encryptionCertificateId", encryptionCertificateId);
  }

  static ManagedSubscription fromStored(JsonObject json) {
    ManagedSubscription s = new ManagedSubscription(json.getString("plugin"), new SubscriptionRequest(
        json.getString("resource"), json.getJsonArray("changeTypes").stream().map(String::valueOf).toList(),
        json.getBoolean("includeResourceData", false)));
    s.encryptionCertificateId = json.getString("encryptionCertificateId");
    s.graphId = json.getString("id");
    s.clientState = json.getString("clientState");
    String expiration = json.getString("expirationDateTime");
    s.expiration = expiration == null ? null : Instant.parse(expiration);
    s.status("stored");
    return s;
  }

  /** What {@code GET /admin/subscriptions} shows (never the client state). */
  JsonObject toAdmin() {
    return new JsonObject().put("id", graphId).put("plugin", plugin).put("resource", request.resource())
        .put("changeTypes", new JsonArray(List.copyOf(request.changeTypes()))).put("status", status)
        .put("failure", failure)
        .put("expirationDateTime", expiration == null ? null : expiration.toString())
        .put("lastNotificationAt", lastNotificationAt == null ? null : lastNotificationAt.toString())
        .put("notifications", notifications).put("clientStateMismatches", clientStateMismatches)
        .put("includeResourceData", request.includeResourceData())
        .put("encryptionCertificateId", encryptionCertificateId).put("resourceDataRefusals", resourceDataRefusals)
        .put("handlerAttached", channel.attached());
  }
}
