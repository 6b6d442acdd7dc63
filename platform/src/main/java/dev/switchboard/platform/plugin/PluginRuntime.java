package dev.switchboard.platform.plugin;

import dev.switchboard.api.Plugin;
import dev.switchboard.platform.routing.KeyRouter;
import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One plugin instance, run as its own Vert.x deployment so that whatever it registers on its context is
 * released with the deployment, and tracked through its {@link TrackedPluginContext} so that whatever it
 * obtained through the context is released explicitly as well.
 */
final class PluginRuntime implements Deployable {

  private static final Logger LOG = LoggerFactory.getLogger(PluginRuntime.class);
  /**
   * {@code -Dswitchboard.plugins.isolation=thread}: each plugin instance runs on a thread of its own instead of
   * sharing the event loops (docs/isolation.md says what each gives).
   */
  static final boolean THREAD_ISOLATION = "thread".equals(System.getProperty("switchboard.plugins.isolation"));

  private final Plugin plugin;
  private final long bundleId;
  private final Vertx vertx;
  private final Duration startTimeout;
  private final Duration stopTimeout;
  private final TrackedPluginContext context;
  private volatile PluginState state = PluginState.STARTING;
  private volatile String failure;
  private volatile Instant since = Instant.now();
  private volatile String deploymentId;

  PluginRuntime(Plugin plugin, String name, String version, long bundleId, JsonObject config,
      PluginServices services) {
    this.plugin = plugin;
    this.bundleId = bundleId;
    this.vertx = services.vertx();
    this.startTimeout = services.startTimeout();
    this.stopTimeout = services.stopTimeout();
    this.context = new TrackedPluginContext(name, version, bundleId, config, services);
  }

  String name() {
    return context.name();
  }

  String version() {
    return context.version();
  }

  long bundleId() {
    return bundleId;
  }

  PluginState state() {
    return state;
  }

  PluginInfo info() {
    return new PluginInfo(context.name(), context.version(), bundleId, state, failure, since,
        context.health().snapshot());
  }

  /** How the plugin behaves (plain counters; see {@link PluginHealth}). */
  PluginHealth health() {
    return context.health();
  }

  /** Deploys the plugin and calls its {@code start}; the future reports the outcome (never fails). */
  Future<PluginState> start() {
    long began = System.nanoTime();
    // Deliberately not the bundle's classloader: Vert.x makes a context's loader the thread context loader
    // while it runs, and threads started meanwhile inherit it for life, pinning a removed bundle forever
    // (found with a heap dump: an event-loop thread held version 1's loader after an update).
    DeploymentOptions options = new DeploymentOptions().setClassLoader(PluginRuntime.class.getClassLoader());
    if (THREAD_ISOLATION) {
      // A thread of its own: the plugin's handlers run there in order, and blocking it holds no one else's.
      options.setThreadingModel(ThreadingModel.WORKER).setWorkerPoolSize(1)
          .setWorkerPoolName("plugin-" + name() + "-" + version() + "-" + bundleId);
    }
    return vertx.deployVerticle(this, options).transform(ar -> {
      if (ar.succeeded()) {
        deploymentId = ar.result();
        enter(PluginState.ACTIVE, null);
        context.pluginLogger().withMdc(() -> LOG.info("Plugin {} {} started in {} ms", name(), version(),
            (System.nanoTime() - began) / 1_000_000));
        return Future.succeededFuture(state);
      }
      String cause = describe(ar.cause(), "start", startTimeout);
      enter(PluginState.FAILED, cause);
      context.pluginLogger().withMdc(() -> LOG.error("Plugin {} {} failed to start and is marked FAILED: {}",
          name(), version(), cause, ar.cause() instanceof TimeoutException ? null : ar.cause()));
      return context.release().transform(x -> Future.succeededFuture(state));
    });
  }

  @Override
  public Future<?> deploy(Context vertxContext) {
    context.bind(vertxContext);
    vertxContext.exceptionHandler(e -> {
      context.health().failure();
      context.pluginLogger().withMdc(
          () -> LOG.error("Plugin {} {} let an exception escape a handler", name(), version(), e));
    });
    Future<Void> started;
    try {
      started = plugin.start(context);
    } catch (RuntimeException | LinkageError e) {
      return Future.failedFuture(e);
    }
    if (started == null) {
      return Future.failedFuture(new IllegalStateException("start returned null instead of a Future"));
    }
    return started.timeout(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public Future<?> undeploy(Context vertxContext) {
    Future<Void> stopped;
    try {
      stopped = plugin.stop();
      if (stopped == null) {
        stopped = Future.failedFuture(new IllegalStateException("stop returned null instead of a Future"));
      }
    } catch (RuntimeException | LinkageError e) {
      stopped = Future.failedFuture(e);
    }
    return stopped.timeout(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .onFailure(e -> {
          if (e instanceof TimeoutException) {
            context.health().stopTimedOut();
          }
          context.pluginLogger().withMdc(() -> LOG.warn(
              "Plugin {} {} did not stop cleanly ({}); releasing its resources anyway", name(), version(),
              describe(e, "stop", stopTimeout)));
        })
        .eventually(context::release)
        .otherwiseEmpty();
  }

  /**
   * Stops the plugin and releases everything it obtained. Blocks the calling thread (never an event
   * loop) until done or until the stop timeout has passed twice over.
   */
  void stop() {
    if (state == PluginState.STOPPED) {
      return;
    }
    boolean wasRunning = deploymentId != null;
    if (state != PluginState.FAILED) {
      enter(PluginState.STOPPING, null);
    }
    // Keyed messages stop first, while the plugin can still finish the ones in flight; its keys move on.
    Future<Void> handedOver = context.detachKeyed();
    if (!Context.isOnEventLoopThread() && !KeyRouter.await(handedOver, stopTimeout)) {
      LOG.warn("Plugin {} {} still had keyed messages in flight after {} ms; stopping it anyway", name(), version(),
          stopTimeout.toMillis());
    }
    Future<Void> done = wasRunning ? vertx.undeploy(deploymentId) : context.release();
    if (Context.isOnEventLoopThread()) {
      done.onComplete(ar -> finishStop(wasRunning));
      return;
    }
    try {
      done.toCompletionStage().toCompletableFuture().get(stopTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("Plugin {} {} took too long to undeploy ({}); releasing its resources", name(), version(), e.toString());
      context.release();
    }
    finishStop(wasRunning);
  }

  private void finishStop(boolean wasRunning) {
    context.release();
    if (state != PluginState.FAILED) {
      enter(PluginState.STOPPED, null);
    }
    if (wasRunning) {
      context.pluginLogger().withMdc(() -> LOG.info("Plugin {} {} stopped", name(), version()));
    }
  }

  private void enter(PluginState next, String cause) {
    state = next;
    failure = cause;
    since = Instant.now();
  }

  private static String describe(Throwable e, String phase, Duration timeout) {
    if (e instanceof TimeoutException || (e != null && e.getCause() instanceof TimeoutException)) {
      return phase + " did not complete within " + timeout.toMillis() + " ms";
    }
    if (e == null) {
      return phase + " failed";
    }
    String message = e.getMessage();
    if (e.getClass().getSimpleName().equals("NoStackTraceThrowable") && message != null) {
      return message; // Future.failedFuture("...") — the text is all there is
    }
    return e.getClass().getName() + (message == null ? "" : ": " + message);
  }
}
