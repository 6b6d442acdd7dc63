package dev.switchboard.test.recorder;

import dev.switchboard.api.CallNotifications;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Test plugin: owns calls on {@link CallNotifications#ADDRESS} and publishes every notification it gets to the
 * local address {@code test.calls.recorded} ({@code tenantId}, {@code callId}, {@code receivedAt},
 * {@code notification}, {@code handledBy}), so that tests and benchmarks see what reached a plugin. Anything that
 * is not a Graph notification goes to {@code test.calls.other}. Releases a call when Graph reports it deleted.
 * With {@code plugins.recorder.publish: count} (benchmarks), the recorded message carries only {@code callId} and
 * {@code handledBy}: publishing the whole notification on the local bus deep-copies it for the harness's consumer.
 */
public class RecorderPlugin implements Plugin {

  @Override
  public Future<Void> start(PluginContext context) {
    boolean countOnly = "count".equals(context.config().getString("publish"));
    context.keyedConsumer(CallNotifications.ADDRESS, message -> {
      if (!(message instanceof KeyedMessage.Notification n)) {
        context.eventBus().publish("test.calls.other", new JsonObject().put("callId", message.key())
            .put("kind", message.getClass().getSimpleName()).put("handledBy", context.version()));
        return Future.succeededFuture();
      }
      JsonObject notification = n.notification();
      context.eventBus().publish("test.calls.recorded", countOnly
          ? new JsonObject().put("callId", n.key()).put("handledBy", context.version())
          : new JsonObject().put("tenantId", n.tenantId()).put("callId", n.key())
              .put("receivedAt", n.receivedAt().toString()).put("notification", notification)
              .put("handledBy", context.version()));
      if ("deleted".equals(notification.getString("changeType"))
          && notification.getString("resourceUrl", "").matches("/communications/calls/[^/]+")) {
        context.releaseKey(CallNotifications.ADDRESS, message.key());
      }
      return Future.succeededFuture();
    });
    return Future.succeededFuture();
  }
}
