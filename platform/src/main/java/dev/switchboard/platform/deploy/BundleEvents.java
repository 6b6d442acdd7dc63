package dev.switchboard.platform.deploy;

import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;

/**
 * The framework's bundle events as futures, for the deployer: the bundle FileInstall installs from a file,
 * when the framework has tried to resolve it, when it has started (or failed to), when a bundle is uninstalled.
 * Registered once on the system bundle as an asynchronous bundle listener, so events arrive one at a time, in
 * the order they happened, on the framework's event thread; and as a resolver hook that only watches: a bundle
 * that cannot resolve gets no event at all, the end of the attempt is the only sign. Every future completes on
 * the deployer's context.
 *
 * <p>Each wait is armed before the change that triggers it (placing or deleting a file), so no event can be
 * missed, and ends with a {@link SwitchboardException} from the caller's supplier when nothing happened
 * within the timeout. Thread-safe.
 */
final class BundleEvents implements BundleListener, ResolverHookFactory {

  private final Vertx vertx;
  private final Context context;
  private final Function<Bundle, Path> fileOf;
  private final Duration timeout;
  /** Every pending wait and the timer that ends it. */
  private final Map<Watch, Long> watches = new ConcurrentHashMap<>();

  /**
   * @param context where futures complete
   * @param fileOf the deploy-folder file a bundle was installed from, or {@code null}
   * @param timeout how long any one wait lasts
   */
  BundleEvents(Vertx vertx, Context context, Function<Bundle, Path> fileOf, Duration timeout) {
    this.vertx = vertx;
    this.context = context;
    this.fileOf = fileOf;
    this.timeout = timeout;
  }

  /** How far the bundle installed from one file has got. */
  interface Start {
    /** Completes when a bundle is installed (or updated) from the file. */
    Future<Bundle> installed();

    /**
     * Completes when the framework has tried to resolve the bundle of the file (FileInstall starts new bundles),
     * whether it could or not, or has resolved it along with another; its state is then INSTALLED only if it
     * could not, once the attempt has released the framework's resolver.
     */
    Future<Bundle> resolveTried();

    /**
     * Completes, after {@link #installed}, when the framework has started the bundle or given up starting it
     * (its activator threw): the bundle's state tells which. A bundle that cannot resolve never gets here.
     */
    Future<Bundle> started();

    /** Stops waiting; pending futures are left as they are. */
    void close();
  }

  /**
   * Watches the bundle that is about to be installed from {@code file}; call before placing the file.
   *
   * @param onTimeout the failure of whatever has not happened within the timeout
   */
  Start startOf(Path file, Supplier<SwitchboardException> onTimeout) {
    StartWatch watch = new StartWatch(file);
    arm(watch, () -> {
      watch.installed.tryFail(onTimeout.get());
      watch.resolveTried.tryFail(onTimeout.get());
      watch.started.tryFail(onTimeout.get());
    });
    return watch;
  }

  /**
   * Completes when {@code bundle} is uninstalled (at once if it is already); arm it before the change that
   * uninstalls it.
   */
  Future<Void> uninstalled(Bundle bundle, Supplier<SwitchboardException> onTimeout) {
    Promise<Void> gone = Promise.promise();
    Watch watch = event -> {
      if (event.getBundle().getBundleId() == bundle.getBundleId() && event.getType() == BundleEvent.UNINSTALLED) {
        complete(gone, null);
        return true;
      }
      return false;
    };
    arm(watch, () -> gone.tryFail(onTimeout.get()));
    if (bundle.getState() == Bundle.UNINSTALLED) {
      disarm(watch);
      complete(gone, null);
    }
    return gone.future();
  }

  @Override
  public void bundleChanged(BundleEvent event) {
    for (Watch watch : watches.keySet()) {
      if (watch.on(event)) {
        disarm(watch);
      }
    }
  }

  /** Watches every resolution: changes nothing, reports which bundles the framework tried to resolve. */
  @Override
  public ResolverHook begin(Collection<BundleRevision> triggers) {
    List<Bundle> bundles = triggers.stream().map(BundleRevision::getBundle).toList();
    return new ResolverHook() {
      @Override
      public void filterResolvable(Collection<BundleRevision> candidates) {
      }

      @Override
      public void filterSingletonCollisions(BundleCapability singleton, Collection<BundleCapability> candidates) {
      }

      @Override
      public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
      }

      @Override
      public void end() {
        for (Watch watch : watches.keySet()) {
          if (watch instanceof StartWatch start) {
            bundles.forEach(start::resolveEnded);
          }
        }
      }
    };
  }

  private void arm(Watch watch, Runnable expire) {
    long timer = vertx.setTimer(timeout.toMillis(), id -> {
      if (watches.remove(watch) != null) {
        context.runOnContext(v -> expire.run());
      }
    });
    watches.put(watch, timer);
  }

  private void disarm(Watch watch) {
    Long timer = watches.remove(watch);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  private <T> void complete(Promise<T> promise, T value) {
    context.runOnContext(v -> promise.tryComplete(value));
  }

  /** One wait: sees every event until it says it is done. */
  @FunctionalInterface
  private interface Watch {
    /** Handles one event; {@code true} when the wait is over. */
    boolean on(BundleEvent event);
  }

  private final class StartWatch implements Watch, Start {
    private final Path file;
    private final Promise<Bundle> installed = Promise.promise();
    private final Promise<Bundle> resolveTried = Promise.promise();
    private final Promise<Bundle> started = Promise.promise();
    /** Written and read on the framework's event thread only. */
    private boolean installedSeen;

    StartWatch(Path file) {
      this.file = file;
    }

    @Override
    public boolean on(BundleEvent event) {
      Bundle bundle = event.getBundle();
      if (!file.equals(fileOf.apply(bundle))) {
        return false;
      }
      switch (event.getType()) {
        case BundleEvent.INSTALLED, BundleEvent.UPDATED -> {
          installedSeen = true;
          complete(installed, bundle);
          return false;
        }
        case BundleEvent.RESOLVED -> {
          // Resolved on the way to resolving another bundle, which the resolver hook does not name.
          complete(resolveTried, bundle);
          return false;
        }
        case BundleEvent.STARTED, BundleEvent.STOPPED -> {
          if (!installedSeen) {
            return false; // the previous bundle of this file stopping before an update
          }
          complete(started, bundle);
          return true;
        }
        default -> {
          return false;
        }
      }
    }

    /** On the thread that resolved, which still holds the framework's resolver. */
    void resolveEnded(Bundle bundle) {
      if (file.equals(fileOf.apply(bundle))) {
        complete(resolveTried, bundle);
      }
    }

    @Override
    public Future<Bundle> installed() {
      return installed.future();
    }

    @Override
    public Future<Bundle> resolveTried() {
      return resolveTried.future();
    }

    @Override
    public Future<Bundle> started() {
      return started.future();
    }

    @Override
    public void close() {
      disarm(this);
    }
  }
}
