package dev.switchboard.platform.plugin;

import dev.switchboard.api.ApiHandler;
import dev.switchboard.api.ApiResponse;
import dev.switchboard.api.ChangeHandler;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.GraphClient;
import dev.switchboard.api.KeyedHandler;
import dev.switchboard.api.Meters;
import dev.switchboard.platform.metrics.PluginMeters;
import dev.switchboard.platform.metrics.SwitchboardMetrics;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.Registration;
import dev.switchboard.api.StateStore;
import dev.switchboard.api.SubscriptionRequest;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.graph.GraphClients;
import dev.switchboard.platform.http.RouteTable;
import dev.switchboard.platform.routing.KeyRouter;
import dev.switchboard.platform.routing.Member;
import dev.switchboard.platform.subscriptions.SubscriptionManager;
import dev.switchboard.platform.vertx.LocalConsumers;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link PluginContext} of one plugin instance. Records every consumer, route and timer it hands out
 * and releases them all in {@link #release()}. Handlers are wrapped so that they run on the plugin's
 * context with the plugin in the logging MDC, and so that a handler that throws fails the message it was
 * handling instead of leaving the sender to time out.
 */
final class TrackedPluginContext implements PluginContext {

  private final String name;
  private final String version;
  private final JsonObject config;
  private final Vertx vertx;
  private final RouteTable routes;
  private final RouteTable publicRoutes;
  private final java.nio.file.Path dataDir;
  private final java.util.function.Supplier<String> publicUrl;
  private static final List<String> RESERVED = List.of("/api", "/callbacks", "/health", "/metrics", "/admin");
  private final PluginLogger logger;
  private final PluginHealth health = new PluginHealth();
  private final long bundleId;
  private final KeyRouter router;
  private final StateStore state;
  private final Set<Member> keyedMembers = ConcurrentHashMap.newKeySet();
  private final GraphClients graph;
  private final SubscriptionManager subscriptions;
  private final Set<Registration> subscriptionRegistrations = ConcurrentHashMap.newKeySet();
  private final Set<MessageConsumer<?>> consumers = ConcurrentHashMap.newKeySet();
  private final Set<Long> timers = ConcurrentHashMap.newKeySet();
  private final Set<Registration> routeRegistrations = ConcurrentHashMap.newKeySet();
  private final Set<Registration> followings = ConcurrentHashMap.newKeySet();
  private final PluginMeters meters;
  private final HandlerMeters handlerMeters;
  private volatile Context context;
  private volatile boolean released;

  TrackedPluginContext(String name, String version, long bundleId, JsonObject config, PluginServices services) {
    this.name = name;
    this.version = version;
    this.bundleId = bundleId;
    this.config = config;
    this.vertx = services.vertx();
    this.routes = services.routes();
    this.publicRoutes = services.publicRoutes();
    this.router = services.router();
    this.state = services.states().forPlugin(name);
    this.graph = services.graph();
    this.subscriptions = services.subscriptions();
    this.dataDir = services.dataDir();
    this.publicUrl = services.publicUrl();
    this.logger = new PluginLogger(name, version, health);
    this.meters = new PluginMeters(SwitchboardMetrics.of(vertx).registry(), name, version);
    this.handlerMeters = new HandlerMeters(meters, health);
  }

  /** How the plugin behaves: its handlers' runs, failures, blocking and allocation. */
  PluginHealth health() {
    return health;
  }

  /** Binds the context to the plugin's Vert.x deployment context; called once, before {@code start}. */
  void bind(Context context) {
    this.context = context;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public JsonObject config() {
    return config.copy();
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public EventBus eventBus() {
    return vertx.eventBus();
  }

  @Override
  public <T> MessageConsumer<T> consumer(String address, Handler<Message<T>> handler) {
    return track(address, handler, false);
  }

  @Override
  public <T> MessageConsumer<T> localConsumer(String address, Handler<Message<T>> handler) {
    return track(address, handler, true);
  }

  private <T> MessageConsumer<T> track(String address, Handler<Message<T>> handler, boolean local) {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(handler, "handler");
    Context ctx = checkOpen();
    Handler<Message<T>> guarded = message -> logger.withMdc(() -> {
      long began = System.nanoTime();
      try {
        handler.handle(message);
        handlerMeters.returned("bus", began);
      } catch (RuntimeException e) {
        handlerMeters.failed("bus");
        logger.log(System.Logger.Level.ERROR, "handler for address " + address + " failed", e);
        if (message.replyAddress() != null) {
          message.fail(ErrorCode.INTERNAL.status(), new SwitchboardException(ErrorCode.INTERNAL, "pluginError",
              "plugin " + name + " failed handling the message; see the server log").toJson().encode());
        }
      }
    });
    Handler<Message<T>> onPlugin = onPluginContext(ctx, guarded);
    MessageConsumer<T> consumer = local ? vertx.eventBus().localConsumer(address, onPlugin)
        : vertx.eventBus().consumer(address, onPlugin);
    consumers.add(consumer);
    LocalConsumers.added(address);
    return consumer;
  }

  /**
   * {@code handler}, made to run on the plugin's context. Vert.x binds a consumer or timer to the context that
   * creates it; when that is not the plugin's own (a call from another thread), each event hops over. A duplicate of
   * the plugin's context (a keyed handler's, which carries its key for the log) counts as the plugin's own.
   */
  private static <E> Handler<E> onPluginContext(Context ctx, Handler<E> handler) {
    if (onContext(ctx)) {
      return handler;
    }
    return event -> {
      if (onContext(ctx)) {
        handler.handle(event);
      } else {
        ctx.runOnContext(v -> handler.handle(event));
      }
    };
  }

  /** Whether the caller runs on {@code ctx} or on a duplicate of it. */
  private static boolean onContext(Context ctx) {
    ContextInternal current = ContextInternal.current();
    return current != null && current.unwrap() == ((ContextInternal) ctx).unwrap();
  }

  @Override
  public Registration keyedConsumer(String address, KeyedHandler handler) {
    Objects.requireNonNull(handler, "handler");
    Context ctx = checkOpen();
    KeyedHandler guarded = message -> logger.withKey(ctx, address, message.key(), () -> {
      long began = System.nanoTime();
      try {
        Future<JsonObject> result = handler.handle(message);
        return result == null ? null : handlerMeters.timed("keyed", began, result);
      } catch (RuntimeException e) {
        handlerMeters.failed("keyed");
        logger.log(System.Logger.Level.ERROR, "keyed handler for " + address + " failed on key " + message.key(), e);
        return Future.<JsonObject>failedFuture(e);
      }
    });
    Member member = router.register(address, name, version, bundleId, ctx, guarded);
    keyedMembers.add(member);
    return () -> {
      if (keyedMembers.remove(member)) {
        router.detach(member);
      }
    };
  }

  @Override
  public Future<JsonObject> sendToKey(String address, String key, JsonObject body) {
    return router.sendCommand(Objects.requireNonNull(address, "address"), Objects.requireNonNull(key, "key"), name,
        Objects.requireNonNull(body, "body"));
  }

  @Override
  public void keyTimer(String address, String key, String timerName, Duration delay, JsonObject payload) {
    Objects.requireNonNull(delay, "delay");
    checkOpen();
    router.setTimer(address, key, timerName, delay, payload);
  }

  @Override
  public void cancelKeyTimer(String address, String key, String timerName) {
    router.cancelTimer(address, key, timerName);
  }

  @Override
  public Registration follow(String topic, String address) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(address, "address");
    checkOpen();
    router.follow(topic, name, address);
    AtomicBoolean open = new AtomicBoolean(true);
    Registration registration = new Registration() {
      @Override
      public void close() {
        if (open.compareAndSet(true, false)) {
          followings.remove(this);
          router.unfollow(topic, name, address);
        }
      }
    };
    followings.add(registration);
    return registration;
  }

  @Override
  public void publishKeyed(String topic, String key, JsonObject event) {
    router.publish(Objects.requireNonNull(topic, "topic"), Objects.requireNonNull(key, "key"), name,
        Objects.requireNonNull(event, "event"));
  }

  @Override
  public void releaseKey(String address, String key) {
    router.release(address, key, name);
  }

  @Override
  public StateStore state() {
    return state;
  }

  @Override
  public Future<Void> unsubscribe(SubscriptionRequest request) {
    Objects.requireNonNull(request, "request");
    checkOpen();
    return subscriptions.remove(name, request);
  }

  @Override
  public Registration subscribe(SubscriptionRequest request, ChangeHandler handler) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(handler, "handler");
    Context ctx = checkOpen();
    ChangeHandler guarded = new ChangeHandler() {
      @Override
      public Future<Void> changed(JsonObject notification) {
        long began = System.nanoTime();
        return logger.withMdc(() -> handlerMeters.timed("change", began, handler.changed(notification)));
      }

      @Override
      public Future<Void> resync(String reason) {
        return logger.withMdc(() -> handler.resync(reason));
      }
    };
    Registration registration = subscriptions.attach(name, request, guarded, ctx);
    Registration tracked = new Registration() {
      @Override
      public void close() {
        registration.close();
        subscriptionRegistrations.remove(this);
      }
    };
    subscriptionRegistrations.add(tracked);
    return tracked;
  }

  @Override
  public GraphClient graph() {
    return graph.client();
  }

  @Override
  public GraphClient graph(String tenantId) {
    return graph.client(tenantId);
  }

  /**
   * Stops keyed delivery to this plugin: its keys move to the newest version (or wait for one) once their
   * in-flight messages are done. The future completes when nothing is in flight.
   */
  Future<Void> detachKeyed() {
    List<Future<Void>> detached = new ArrayList<>();
    for (Member member : List.copyOf(keyedMembers)) {
      if (keyedMembers.remove(member)) {
        detached.add(router.detach(member));
      }
    }
    return Future.all(detached).mapEmpty();
  }

  @Override
  public Registration route(HttpMethod method, String path, ApiHandler handler) {
    Objects.requireNonNull(method, "method");
    return route(routes, method, path, RouteTable.defaultScope(name, method), handler);
  }

  @Override
  public Registration route(HttpMethod method, String path, String scope, ApiHandler handler) {
    return route(routes, method, path, RouteTable.checkScope(scope), handler);
  }

  @Override
  public Registration publicRoute(HttpMethod method, String path, ApiHandler handler) {
    Objects.requireNonNull(path, "path");
    for (String reserved : RESERVED) {
      if (path.equals(reserved) || path.startsWith(reserved + "/")) {
        throw new IllegalArgumentException("Public route " + path + " is under " + reserved
            + ", which belongs to the platform");
      }
    }
    return route(publicRoutes, method, path, null, handler);
  }

  @Override
  public java.nio.file.Path dataDir() {
    return dataDir;
  }

  @Override
  public String publicUrl() {
    return publicUrl.get();
  }

  @Override
  public io.vertx.core.net.TrustOptions trustOptions() {
    return graph.trustOptions();
  }

  private Registration route(RouteTable table, HttpMethod method, String path, String scope, ApiHandler handler) {
    Objects.requireNonNull(handler, "handler");
    Context ctx = checkOpen();
    Registration registration = table.add(name, method, path, scope, request -> {
      Promise<ApiResponse> response = Promise.promise();
      ctx.runOnContext(v -> logger.withMdc(() -> {
        long began = System.nanoTime();
        try {
          Future<ApiResponse> result = handler.handle(request);
          if (result == null) {
            response.fail(new IllegalStateException("route handler returned null instead of a Future"));
          } else {
            handlerMeters.timed("route", began, result).onComplete(response);
          }
        } catch (RuntimeException e) {
          handlerMeters.failed("route");
          response.fail(e);
        }
      }));
      return response.future();
    });
    Registration tracked = new Registration() {
      @Override
      public void close() {
        registration.close();
        routeRegistrations.remove(this);
      }
    };
    routeRegistrations.add(tracked);
    return tracked;
  }

  @Override
  public long setTimer(long delayMillis, Handler<Long> handler) {
    return timer(delayMillis, handler, false);
  }

  @Override
  public long setPeriodic(long delayMillis, Handler<Long> handler) {
    return timer(delayMillis, handler, true);
  }

  private long timer(long delayMillis, Handler<Long> handler, boolean periodic) {
    Objects.requireNonNull(handler, "handler");
    Context ctx = checkOpen();
    Handler<Long> guarded = timerId -> logger.withMdc(() -> {
      if (!periodic) {
        timers.remove(timerId);
      }
      long began = System.nanoTime();
      try {
        handler.handle(timerId);
        handlerMeters.returned("timer", began);
      } catch (RuntimeException e) {
        handlerMeters.failed("timer");
        logger.log(System.Logger.Level.ERROR, "timer handler failed", e);
      }
    });
    Handler<Long> onPlugin = onPluginContext(ctx, guarded);
    long id = periodic ? vertx.setPeriodic(delayMillis, onPlugin) : vertx.setTimer(delayMillis, onPlugin);
    timers.add(id);
    return id;
  }

  @Override
  public boolean cancelTimer(long timerId) {
    return timers.remove(timerId) && vertx.cancelTimer(timerId);
  }

  @Override
  public System.Logger logger() {
    return logger;
  }

  @Override
  public Meters meters() {
    return meters;
  }

  PluginLogger pluginLogger() {
    return logger;
  }

  /** Releases everything obtained through this context. Idempotent; afterwards obtaining throws. */
  Future<Void> release() {
    released = true;
    detachKeyed();
    List.copyOf(followings).forEach(Registration::close);
    routeRegistrations.forEach(Registration::close);
    routeRegistrations.clear();
    subscriptionRegistrations.forEach(Registration::close);
    subscriptionRegistrations.clear();
    timers.forEach(vertx::cancelTimer);
    timers.clear();
    meters.release();
    consumers.forEach(c -> LocalConsumers.removed(c.address()));
    Future<?>[] pending = consumers.stream().map(MessageConsumer::unregister).toArray(Future[]::new);
    consumers.clear();
    return Future.join(List.of(pending)).mapEmpty();
  }

  private Context checkOpen() {
    if (released) {
      throw new IllegalStateException("plugin " + name + " " + version + " has stopped; its context is closed");
    }
    Context ctx = context;
    if (ctx == null) {
      throw new IllegalStateException("plugin " + name + " " + version + " has not been started");
    }
    return ctx;
  }
}
