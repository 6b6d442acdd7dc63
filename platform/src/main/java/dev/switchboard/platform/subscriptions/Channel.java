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
 *
 * <p>A notification whose handler fails (its future fails, or it throws) is handed over again, to the plugin version
 * attached then, after a wait that doubles from {@code retryInitialMs}, up to {@value #ATTEMPTS} attempts in all;
 * the notifications after it wait meanwhile (order is kept). If it still fails, it is left written down in the
 * journal (handed over again after a restart) and the next ones go on. A failed resync is not tried again.
 */
final class Channel {

  private static final Logger LOG = LoggerFactory.getLogger(Channel.class);
  static final int CAPACITY = 10_000;
  /** Attempts to hand a notification over before it is left to the journal for the next start. */
  static final int ATTEMPTS = 5;

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
    /** Handler failures so far. */
    private int failures;

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
  private boolean closed;
  /** Told the journal key of each notification that was handled, refused or dropped. */
  private Consumer<String> handled = key -> { };
  private final long retryInitialMs;

  Channel() {
    this(1_000);
  }

  /** @param retryInitialMs the wait before a notification whose handler failed is handed over again (doubling) */
  Channel(long retryInitialMs) {
    this.retryInitialMs = retryInitialMs;
  }

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
    closed = true;
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
        if (ar.succeeded()) {
          handled.accept(item.journalKey);
        } else if (!failed(item, ar.cause(), managerContext)) {
          return;
        }
        busy = false;
        pump(managerContext);
      }));
    });
  }

  /**
   * The handler of {@code item} failed: hands it over again later (returns false: the channel stays busy until
   * then), or gives up on it for this run (returns true), leaving a notification written down for the next start.
   */
  private boolean failed(Item item, Throwable cause, Context managerContext) {
    String what = item.notification() == null ? "resync " + item.resync() : item.notification().getString("resource");
    item.failures++;
    if (closed) {
      handled.accept(item.journalKey);
      return true;
    }
    if (item.notification() == null) {
      LOG.error("A plugin failed to resync ({}): {}", what, cause.toString());
      return true;
    }
    if (item.failures >= ATTEMPTS) {
      LOG.error("A plugin failed to handle a change notification ({}) {} times, the last: {}. It stays written down"
          + " and is handed over again after a restart; the next notifications go on.", what, item.failures,
          cause.toString());
      return true;
    }
    long wait = retryInitialMs << (item.failures - 1);
    LOG.warn("A plugin failed to handle a change notification ({}): {}. Handing it over again in {} ms (attempt {} of"
        + " {}); the notifications after it wait.", what, cause.toString(), wait, item.failures + 1, ATTEMPTS);
    managerContext.owner().setTimer(wait, t -> managerContext.runOnContext(x -> {
      busy = false;
      if (closed) {
        handled.accept(item.journalKey);
      } else {
        queue.addFirst(item);
      }
      pump(managerContext);
    }));
    return false;
  }
}
