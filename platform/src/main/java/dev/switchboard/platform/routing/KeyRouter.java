package dev.switchboard.platform.routing;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.KeyedHandler;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keyed routing: for each keyed address, which plugin instance owns which key, and the hand-over of keys
 * between versions of a plugin (drain, takeover) without losing, duplicating or reordering a message.
 *
 * <p>Senders address a key by sending a {@link JsonObject} to the address with the header
 * {@link KeyedMessage#KEY_HEADER}; the router consumes the address itself and delivers to the owner. This
 * implementation routes within one server (it consumes addresses locally); the clustered router keeps the
 * same contract across nodes.
 */
public final class KeyRouter {

  private final VertxInternal vertx;
  private final Duration ownerWait;
  private final Map<String, AddressRouting> addresses = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();

  /**
   * @param ownerWait how long a message for a key waits for some version of its plugin to consume the address
   *     before the sender gets a failure
   */
  public KeyRouter(Vertx vertx, Duration ownerWait) {
    this.vertx = (VertxInternal) vertx;
    this.ownerWait = ownerWait;
  }

  /**
   * Adds a plugin instance as a consumer of {@code address}; it becomes the newest.
   *
   * @throws SwitchboardException {@link ErrorCode#CONFLICT} when a plugin of another name consumes the address
   */
  public Member register(String address, String pluginName, String version, long bundleId, Context context,
      KeyedHandler handler) {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(handler, "handler");
    AddressRouting routing = routing(address);
    synchronized (routing) {
      if (routing.pluginName != null && !routing.pluginName.equals(pluginName)) {
        throw new SwitchboardException(ErrorCode.CONFLICT, "keyedAddressConflict", "Keyed address " + address
            + " is consumed by plugin '" + routing.pluginName + "'; plugin '" + pluginName + "' cannot consume it too");
      }
      routing.pluginName = pluginName;
    }
    Member member = new Member(address, pluginName, version, bundleId, sequence.incrementAndGet(), context, handler);
    routing.context().runOnContext(v -> routing.add(member));
    return member;
  }

  private AddressRouting routing(String address) {
    return addresses.computeIfAbsent(address, a -> {
      ContextInternal context = vertx.createEventLoopContext();
      AddressRouting routing = new AddressRouting(a, context, ownerWait);
      // Registered from the routing context so that messages arrive there, in the order they were sent.
      context.dispatch(() -> vertx.eventBus().localConsumer(a, routing::onMessage));
      return routing;
    });
  }

  /** Sends {@code body} to the owner of {@code key}; the future holds the owner's reply. */
  public Future<JsonObject> send(String address, String key, JsonObject body) {
    DeliveryOptions options = new DeliveryOptions().addHeader(KeyedMessage.KEY_HEADER, key)
        .setSendTimeout(ownerWait.toMillis() + 30_000);
    return vertx.eventBus().<JsonObject>request(address, body, options)
        .map(reply -> reply.body())
        .recover(e -> Future.failedFuture(SwitchboardException.from(e)));
  }

  /**
   * Delivers {@code body} to the owner of {@code key} without the event bus, for senders inside the platform
   * (the callback ingress): no copy, no reply message. The caller must not touch {@code body} afterwards.
   */
  public Future<JsonObject> deliver(String address, String key, JsonObject body) {
    AddressRouting routing = routing(address);
    Promise<JsonObject> result = Promise.promise();
    routing.context().runOnContext(v -> routing.onLocal(key, body, result));
    return result.future();
  }

  /** Gives up {@code key} of plugin {@code pluginName} on {@code address} once its in-flight message is done. */
  public void release(String address, String key, String pluginName) {
    AddressRouting routing = addresses.get(address);
    if (routing != null) {
      routing.context().runOnContext(v -> routing.release(key, pluginName));
    }
  }

  /**
   * Removes a member: it gets nothing more, and each of its keys moves to the newest member once the message
   * in flight for it is done (or waits for one). The future completes when nothing of it is in flight.
   */
  public Future<Void> detach(Member member) {
    AddressRouting routing = addresses.get(member.address);
    routing.context().runOnContext(v -> routing.handOver(member, true));
    return member.emptied.future();
  }

  /**
   * Drains {@code members}: no new keys; each keeps its keys until released. At {@code timeout}, what is left
   * is taken over. The future completes when they own nothing.
   */
  public Future<Void> drain(Collection<Member> members, Duration timeout) {
    List<Future<Void>> emptied = new ArrayList<>();
    for (Member member : members) {
      AddressRouting routing = addresses.get(member.address);
      routing.context().runOnContext(v -> routing.drain(member));
      emptied.add(member.emptied.future());
    }
    Future<Void> all = Future.all(emptied).mapEmpty();
    if (members.isEmpty()) {
      return all;
    }
    long timer = vertx.setTimer(timeout.toMillis(), id -> {
      if (!all.isComplete()) {
        takeover(members);
      }
    });
    return all.onComplete(x -> vertx.cancelTimer(timer));
  }

  /**
   * Takes the keys of {@code members} over: each key moves to the newest member as soon as its in-flight
   * message is done. The future completes when they own nothing.
   */
  public Future<Void> takeover(Collection<Member> members) {
    List<Future<Void>> emptied = new ArrayList<>();
    for (Member member : members) {
      AddressRouting routing = addresses.get(member.address);
      routing.context().runOnContext(v -> routing.handOver(member, false));
      emptied.add(member.emptied.future());
    }
    return Future.all(emptied).mapEmpty();
  }

  /** The live keys of {@code address} and their owners ({@code plugin@version}, {@code null} while waiting). */
  public Future<Map<String, String>> owners(String address) {
    AddressRouting routing = addresses.get(address);
    if (routing == null) {
      return Future.succeededFuture(Map.of());
    }
    io.vertx.core.Promise<Map<String, String>> result = io.vertx.core.Promise.promise();
    routing.context().runOnContext(v -> result.complete(routing.owners()));
    return result.future();
  }

  /** Every member of every address that belongs to bundle {@code bundleId}. */
  public List<Member> membersOf(long bundleId) {
    List<Member> result = new ArrayList<>();
    addresses.values().forEach(r -> r.members().stream().filter(m -> m.bundleId == bundleId).forEach(result::add));
    return result;
  }

  /** Blocks until {@code future} completes or {@code timeout} passes; for callers on worker threads. */
  public static boolean await(Future<?> future, Duration timeout) {
    try {
      future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return false;
    }
  }
}
