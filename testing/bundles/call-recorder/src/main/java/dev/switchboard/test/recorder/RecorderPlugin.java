package dev.switchboard.test.recorder;

import dev.switchboard.api.CallNotifications;
import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Test plugin: owns calls on {@link CallNotifications#ADDRESS} and publishes every notification it gets to the
 * local address {@code test.calls.recorded}, so that tests and benchmarks see what reached a plugin. Releases a
 * call when Graph reports it deleted.
 */
public class RecorderPlugin implements Plugin {

  @Override
  public Future<Void> start(PluginContext context) {
    context.keyedConsumer(CallNotifications.ADDRESS, message -> {
      JsonObject body = message.body();
      context.eventBus().publish("test.calls.recorded", body.copy().put("handledBy", context.version()));
      JsonObject notification = body.getJsonObject("notification", new JsonObject());
      if ("deleted".equals(notification.getString("changeType"))
          && notification.getString("resourceUrl", "").matches("/communications/calls/[^/]+")) {
        context.releaseKey(CallNotifications.ADDRESS, message.key());
      }
      return Future.succeededFuture();
    });
    return Future.succeededFuture();
  }
}
