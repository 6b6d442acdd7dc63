package dev.switchboard.api;

/**
 * Where the platform delivers Graph's calling notifications ({@code commsNotifications} POSTed to
 * {@code /callbacks/calling}) after validating them.
 *
 * <p>Each notification of a batch is sent, in the order received, to the keyed address {@link #ADDRESS} with
 * the call id as the key (parsed from its {@code resourceUrl}, so notifications about a call's participants and
 * operations go to the call's owner too). A plugin consumes them with
 * {@link PluginContext#keyedConsumer(String, KeyedHandler)}. The message body is:
 * <pre>{@code
 * {
 *   "tenantId": "<tid claim of the callback's token>",
 *   "callId": "<call id>",
 *   "receivedAt": "<ISO-8601 instant the platform accepted the batch>",
 *   "notification": { ...one commsNotification exactly as Graph sent it... }
 * }
 * }</pre>
 */
public final class CallNotifications {

  /** The keyed address of calling notifications; the key is the call id. */
  public static final String ADDRESS = "switchboard.graph.calls";

  private CallNotifications() {
  }
}
