package dev.switchboard.platform.routing;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing of one keyed address: its members (plugin instances, newest last), and for each live key its
 * owner, its queue, its timers and whether a message is in flight. Every field is touched only on the router's
 * own context, so there are no locks; handlers run on their plugin's context and report back here.
 */
final class AddressRouting {

  private static final Logger LOG = LoggerFactory.getLogger(AddressRouting.class);

  /** Where the outcome of a message goes: a bus sender, a local promise, or nowhere (timers, events). */
  interface Outcome {
    void complete(AsyncResult<JsonObject> result);

    Outcome NONE = result -> { };

    static Outcome of(Promise<JsonObject> promise) {
      return promise::handle;
    }

    static Outcome of(Message<?> message) {
      return result -> {
        if (result.succeeded()) {
          message.reply(result.result() == null ? new JsonObject() : result.result());
        } else {
          SwitchboardException e = SwitchboardException.from(result.cause());
          message.fail(e.status(), e.toJson().encode());
        }
      };
    }
  }

  /** A message waiting for, or being handled by, its key's owner. */
  private record Pending(KeyedMessage message, Outcome outcome) {
  }

  /** A key timer: due at {@code dueAt}, armed as the Vert.x timer {@code timerId}. */
  private record KeyTimer(String name, JsonObject payload, Instant dueAt, long timerId) {
  }

  private static final class KeyState {
    final String key;
    final ArrayDeque<Pending> queue = new ArrayDeque<>();
    final Map<String, KeyTimer> timers = new HashMap<>(2);
    Member owner;
    boolean inFlight;
    boolean releaseAfterFlight;
    long waitTimer = -1;

    KeyState(String key) {
      this.key = key;
    }

    boolean idle() {
      return owner == null && !inFlight && queue.isEmpty() && timers.isEmpty();
    }
  }

  /** What the router learns of this address's keys, on the routing context. */
  interface Keys {
    /** This address starts holding state for {@code key}. */
    void opened(String key);

    /** This address holds nothing more of {@code key}. */
    void closed(String key);

    /** Whether a handler may be given a message for {@code key} now (false on a fenced cluster member). */
    boolean mayAct(String key);

    /**
     * When {@link #mayAct} is false: whether {@code key}'s work waits here (a cluster member whose lease lapsed holds
     * its keys' queues and due timers until it knows whether they are still its own) rather than failing.
     */
    boolean holds(String key);
  }

  /** A message taken back out of routing, with where its outcome goes. */
  record Held(KeyedMessage message, Outcome outcome) {
  }

  private final String address;
  private final Context context;
  private final Keys keyEvents;
  private final Duration ownerWait;
  private final TimerJournal journal;
  private final List<Member> members = new CopyOnWriteArrayList<>();
  private final Map<String, KeyState> keys = new HashMap<>();
  /** Messages waiting in the keys' queues (not in flight); written on the routing context, read by metrics. */
  volatile int queued;
  /** The plugin name that consumes this address; written under the router's lock. */
  volatile String pluginName;

  AddressRouting(String address, Context context, Duration ownerWait, TimerJournal journal, Keys keyEvents) {
    this.address = address;
    this.keyEvents = keyEvents;
    this.context = context;
    this.ownerWait = ownerWait;
    this.journal = journal;
  }

