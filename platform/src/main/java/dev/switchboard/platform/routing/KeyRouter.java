package dev.switchboard.platform.routing;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.KeyedHandler;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.StateStore;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.metrics.SwitchboardMetrics;
import dev.switchboard.platform.vertx.OwnContext;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed routing: for each keyed address, which plugin instance owns which key, the hand-over of keys between
 * versions of a plugin (drain, takeover) without losing, duplicating or reordering a message, key timers, and
 * the delivery of followed topics.
 *
 * <p>What reaches an owner is typed ({@link KeyedMessage}): {@link #deliverNotification} is the only way to
 * produce a {@link KeyedMessage.Notification}, and only the platform's ingress holds this router; whatever arrives
 * over the event bus is a {@link KeyedMessage.Command} with no verified sender.
 *
 * <p>All routing state lives on one context of the router's own (a small deployment), so it needs no locks.
 * Call {@link #start()} before anything else. This implementation routes within one server; the clustered router
 * keeps the same contract across nodes.
 */
public final class KeyRouter {

  private static final Logger LOG = LoggerFactory.getLogger(KeyRouter.class);

  private final Vertx vertx;
  private final Duration ownerWait;
  private final Map<String, AddressRouting> addresses = new ConcurrentHashMap<>();
  private final Followers followers = new Followers();
  private final AtomicLong sequence = new AtomicLong();
  /** Timers read back at start, armed again when their address gets its first consumer. */
  private final Map<String, List<TimerJournal.Saved>> restoredTimers = new ConcurrentHashMap<>();
  private volatile TimerJournal journal = TimerJournal.NONE;
  private volatile Context context;
  /** In a cluster, where keys live; {@code null} on a single server. */
  private volatile KeyPlacement placement;
  /** On how many addresses each key has routing state here; on the routing context. */
  private final Map<String, Integer> liveKeys = new java.util.HashMap<>();

  /**
   * @param ownerWait how long a message for a key waits for some version of its plugin to consume the address
   *     before the sender gets a failure
   */
  public KeyRouter(Vertx vertx, Duration ownerWait) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.ownerWait = Objects.requireNonNull(ownerWait, "ownerWait");
    RoutingMeters.register(SwitchboardMetrics.of(vertx), this);
  }

  /** Creates the router's context. Completes once the router can be used; idempotent. */
  public Future<Void> start() {
    if (context != null) {
      return Future.succeededFuture();
    }
    return OwnContext.create(vertx).map(ctx -> {
      context = ctx;
      return null;
    });
  }

  /**
   * Keeps key timers in {@code store} from now on, and arms again the timers it holds (those of a previous run of the
   * server) as soon as a plugin consumes their address: a timer due while the server was down fires at once then.
   * Call after {@link #start()} and before any plugin consumes an address.
   *
   * @return how many timers were read back
   */
  public Future<Integer> keepTimersIn(StateStore store) {
    Objects.requireNonNull(store, "store");
    if (placement != null) {
      // In a cluster the journal is replicated: a member arms a key's timers when it takes the key (adoptTimers).
      journal = new TimerJournal(store);
      return Future.succeededFuture(0);
    }
    return TimerJournal.load(store).map(saved -> {
      restoredTimers.putAll(saved);
      journal = new TimerJournal(store);
      int count = saved.values().stream().mapToInt(List::size).sum();
      if (count > 0) {
        LOG.info("{} key timers of the previous run will be armed again when their plugins start", count);
      }
      return count;
    });
  }

  /**
   * The router's context, on which all routing state lives. The public port is started from it, so that a
   * callback's hand-off to routing stays on one event loop (see {@code SwitchboardServer}).
   *
   * @throws IllegalStateException before {@link #start()} has completed
   */
  public Context context() {
    Context ctx = context;
    if (ctx == null) {
      throw new IllegalStateException("KeyRouter.start() has not completed");
    }
    return ctx;
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
    onRouting(() -> routing.add(member));
    List<TimerJournal.Saved> restored = restoredTimers.remove(address);
    if (restored != null) {
      onRouting(() -> restored.forEach(t -> routing.setTimer(t.key(), t.name(), t.dueAt(), t.payload())));
    }
    return member;
  }

  /**
   * Makes this router one member of a cluster: from now on messages go to their key's owner through
   * {@code placement}, and a handler gets a message only while {@link KeyPlacement#mayAct} allows it. Call before
   * {@link #keepTimersIn} and before any plugin consumes an address.
   */
  public void placeWith(KeyPlacement placement) {
    this.placement = Objects.requireNonNull(placement, "placement");
  }

  private AddressRouting routing(String address) {
    return addresses.computeIfAbsent(address, a -> {
      AddressRouting routing = new AddressRouting(a, context(), ownerWait, journal, new AddressRouting.Keys() {
        @Override
        public void opened(String key) {
          liveKeys.merge(key, 1, Integer::sum);
        }

        @Override
        public void closed(String key) {
          if (liveKeys.merge(key, -1, (n, d) -> n + d <= 0 ? null : n + d) == null && placement != null) {
            placement.released(key);
          }
        }

        @Override
        public boolean mayAct(String key) {
          KeyPlacement p = placement;
          return p == null || p.mayAct(key);
        }

        @Override
        public boolean holds(String key) {
          KeyPlacement p = placement;
          return p != null && p.holds(key);
        }
      });
      // Registered from the routing context, so that bus messages arrive there in the order they were sent and the
      // consumer belongs to no plugin's deployment (undeploying a plugin would unregister it). Until this runs, a
      // bus sender finds no handler, as it would before any plugin consumed the address.
      onRouting(() -> vertx.eventBus().localConsumer(a, message -> {
        KeyedMessage.Command command = routing.commandOf(message);
        if (command != null) {
          if (placement == null) {
            routing.enqueue(command, AddressRouting.Outcome.of(message));
          } else {
            route(command).handled().onComplete(AddressRouting.Outcome.of(message)::complete);
          }
        }
      }));
      return routing;
    });
  }

  private void onRouting(Runnable action) {
    context().runOnContext(v -> action.run());
  }

  /**
   * Sends {@code body} to the owner of {@code key} as a command from plugin {@code sender}, without the event bus;
   * the future holds the owner's reply. {@code body} is copied.
   */
  public Future<JsonObject> sendCommand(String address, String key, String sender, JsonObject body) {
    return deliver(new KeyedMessage.Command(address, key, Objects.requireNonNull(sender, "sender"), body.copy()));
  }

  /**
   * Delivers a verified Graph notification to the owner of its key. Only the callback ingress calls this. The
   * caller must not touch the notification afterwards.
   */
  public Future<JsonObject> deliverNotification(KeyedMessage.Notification notification) {
    return deliver(notification);
  }

  /**
   * Hands a verified Graph notification to its key's owner and tells when the owner has queued it: at once on a
   * single server, once the owning member has it in a cluster. Only the callback ingress calls this; it answers
   * Graph when this completes, so that the next notification for the call is routed after this one.
   * {@code handled} is called once the owner has handled it (or failed to).
   */
  public Future<Void> acceptNotification(KeyedMessage.Notification notification,
      Handler<AsyncResult<JsonObject>> handled) {
    KeyPlacement.Routed routed = route(notification);
    routed.handled().onComplete(handled);
    return routed.accepted();
  }

  private Future<JsonObject> deliver(KeyedMessage message) {
    return route(message).handled();
  }

  private KeyPlacement.Routed route(KeyedMessage message) {
    KeyPlacement p = placement;
    if (p == null) {
      return new KeyPlacement.Routed(Future.succeededFuture(), deliverHere(message));
    }
    Promise<KeyPlacement.Routed> routed = Promise.promise();
    onRouting(() -> routed.complete(p.route(message, this::deliverHere)));
    return new KeyPlacement.Routed(routed.future().compose(KeyPlacement.Routed::accepted),
        routed.future().compose(KeyPlacement.Routed::handled));
  }

  /** Queues {@code message} at this server's routing, whoever owns its key in a cluster; the handler's reply. */
  public Future<JsonObject> deliverHere(KeyedMessage message) {
    AddressRouting routing = routing(message.address());
    Promise<JsonObject> result = Promise.promise();
    onRouting(() -> routing.enqueue(message, AddressRouting.Outcome.of(result)));
    return result.future();
  }

  /** A keyed message taken back out of this server's routing, and where its outcome goes. */
  public record TakenBack(KeyedMessage message, Handler<AsyncResult<JsonObject>> outcome) {
  }

  /**
   * Takes everything this server holds of {@code key} out of its routing without acting on it, for a cluster member
   * whose claim on the key was lost while its work was held ({@link KeyPlacement#holds}): the queued messages of each
   * address, in order (key timers that came due while held are left out: the key's new owner arms them from the
   * journal), and the key's timers stop here (their journal entries stay, for that owner). A message in flight
   * finishes. On the routing context.
   */
  public List<TakenBack> takeBack(String key) {
    List<TakenBack> taken = new ArrayList<>();
    addresses.values().forEach(r -> r.takeBack(key)
        .forEach(h -> taken.add(new TakenBack(h.message(), h.outcome()::complete))));
    return taken;
  }

  /**
   * Hands the work {@code key} held here to its handlers again, in order, now that {@link KeyPlacement#mayAct}
   * allows it. On the routing context.
   */
  public void resume(String key) {
    addresses.values().forEach(r -> r.resume(key));
  }

  /**
   * Arms here the timers {@code key} has in the journal (a member that took the key over from one that left). Due
   * ones fire at once.
   */
  public Future<Integer> adoptTimers(String key) {
    return journal.load(key).map(saved -> {
      saved.forEach(t -> {
        AddressRouting routing = routing(t.address());
        onRouting(() -> routing.setTimer(t.key(), t.name(), t.dueAt(), t.payload()));
      });
      return saved.size();
    });
  }

  /** How many keys this server holds routing state for (owned, queued or with timers). */
  public Future<Integer> liveKeyCount() {
    Promise<Integer> count = Promise.promise();
    onRouting(() -> count.complete(liveKeys.size()));
    return count.future();
  }

  /** Gives up {@code key} of plugin {@code pluginName} on {@code address} once its in-flight message is done. */
  public void release(String address, String key, String pluginName) {
    AddressRouting routing = addresses.get(address);
    if (routing != null) {
      onRouting(() -> routing.release(key, pluginName));
    }
  }

  /** Arms the timer {@code name} of {@code key} on {@code address}, replacing one of the same name. */
  public void setTimer(String address, String key, String name, Duration delay, JsonObject payload) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(name, "name");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("a key timer's delay cannot be negative: " + delay);
    }
    AddressRouting routing = routing(Objects.requireNonNull(address, "address"));
    JsonObject copy = payload == null ? new JsonObject() : payload.copy();
    Instant dueAt = Instant.now().plus(delay);
    onRouting(() -> routing.setTimer(key, name, dueAt, copy));
  }

  /** Cancels the timer {@code name} of {@code key} on {@code address}, if armed. */
  public void cancelTimer(String address, String key, String name) {
    AddressRouting routing = addresses.get(address);
    if (routing != null) {
      onRouting(() -> routing.cancelTimer(key, name));
    }
  }

  /**
   * Plugin {@code pluginName} follows {@code topic} into its keyed address {@code address}. Counted: each
   * {@link #follow} needs its own {@link #unfollow}, and the plugin follows while one is left (two versions follow
   * once).
   */
  public void follow(String topic, String pluginName, String address) {
    followers.add(topic, pluginName, address);
  }

  /** Undoes one {@link #follow}. */
  public void unfollow(String topic, String pluginName, String address) {
    followers.remove(topic, pluginName, address);
  }

  /**
   * Publishes an event for {@code key} on {@code topic}: once to each following plugin's owner of the key, in the
   * order of publication, and on the event bus for plain consumers.
   */
  public void publish(String topic, String key, String publisher, JsonObject event) {
    for (Followers.Follower f : followers.of(topic)) {
      KeyedMessage.Event message = new KeyedMessage.Event(f.address(), key, topic, publisher, event.copy());
      AddressRouting.Outcome logged = result -> {
        if (result.failed()) {
          LOG.warn("Event {} for key {} was not handled by {}: {}",
              topic, key, f.plugin(), result.cause().getMessage());
        }
      };
      if (placement == null) {
        AddressRouting routing = routing(f.address());
        onRouting(() -> routing.enqueue(message, logged));
      } else {
        // In a cluster the publisher may not be the key's owner (a command served on another member).
        route(message).handled().onComplete(logged::complete);
      }
    }
    // Plain consumers on this server only: in a cluster each member's plugins would otherwise all react to it.
    vertx.eventBus().publish(topic, event, new DeliveryOptions().addHeader(KeyedMessage.KEY_HEADER, key)
        .setLocalOnly(true));
  }

  /**
   * Removes a member: it gets nothing more, and each of its keys moves to the newest member once the message
   * in flight for it is done (or waits for one). The future completes when nothing of it is in flight.
   */
  public Future<Void> detach(Member member) {
    AddressRouting routing = addresses.get(member.address);
    onRouting(() -> routing.handOver(member, true));
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
      onRouting(() -> routing.drain(member));
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
      onRouting(() -> routing.handOver(member, false));
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
    Promise<Map<String, String>> result = Promise.promise();
    onRouting(() -> result.complete(routing.owners()));
    return result.future();
  }

  /** Every member of every address, a snapshot; safe from any thread. */
  public List<Member> members() {
    List<Member> result = new ArrayList<>();
    addresses.values().forEach(r -> result.addAll(r.members()));
    return result;
  }

  /** Messages waiting in queues (not yet handed to a plugin), by address; a snapshot safe from any thread. */
  public Map<String, Integer> queued() {
    Map<String, Integer> result = new java.util.TreeMap<>();
    addresses.forEach((address, routing) -> result.put(address, routing.queued));
    return result;
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
