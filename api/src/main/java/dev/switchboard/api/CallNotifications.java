package dev.switchboard.api;

/**
 * Where the platform delivers Graph's calling notifications ({@code commsNotifications} POSTed to
 * {@code /callbacks/calling}) after validating them.
 *
 * <p>Each notification of a batch is delivered, in the order received, to the owner of the call's key on the keyed
 * address {@link #ADDRESS} (the key is the call id, parsed from its {@code resourceUrl}, so notifications about a
 * call's participants and operations go to the call's owner too) as a {@link KeyedMessage.Notification}. The calling
 * bundle consumes this address with {@link PluginContext#keyedConsumer(String, KeyedHandler)}. Anything else sent to
 * the address arrives as a {@link KeyedMessage.Command}: no bundle can pass a message off as a Graph notification.
 */
public final class CallNotifications {

  /** The keyed address of calling notifications; the key is the call id. */
  public static final String ADDRESS = "switchboard.graph.calls";

  private CallNotifications() {
  }
}
