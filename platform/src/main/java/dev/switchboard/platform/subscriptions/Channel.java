package dev.switchboard.platform.subscriptions;

import dev.switchboard.api.ChangeHandler;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue between Graph and the plugin handling one subscription: notifications wait here while no version
 * of the plugin is attached, and are handed over one at a time, in order. Used only on the manager's context.
 */
final class Channel {

  private static final Logger LOG = LoggerFactory.getLogger(Channel.class);
  static final int CAPACITY = 10_000;

  /** A notification or a resync request, in arrival order. */
  private record Item(JsonObject notification, String resync) {
  }

  private final ArrayDeque<Item> queue = new ArrayDeque<>();
  private ChangeHandler handler;
  private Context handlerContext;
  private Object owner;
  private boolean busy;

  boolean attached() {
    return handler != null;
  }

  void attach(Object owner, ChangeHandler handler, Context context, ContextInternal managerContext) {
    this.owner = owner;
    this.handler = handler;
    this.handlerContext = context;
    pump(managerContext);
  }

  /** Detaches {@code owner}'s handler if it is the current one. */
  void detach(Object owner) {
    if (this.owner == owner) {
      this.owner = null;
      this.handler = null;
      this.handlerContext = null;
    }
  }

  void offer(JsonObject notification, ContextInternal managerContext) {
    add(new Item(notification, null), managerContext);
  }

  void resync(String reason, ContextInternal managerContext) {
    add(new Item(null, reason), managerContext);
  }

  private void add(Item item, ContextInternal managerContext) {
    if (queue.size() >= CAPACITY) {
      Item dropped = queue.poll();
      LOG.error("The queue of a subscription is full ({} waiting, no plugin handling them); dropped the oldest: {}",
          CAPACITY, dropped.notification() == null ? "resync" : dropped.notification().getString("resource"));
    }
    queue.add(item);
    pump(managerContext);
  }

  private void pump(ContextInternal managerContext) {
    if (busy || handler == null || queue.isEmpty()) {
      return;
    }
    Item item = queue.poll();
    busy = true;
    ChangeHandler target = handler;
    handlerContext.runOnContext(v -> {
      Future<Void> done;
      try {
        done = item.notification() != null ? target.changed(item.notification()) : target.resync(item.resync());
      } catch (RuntimeException e) {
        done = Future.failedFuture(e);
      }
      (done == null ? Future.<Void>succeededFuture() : done).onComplete(ar -> managerContext.runOnContext(x -> {
        if (ar.failed()) {
          LOG.error("A plugin failed to handle a change notification ({}): {}", item.notification() == null
              ? "resync" : item.notification().getString("resource"), ar.cause().toString());
        }
        busy = false;
        pump(managerContext);
      }));
    });
  }
}
