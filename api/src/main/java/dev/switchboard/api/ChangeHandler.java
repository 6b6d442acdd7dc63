package dev.switchboard.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Receives the change notifications of a Graph subscription a plugin asked for with
 * {@link PluginContext#subscribe(SubscriptionRequest, ChangeHandler)}.
 *
 * <p>Called on the plugin's context, one notification at a time per subscription, in the order Graph delivered
 * them; the next is delivered once the returned future completes. Notifications that arrive while no version
 * of the plugin is running (during an update) wait for the next version.
 */
public interface ChangeHandler {

  /**
   * One change notification, exactly as Graph sent it (an item of its {@code value} array: {@code changeType},
   * {@code resource}, {@code resourceData}, {@code subscriptionId}, ...), after its {@code clientState} matched.
   */
  Future<Void> changed(JsonObject notification);

  /**
   * Notifications may have been lost: Graph sent a {@code missed} lifecycle event, or the subscription was
   * removed by Graph and created again. The plugin should read the resource's current state again.
   *
   * @param reason {@code missed} or {@code subscriptionRemoved}
   */
  default Future<Void> resync(String reason) {
    return Future.succeededFuture();
  }
}
