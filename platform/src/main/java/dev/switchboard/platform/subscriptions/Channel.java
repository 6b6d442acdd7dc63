package dev.switchboard.platform.subscriptions;

import dev.switchboard.api.ChangeHandler;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue between Graph and the plugin handling one subscription: notifications wait here while no version
 * of the plugin is attached, and are handed over one at a time, in order. Used only on the manager's context.
 */
final class Channel {

  private static final Logger LOG = LoggerFactory.getLogger(Channel.class);
  static final int CAPACITY = 10_000;

  /**
   * A notification or a resync request, in arrival order. A notification being checked and decrypted holds its
   * place, {@code pending}, until it is {@linkplain #fill filled} or {@linkplain #cancel cancelled}.
   */
  static final class Item {
    private JsonObject notification;
    private final String resync;
    private boolean pending;
    /** Where the notification is written down until handled ({@link NotificationJournal}); null for none. */
    private String journalKey;

    private Item(JsonObject notification, String resync, boolean pending) {
      this.notification = notification;
      this.resync = resync;
      this.pending = pending;
    }

    JsonObject notification() {
      return notification;
    }

    String resync() {
      return resync;
    }
  }

  /** A plugin instance's handler and the context it runs on. */
  private record Attachment(ChangeHandler handler, Context context) {
  }

  private final ArrayDeque<Item> queue = new ArrayDeque<>();
  /** Every attached plugin instance, oldest first; the newest handles (an older one takes over if it leaves). */
  private final LinkedHashMap<Object, Attachment> attachments = new LinkedHashMap<>();
  private boolean busy;
  /** Told the journal key of each notification that was handled, refused or dropped. */
  private Consumer<String> handled = key -> { };

  /** Who is told, by journal key, when a notification leaves the channel for good. */
  void whenHandled(Consumer<String> handled) {
    this.handled = handled;
  }

  boolean attached() {
    return !attachments.isEmpty();
  }

  void attach(Object owner, ChangeHandler handler, Context context, Context managerContext) {
    attachments.remove(owner);
    attachments.put(owner, new Attachment(handler, context));
    pump(managerContext);
  }

  /** Detaches {@code owner}'s handler; the previously attached one, if any, handles again. */
  void detach(Object owner, Context managerContext) {
    if (attachments.remove(owner) != null) {
      pump(managerContext);
    }
  }

  /** The subscription is gone: drops what waits and detaches every handler. */
  void close() {
    queue.forEach(item -> handled.accept(item.journalKey));
    queue.clear();
    attachments.clear();
  }

  private Attachment current() {
    Attachment last = null;
    for (Attachment a : attachments.values()) {
      last = a;
    }
    return last;
  }

  /** A notification written down under {@code journalKey} (null: not written down), to hand over in turn. */
  void offer(JsonObject notification, String journalKey, Context managerContext) {
    Item item = new Item(notification, null, false);
    item.journalKey = journalKey;
    add(item, managerContext);
  }

  /** Keeps the place of a notification still being checked; nothing after it is handed over before it. */
  Item reserve(Context managerContext) {
    Item place = new Item(null, null, true);
    add(place, managerContext);
    return place;
  }

  /** The notification whose place {@code place} kept is ready, written down under {@code journalKey}. */
  void fill(Item place, JsonObject notification, String journalKey, Context managerContext) {
    place.notification = notification;
    place.journalKey = journalKey;
    place.pending = false;
    pump(managerContext);
  }

  /** The notification whose place {@code place} kept is refused: it is never handed over. */
  void cancel(Item place, Context managerContext) {
    queue.remove(place);
    place.pending = false;
    pump(managerContext);
  }

  void resync(String reason, Context managerContext) {
    add(new Item(null, reason, false), managerContext);
  }

  private void add(Item item, Context managerContext) {
    if (queue.size() >= CAPACITY) {
      Item dropped = queue.poll();
      handled.accept(dropped.journalKey);
      LOG.error("The queue of a subscription is full ({} waiting, no plugin handling them); dropped the oldest: {}",
          CAPACITY, dropped.notification() == null ? "resync" : dropped.notification().getString("resource"));
    }
    queue.add(item);
    pump(managerContext);
  }

  private void pump(Context managerContext) {
    Attachment attachment = current();
    if (busy || attachment == null || queue.isEmpty() || queue.peek().pending) {
      return;
    }
    Item item = queue.poll();
    busy = true;
    ChangeHandler target = attachment.handler();
    attachment.context().runOnContext(v -> {
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
        handled.accept(item.journalKey);
        busy = false;
        pump(managerContext);
      }));
    });
  }
}
