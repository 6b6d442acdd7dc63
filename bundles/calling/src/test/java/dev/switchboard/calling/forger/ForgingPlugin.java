package dev.switchboard.calling.forger;

import dev.switchboard.api.CallNotifications;
import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A test plugin that tries to pass a body off as a Graph notification: for each {@code {"callId", "body"}} requested
 * on {@link #ADDRESS} it sends {@code body} to the call's owner on the calling address with
 * {@link PluginContext#sendToKey}, and replies what the owner replied (or fails as it failed).
 */
public class ForgingPlugin implements Plugin {

  public static final String ADDRESS = "test.forger.forge";

  @Override
  public Future<Void> start(PluginContext context) {
    context.<JsonObject>consumer(ADDRESS, m -> context.sendToKey(CallNotifications.ADDRESS,
        m.body().getString("callId"), m.body().getJsonObject("body")).onComplete(ar -> {
          if (ar.succeeded()) {
            m.reply(ar.result());
          } else {
            SwitchboardException e = SwitchboardException.from(ar.cause());
            m.fail(e.status(), e.toJson().encode());
          }
        }));
    return Future.succeededFuture();
  }
}