  /**
   * The command a message from the event bus carries (whoever sent it, it is a command with no verified sender), or
   * {@code null} after failing a message that carries none.
   */
  KeyedMessage.Command commandOf(Message<Object> message) {
    String key = message.headers().get(KeyedMessage.KEY_HEADER);
    if (key == null || key.isEmpty()) {
      Outcome.of(message).complete(Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "missingKey",
          "A message to keyed address " + address + " needs the header " + KeyedMessage.KEY_HEADER)));
      return null;
    }
    if (!(message.body() instanceof JsonObject body)) {
      Outcome.of(message).complete(Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidBody",
          "A message to keyed address " + address + " must be a JSON object")));
      return null;
    }
    return new KeyedMessage.Command(address, key, null, body);
  }

  /** Accepts a message from inside the server (ingress, sendToKey, a followed topic). */
  void enqueue(KeyedMessage message, Outcome outcome) {
    KeyState ks = keyState(message.key());
    ks.queue.add(new Pending(message, outcome));
    queued++;
    pump(ks);
  }

  private KeyState keyState(String key) {
    KeyState ks = keys.get(key);
    if (ks == null) {
      ks = new KeyState(key);
      keys.put(key, ks);
      keyEvents.opened(key);
    }
    return ks;
  }

  /**
   * Takes {@code key} out of routing here without acting on it, for its work to go to the key's owner elsewhere: its
   * queued messages, in order (key timers that came due while held stay behind: they fire on the owner, which arms
   * them from the journal), and its timers stop here (their journal entries stay).
   */
  List<Held> takeBack(String key) {
    KeyState ks = keys.get(key);
    if (ks == null) {
      return List.of();
    }
    ks.timers.values().forEach(t -> context.owner().cancelTimer(t.timerId()));
    ks.timers.clear();
    List<Held> taken = new ArrayList<>();
    Pending p;
    while ((p = ks.queue.poll()) != null) {
      queued--;
      if (!(p.message() instanceof KeyedMessage.Timer)) {
        taken.add(new Held(p.message(), p.outcome()));
      }
    }
    if (ks.inFlight) {
      ks.releaseAfterFlight = true;
    } else {
      Member owner = ks.owner;
      disown(ks);
      if (owner != null) {
        checkEmptied(owner);
      }
    }
    cancelWait(ks);
    forgetIfIdle(ks);
    return taken;
  }

  /** Delivers what {@code key} held here again, in order (its cluster member may act on it again). */
  void resume(String key) {
    KeyState ks = keys.get(key);
    if (ks != null) {
      pump(ks);
    }
  }

  private SwitchboardException notHere(String key) {
    return new SwitchboardException(ErrorCode.NOT_READY, "notOwner", "This cluster member may not act on key " + key
        + " of " + address + " now (it does not own it, or it is fenced off the cluster); the message goes to "
        + "another member");
  }

  void add(Member member) {
    members.add(member);
    // Keys that were waiting for any owner get one now.
    for (KeyState ks : new ArrayList<>(keys.values())) {
      if (ks.owner == null) {
        pump(ks);
      }
    }
  }

  /** Stops new keys going to {@code member}; it keeps the ones it has. */
  void drain(Member member) {
    if (member.state == Member.State.ACTIVE) {
      member.state = Member.State.DRAINING;
    }
    checkEmptied(member);
  }

  /** Moves every key of {@code member} to the newest member as soon as its in-flight message is done. */
  void handOver(Member member, boolean remove) {
    member.state = Member.State.HANDING_OVER;
    if (remove) {
      members.remove(member);
    }
    for (KeyState ks : new ArrayList<>(keys.values())) {
      if (ks.owner == member && !ks.inFlight) {
        moveToNewest(ks);
        pump(ks);
      }
    }
    checkEmptied(member);
  }

  /**
   * Gives a key that is handed over (not released) to the newest member at once, even with no message waiting: the
   * key stays live here. Forgetting it would release it, and in a cluster give up this member's claim on it, so that
   * its next message could go to another member while its last one may still be under way here.
   */
  private void moveToNewest(KeyState ks) {
    disown(ks);
    Member newest = newest();
    if (newest != null) {
      cancelWait(ks);
      ks.owner = newest;
      newest.ownedKeys++;
    }
  }

  /**
   * Gives up {@code key} once its in-flight message is done, if plugin {@code plugin} owns it, and cancels its
   * timers.
   */
  void release(String key, String plugin) {
    KeyState ks = keys.get(key);
    if (ks == null || ks.owner == null || !ks.owner.pluginName.equals(plugin)) {
      return;
    }
    cancelTimers(ks);
    if (ks.inFlight) {
      ks.releaseAfterFlight = true;
      return;
    }
    Member owner = ks.owner;
    disown(ks);
    checkEmptied(owner);
    pump(ks);
  }

  /** Arms (or re-arms) the timer {@code name} of {@code key} for {@code dueAt} (at once if that has passed). */
  void setTimer(String key, String name, Instant dueAt, JsonObject payload) {
    KeyState ks = keyState(key);
    KeyTimer previous = ks.timers.remove(name);
    if (previous != null) {
      context.owner().cancelTimer(previous.timerId());
    }
    long delay = Math.max(1, Duration.between(Instant.now(), dueAt).toMillis());
    long id = context.owner().setTimer(delay, t -> context.runOnContext(v -> fire(ks, name, t)));
    ks.timers.put(name, new KeyTimer(name, payload, dueAt, id));
    journal.armed(address, key, name, dueAt, payload);
  }

  void cancelTimer(String key, String name) {
    KeyState ks = keys.get(key);
    if (ks == null) {
      return;
    }
    KeyTimer timer = ks.timers.remove(name);
    if (timer != null) {
      context.owner().cancelTimer(timer.timerId());
      journal.gone(address, key, name);
    }
    forgetIfIdle(ks);
  }

  private void fire(KeyState ks, String name, long timerId) {
    KeyTimer timer = ks.timers.get(name);
    if (timer == null || timer.timerId() != timerId) {
      return; // cancelled or replaced meanwhile
    }
    ks.timers.remove(name);
    KeyedMessage.Timer message = new KeyedMessage.Timer(address, ks.key, name, timer.payload(), timer.dueAt());
    enqueue(message, result -> {
      if (result.failed()) {
        LOG.warn("Key timer '{}' of key {} on {} was not handled: {}", name, ks.key, address,
            result.cause().getMessage());
      }
      if (!ks.timers.containsKey(name)) { // not armed again by its own handler
        journal.gone(address, ks.key, name);
      }
    });
  }

  private void cancelTimers(KeyState ks) {
    ks.timers.values().forEach(t -> {
      context.owner().cancelTimer(t.timerId());
      journal.gone(address, ks.key, t.name());
    });
    ks.timers.clear();
  }

  private void pump(KeyState ks) {
    if (ks.inFlight) {
      return;
    }
    if (ks.queue.isEmpty()) {
      if (ks.owner == null) {
        cancelWait(ks);
        forgetIfIdle(ks);
      }
      return;
    }
    if (ks.owner == null) {
      Member newest = newest();
      if (newest == null) {
        waitForOwner(ks);
        return;
      }
      cancelWait(ks);
      ks.owner = newest;
      newest.ownedKeys++;
    }
    Member owner = ks.owner;
    if (!keyEvents.mayAct(ks.key)) {
      if (keyEvents.holds(ks.key)) {
        return; // held, in order, until resume or takeBack
      }
      queued--;
      ks.queue.poll().outcome().complete(Future.failedFuture(notHere(ks.key)));
      pump(ks);
      return;
    }
    Pending pending = ks.queue.poll();
    queued--;
    ks.inFlight = true;
    owner.inFlight++;
    owner.context.runOnContext(v -> {
      Future<JsonObject> handled;
      try {
        handled = owner.handler.handle(pending.message());
        if (handled == null) {
          handled = Future.failedFuture(new IllegalStateException("keyed handler returned null instead of a Future"));
        }
      } catch (RuntimeException e) {
        handled = Future.failedFuture(e);
      }
      handled.onComplete(result -> context.runOnContext(x -> completed(ks, owner, pending, result)));
    });
  }

  private void completed(KeyState ks, Member owner, Pending pending, AsyncResult<JsonObject> result) {
    ks.inFlight = false;
    owner.inFlight--;
    if (result.failed()) {
      LOG.debug("Keyed message for {} on {} failed: {}", ks.key, address, result.cause().toString());
    }
    pending.outcome().complete(result);
    if (ks.owner == owner && ks.releaseAfterFlight) {
      disown(ks);
    } else if (ks.owner == owner && owner.state == Member.State.HANDING_OVER) {
      moveToNewest(ks);
    }
    ks.releaseAfterFlight = false;
    checkEmptied(owner);
    pump(ks);
  }

  private void disown(KeyState ks) {
    if (ks.owner != null) {
      ks.owner.ownedKeys--;
      ks.owner = null;
    }
  }

  private void forgetIfIdle(KeyState ks) {
    if (ks.idle() && keys.get(ks.key) == ks) {
      keys.remove(ks.key);
      keyEvents.closed(ks.key);
    }
  }

  private void checkEmptied(Member member) {
    if (member.state != Member.State.ACTIVE && member.ownedKeys == 0 && member.inFlight == 0) {
      member.emptied.tryComplete();
    }
  }

  private Member newest() {
    Member newest = null;
    for (Member m : members) {
      if (m.state == Member.State.ACTIVE && (newest == null || m.sequence > newest.sequence)) {
        newest = m;
      }
    }
    return newest;
  }

  private void waitForOwner(KeyState ks) {
    if (ks.waitTimer >= 0) {
      return;
    }
    ks.waitTimer = context.owner().setTimer(ownerWait.toMillis(), id -> context.runOnContext(v -> {
      ks.waitTimer = -1;
      if (ks.owner != null) {
        return;
      }
      SwitchboardException e = new SwitchboardException(ErrorCode.NOT_READY, "noOwner", "No plugin consumed keyed "
          + "address " + address + " within " + ownerWait.toMillis() + " ms to take key " + ks.key
          + "; is the bundle that serves it installed and active?");
      Pending p;
      while ((p = ks.queue.poll()) != null) {
        queued--;
        p.outcome().complete(Future.failedFuture(e));
      }
      forgetIfIdle(ks);
    }));
  }

  private void cancelWait(KeyState ks) {
    if (ks.waitTimer >= 0) {
      context.owner().cancelTimer(ks.waitTimer);
      ks.waitTimer = -1;
    }
  }

  /** The members, for operators. Safe to call from any thread (a snapshot). */
  List<Member> members() {
    return List.copyOf(members);
  }

  /** Each live key with its owner ({@code plugin@version}, or none while it waits for one); on this context. */
  Map<String, String> owners() {
    Map<String, String> owners = new TreeMap<>();
    keys.forEach((key, ks) -> {
      if (ks.owner != null || !ks.queue.isEmpty() || ks.inFlight) {
        owners.put(key, ks.owner == null ? null : ks.owner.pluginName + "@" + ks.owner.version);
      }
    });
    return owners;
  }
}
