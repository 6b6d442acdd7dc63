package dev.switchboard.platform.routing;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing of one keyed address: its members (plugin instances, newest last), and for each live key its
 * owner, its queue and whether a message is in flight. Every field is touched only on this address's own
 * routing context, so there are no locks; handlers run on their plugin's context and report back here.
 */
final class AddressRouting {

  private static final Logger LOG = LoggerFactory.getLogger(AddressRouting.class);

  /** A message waiting for, or being handled by, its key's owner. */
  private record Pending(JsonObject body, Message<?> message, Promise<JsonObject> local) {
    void complete(AsyncResult<JsonObject> result) {
      if (local != null) {
        local.handle(result);
      } else if (result.succeeded()) {
        message.reply(result.result() == null ? new JsonObject() : result.result());
      } else {
        SwitchboardException e = SwitchboardException.from(result.cause());
        message.fail(e.status(), e.toJson().encode());
      }
    }
  }

  private static final class KeyState {
    final String key;
    final ArrayDeque<Pending> queue = new ArrayDeque<>();
    Member owner;
    boolean inFlight;
    boolean releaseAfterFlight;
    long waitTimer = -1;

    KeyState(String key) {
      this.key = key;
    }
  }

  private final String address;
  private final ContextInternal context;
  private final Duration ownerWait;
  private final List<Member> members = new CopyOnWriteArrayList<>();
  private final Map<String, KeyState> keys = new HashMap<>();
  /** The plugin name that consumes this address; written under the router's lock. */
  volatile String pluginName;

  AddressRouting(String address, ContextInternal context, Duration ownerWait) {
    this.address = address;
    this.context = context;
    this.ownerWait = ownerWait;
  }

  ContextInternal context() {
    return context;
  }

  /** Accepts a message from the bus (on this context). */
  void onMessage(Message<Object> message) {
    String key = message.headers().get(KeyedMessage.KEY_HEADER);
    if (key == null || key.isEmpty()) {
      fail(message, new SwitchboardException(ErrorCode.BAD_REQUEST, "missingKey", "A message to keyed address "
          + address + " needs the header " + KeyedMessage.KEY_HEADER));
      return;
    }
    if (!(message.body() instanceof JsonObject body)) {
      fail(message, new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidBody", "A message to keyed address "
          + address + " must be a JSON object"));
      return;
    }
    enqueue(key, new Pending(body, message, null));
  }

  /** Accepts a message from inside the server, without the bus (on this context). */
  void onLocal(String key, JsonObject body, Promise<JsonObject> result) {
    enqueue(key, new Pending(body, null, result));
  }

  private static void fail(Message<?> message, SwitchboardException e) {
    message.fail(e.status(), e.toJson().encode());
  }

  private void enqueue(String key, Pending pending) {
    KeyState ks = keys.computeIfAbsent(key, KeyState::new);
    ks.queue.add(pending);
    pump(ks);
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
        disown(ks);
        pump(ks);
      }
    }
    checkEmptied(member);
  }

  /** Gives up {@code key} once its in-flight message is done, if {@code member} (or anyone, when null) owns it. */
  void release(String key, String plugin) {
    KeyState ks = keys.get(key);
    if (ks == null || ks.owner == null || !ks.owner.pluginName.equals(plugin)) {
      return;
    }
    if (ks.inFlight) {
      ks.releaseAfterFlight = true;
      return;
    }
    Member owner = ks.owner;
    disown(ks);
    checkEmptied(owner);
    pump(ks);
  }

  private void pump(KeyState ks) {
    if (ks.inFlight) {
      return;
    }
    if (ks.queue.isEmpty()) {
      if (ks.owner == null) {
        cancelWait(ks);
        keys.remove(ks.key);
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
    Pending pending = ks.queue.poll();
    ks.inFlight = true;
    owner.inFlight++;
    KeyedMessage message = new KeyedMessage(address, ks.key, pending.body());
    owner.context.runOnContext(v -> {
      Future<JsonObject> handled;
      try {
        handled = owner.handler.handle(message);
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
    pending.complete(result);
    if (ks.owner == owner && (ks.releaseAfterFlight || owner.state == Member.State.HANDING_OVER)) {
      disown(ks);
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
        p.complete(Future.failedFuture(e));
      }
      keys.remove(ks.key);
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
    Map<String, String> owners = new java.util.TreeMap<>();
    keys.forEach((key, ks) -> owners.put(key, ks.owner == null ? null : ks.owner.pluginName + "@" + ks.owner.version));
    return owners;
  }
}
