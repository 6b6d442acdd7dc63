package dev.switchboard.test.subscriber;

import dev.switchboard.api.ChangeHandler;
import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SubscriptionRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Test plugin: subscribes to call records and to the presence of {@code plugins.subscriber.presenceUser} (with
 * resource data when {@code plugins.subscriber.presenceResourceData} is true), and publishes what it gets to
 * {@code test.subscription.changed} and {@code test.subscription.resync}. With {@code plugins.subscriber.hold} true,
 * it never finishes handling a notification (a plugin stuck, or a server stopping, with notifications accepted).
 */
public class SubscriberPlugin implements Plugin {

  @Override
  public Future<Void> start(PluginContext context) {
    boolean hold = context.config().getBoolean("hold", false);
    ChangeHandler handler = new ChangeHandler() {
      @Override
      public Future<Void> changed(JsonObject notification) {
        context.eventBus().publish("test.subscription.changed", notification);
        return hold ? Promise.<Void>promise().future() : Future.succeededFuture();
      }

      @Override
      public Future<Void> resync(String reason) {
        context.eventBus().publish("test.subscription.resync", new JsonObject().put("reason", reason));
        return Future.succeededFuture();
      }
    };
    context.subscribe(new SubscriptionRequest("/communications/callRecords", List.of("created")), handler);
    String user = context.config().getString("presenceUser");
    if (user != null) {
      SubscriptionRequest presence = new SubscriptionRequest("/communications/presences/" + user, List.of("updated"));
      boolean resourceData = context.config().getBoolean("presenceResourceData", false);
      context.subscribe(resourceData ? presence.withResourceData() : presence, handler);
    }
    return Future.succeededFuture();
  }
}
