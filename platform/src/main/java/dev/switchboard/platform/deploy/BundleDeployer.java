package dev.switchboard.platform.deploy;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.framework.FelixHost;
import dev.switchboard.platform.plugin.PluginRegistry;
import dev.switchboard.platform.routing.KeyRouter;
import dev.switchboard.platform.routing.Member;
import dev.switchboard.platform.storage.AtomicFiles;
import dev.switchboard.platform.vertx.OwnContext;
import io.vertx.core.Context;
import dev.switchboard.platform.metrics.SwitchboardMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.osgi.framework.Bundle;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs, updates, rolls back and uninstalls bundles for the admin API, through the deploy folder so that
 * FileInstall and a restart see the same truth. An upload is checked first (is it a bundle? does what it requires
 * exist?), written once under a hidden name in the deploy folder and moved to its real name in one step; the
 * future completes once the bundle's plugins have started — or after the change has been undone, with the reason.
 * Updates install the new version beside the old one and move keys between them (see {@link UpdateMode}); the
 * jars they replace are kept for rollback.
 *
 * <p>Changes run one at a time, in the order they were asked for; every method returns at once. Futures
 * complete on the deployer's own context; file and framework work runs on workers, and waits end on framework
 * and plugin-registry events, never by polling.
 */
public final class BundleDeployer implements BundleOperations {

  private static final Logger LOG = LoggerFactory.getLogger(BundleDeployer.class);
  /** How long an update waits for a drain to finish before answering and letting it finish in the background. */
  private static final Duration QUICK_DRAIN = Duration.ofMillis(500);

  private final Vertx vertx;
  private final Context context;
  private final FelixHost host;
  private final BundleInventory inventory;
  private final KeyRouter router;
  private final DeployFolder folder;
  private final BundleHistory history;
  private final Duration operationTimeout;
  private final Duration drainTimeout;
  private final ChangeQueue changes = new ChangeQueue();

  /** What an update starts from: the running version and the checked jar that replaces it. */
  private record Replacement(Bundle current, Path currentFile, BundleJar jar, Path target) {
  }

  /** What an uninstall removes: the bundle and, when it came from the deploy folder, its jar there. */
  private record Removal(Bundle bundle, Path file) {
  }

  private BundleDeployer(Vertx vertx, Context context, BundleEvents events, FelixHost host, BundleInventory inventory,
      PluginRegistry registry, KeyRouter router, SwitchboardConfig config) {
    this.vertx = vertx;
    this.context = context;
    this.host = host;
    this.inventory = inventory;
    this.router = router;
    Path deployDir = config.deploy().dir().toAbsolutePath().normalize();
    this.folder = new DeployFolder(vertx, context, host, inventory, registry, events, deployDir,
        config.deploy().operationTimeout());
    this.history = new BundleHistory(config.data().dir().resolve("bundles"), config.deploy().keepVersions());
    this.operationTimeout = config.deploy().operationTimeout();
    this.drainTimeout = config.routing().drainTimeout();
  }

  /** Creates a deployer with a context of its own, listening to the started framework {@code host}. */
  public static Future<BundleDeployer> create(Vertx vertx, FelixHost host, BundleInventory inventory,
      PluginRegistry registry, KeyRouter router, SwitchboardConfig config) {
    Objects.requireNonNull(host, "host");
    return OwnContext.create(vertx).compose(context -> context.executeBlocking(() -> {
      Path deployDir = config.deploy().dir();
      int leftovers = AtomicFiles.removeLeftoverParts(deployDir);
      if (leftovers > 0) {
        LOG.warn("Removed {} unfinished upload(s) (hidden .part files) from {}: an earlier run stopped while writing "
            + "them; upload those bundles again if they are missing", leftovers, deployDir);
      }
      BundleEvents events = new BundleEvents(vertx, context, inventory::fileOf, config.deploy().operationTimeout());
      host.context().addBundleListener(events);
      host.context().registerService(ResolverHookFactory.class, events, null);
      return new BundleDeployer(vertx, context, events, host, inventory, registry, router, config);
    }, false));
  }

  /**
   * Installs and starts the bundle in {@code jar}.
   *
   * @return the bundle as {@code GET /admin/bundles} shows it, once its plugins are active; or a
   *     {@link SwitchboardException}: 400 not a bundle, 409 already installed, 422 does not resolve or a plugin
   *     failed to start (the bundle is removed again), 504 did not settle in time
   */
  @Override
  public Future<BundleView> install(Buffer jar) {
    Objects.requireNonNull(jar, "jar");
    return change(() -> staged(() -> folder.stage(jar), part -> {
      BundleJar checked = BundleJar.read(part);
      inventory.bundles().stream().filter(b -> b.getSymbolicName().equals(checked.symbolicName())).findFirst()
          .ifPresent(existing -> {
            throw new SwitchboardException(ErrorCode.CONFLICT, "bundleExists", "Bundle " + checked.symbolicName()
                + " " + existing.getVersion() + " is already installed; update it with PUT /admin/bundles/"
                + checked.symbolicName());
          });
      ResolutionCheck.check(checked, host.wiring());
      return checked;
    }, (part, checked) -> {
      Path target = folder.dir().resolve(checked.symbolicName() + ".jar");
      return folder.place(part, target).compose(settled -> settled.failure() == null
          ? view(settled.bundle()).onSuccess(v -> LOG.info("Installed bundle {} {} from an upload",
              checked.symbolicName(), checked.version()))
          : undo(target, settled, new SwitchboardException(ErrorCode.UNPROCESSABLE, "pluginFailed", "Bundle "
              + checked.symbolicName() + " " + checked.version() + " was not installed: " + settled.failure())));
    }));
  }

  /**
   * Updates bundle {@code name} to the one in {@code jar}: the new version is installed beside the old one and,
   * once its plugins have started, takes the old one's place: with {@link UpdateMode#DRAIN} the old version keeps
   * its keys until they end and is then removed (the future does not wait for that unless it takes less than
   * half a second); with {@link UpdateMode#TAKEOVER} the new version takes every key at once and the old one is
   * removed before the future completes. If the new version fails to start it is removed and the old one keeps
   * serving, untouched. The replaced jar is kept for {@link #rollback}.
   *
   * @return the new version; or a {@link SwitchboardException}: 404 unknown bundle, 400 not a bundle, 409 another
   *     bundle's jar or a version already installed, 422 does not resolve or failed to start, 504 did not settle
   */
  @Override
  public Future<BundleView> update(String name, Buffer jar, UpdateMode mode) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(jar, "jar");
    Objects.requireNonNull(mode, "mode");
    return counted("update", mode, change(() -> staged(() -> folder.stage(jar), part -> replacement(name, part),
        (part, replacement) -> replace(part, replacement, mode, true))));
  }

  /**
   * Goes back to the version bundle {@code name} had before its last update, with the same modes as an update;
   * that jar then leaves the history.
   *
   * @return the restored version; or a {@link SwitchboardException}: 404 unknown bundle, 409 when no earlier
   *     version is kept, and as for {@link #update}
   */
  @Override
  public Future<BundleView> rollback(String name, UpdateMode mode) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mode, "mode");
    Promise<Path> previous = Promise.promise();
    return counted("rollback", mode, change(() -> staged(() -> {
      Bundle current = inventory.find(name);
      Path kept = history.latest(current.getSymbolicName());
      if (kept == null) {
        throw new SwitchboardException(ErrorCode.CONFLICT, "noPreviousVersion", "No earlier version of bundle "
            + current.getSymbolicName() + " is kept under " + history.root() + "; nothing to roll back to");
      }
      previous.complete(kept);
      return folder.stage(kept);
    }, part -> replacement(name, part), (part, replacement) -> replace(part, replacement, mode, false)
        .compose(view -> blocking(() -> {
          Path restored = previous.future().result();
          try {
            Files.deleteIfExists(restored);
          } catch (IOException e) {
            LOG.warn("Could not remove {} from the bundle history: {}", restored, e.getMessage());
          }
          return view;
        })))));
  }

  /**
   * Counts a swap once answered: {@code switchboard_swaps_total{kind,mode,outcome}} ({@code kind} update or rollback,
   * {@code outcome} succeeded or the error code it failed with).
   */
  private <T> Future<T> counted(String kind, UpdateMode mode, Future<T> swap) {
    return swap.onComplete(ar -> Counter.builder("switchboard.swaps")
        .description("Bundle updates and rollbacks, by kind, mode and outcome (succeeded or the error code)")
        .tag("kind", kind).tag("mode", mode.name().toLowerCase(java.util.Locale.ROOT))
        .tag("outcome", ar.succeeded() ? "succeeded" : ar.cause() instanceof SwitchboardException e ? e.errorId()
            : "failed")
        .register(SwitchboardMetrics.of(vertx).registry()).increment());
  }

  /**
   * Stops and removes bundle {@code name}; a jar from the deploy folder is kept in the history.
   *
   * @return the bundle as it is now (UNINSTALLED); or a {@link SwitchboardException}: 404 unknown bundle, 504 when
   *     the framework did not remove it in time
   */
  @Override
  public Future<BundleView> uninstall(String name) {
    Objects.requireNonNull(name, "name");
    return change(() -> blocking(() -> {
      Bundle bundle = inventory.find(name);
      Path file = inventory.fileOf(bundle);
      if (file == null || !file.startsWith(folder.dir())) {
        return new Removal(bundle, null);
      }
      if (Files.exists(file)) {
        history.archive(bundle.getSymbolicName(), bundle.getVersion(), file);
      }
      return new Removal(bundle, file);
    }).compose(found -> (found.file() != null ? folder.remove(found.file(), found.bundle())
        : folder.uninstall(found.bundle()))
        .compose(v -> view(found.bundle()))
        .onSuccess(v -> LOG.info("Uninstalled bundle {} {}", v.name(), v.version()))));
  }

  /** The checks of an update or a rollback of bundle {@code name} to the staged jar {@code part}; blocking. */
  private Replacement replacement(String name, Path part) {
    Bundle current = inventory.find(name);
    BundleJar jar = BundleJar.read(part);
    if (!jar.symbolicName().equals(current.getSymbolicName())) {
      throw new SwitchboardException(ErrorCode.CONFLICT, "bundleNameMismatch", "The uploaded jar is bundle "
          + jar.symbolicName() + ", not " + current.getSymbolicName() + "; install it with POST /admin/bundles");
    }
    for (Bundle b : inventory.bundles()) {
      if (b.getSymbolicName().equals(jar.symbolicName()) && b.getVersion().equals(jar.version())) {
        throw new SwitchboardException(ErrorCode.CONFLICT, "versionInstalled", "Bundle " + jar.symbolicName() + " "
            + jar.version() + " is already installed; give the update a new Bundle-Version");
      }
    }
    Path currentFile = inventory.fileOf(current);
    if (currentFile == null || !currentFile.startsWith(folder.dir())) {
      throw new SwitchboardException(ErrorCode.CONFLICT, "notHotDeployed", "Bundle " + current.getSymbolicName()
          + " was not installed from the deploy folder (" + current.getLocation() + ") and cannot be updated here");
    }
    ResolutionCheck.check(jar, host.wiring());
    return new Replacement(current, currentFile, jar,
        folder.dir().resolve(jar.symbolicName() + "-" + jar.version() + ".jar"));
  }

  /** Places the new version and, once it serves, hands the old one's keys over and retires it. */
  private Future<BundleView> replace(Path part, Replacement r, UpdateMode mode, boolean archiveCurrent) {
    String old = r.current().getSymbolicName() + " " + r.current().getVersion();
    return folder.place(part, r.target()).compose(settled -> {
      if (settled.failure() != null) {
        return undo(r.target(), settled, new SwitchboardException(ErrorCode.UNPROCESSABLE, "updateRefused", "Bundle "
            + r.jar().symbolicName() + " was not updated to " + r.jar().version() + ": " + settled.failure()
            + "; version " + r.current().getVersion() + " keeps serving"));
      }
      Future<Void> archived = !archiveCurrent ? Future.succeededFuture() : blocking(() -> {
        history.archive(r.current().getSymbolicName(), r.current().getVersion(), r.currentFile());
        return null;
      });
      return archived.compose(v -> handOver(r.current(), r.currentFile(), mode))
          .compose(v -> view(settled.bundle()))
          .onSuccess(v -> LOG.info("Updated bundle {} to {} ({})", old, r.jar().version(),
              mode.name().toLowerCase()));
    });
  }

  /**
   * Moves the keys of the replaced version {@code current} to the newest and removes it: at once with takeover;
   * with drain, before answering if it owns nothing within {@link #QUICK_DRAIN}, else in the background once
   * it owns nothing (a queued change, like any other).
   */
  private Future<Void> handOver(Bundle current, Path file, UpdateMode mode) {
    List<Member> members = router.membersOf(current.getBundleId());
    if (mode == UpdateMode.TAKEOVER) {
      return within(router.takeover(members), operationTimeout).compose(done -> {
        if (!done) {
          LOG.warn("Takeover of bundle {} {} took longer than {} ms; removing it anyway", current.getSymbolicName(),
              current.getVersion(), operationTimeout.toMillis());
        }
        return retire(current, file);
      });
    }
    Future<Void> drained = router.drain(members, drainTimeout);
    return within(drained, QUICK_DRAIN).compose(done -> {
      if (done) {
        return retire(current, file); // it owned no keys (or they ended at once): done before answering
      }
      LOG.info("Bundle {} {} is draining {} keys", current.getSymbolicName(), current.getVersion(),
          members.stream().mapToInt(Member::ownedKeys).sum());
      drained.onComplete(x -> change(() -> retire(current, file)));
      return Future.succeededFuture();
    });
  }

  /** Removes a replaced version once it owns no keys; never fails (a failure is logged for the operator). */
  private Future<Void> retire(Bundle bundle, Path file) {
    return blocking(() -> inventory.installedFrom(file).filter(b -> b.getBundleId() == bundle.getBundleId()))
        .compose(installed -> installed.isEmpty() ? Future.succeededFuture() : folder.remove(file, bundle)
            .onSuccess(v -> LOG.info("Retired bundle {} {}", bundle.getSymbolicName(), bundle.getVersion())))
        .recover(e -> {
          LOG.error("Could not retire bundle {} {} ({}); remove {} by hand", bundle.getSymbolicName(),
              bundle.getVersion(), e.getMessage(), file);
          return Future.succeededFuture();
        });
  }

  /** Removes a new version that did not start, then fails with {@code why}. */
  private <T> Future<T> undo(Path target, DeployFolder.Settled settled, SwitchboardException why) {
    LOG.warn("{}; removing it again", why.getMessage());
    return folder.remove(target, settled.bundle()).transform(removed -> {
      if (removed.failed()) {
        LOG.error("Could not remove {} after a failed deploy ({}); delete it by hand", target,
            removed.cause().getMessage());
      }
      return Future.failedFuture(why);
    });
  }

  /**
   * Stages a jar, checks it and runs the change on it; the staged file is deleted afterwards unless the change
   * moved it into place. Staging and checks run on a worker.
   */
  private <C, T> Future<T> staged(Callable<Path> stage, Checks<C> checks, Change<C, T> change) {
    Promise<Path> staged = Promise.promise();
    return blocking(() -> {
      Path part = stage.call();
      staged.complete(part);
      return checks.check(part);
    }).compose(checked -> change.run(staged.future().result(), checked))
        .eventually(() -> staged.future().succeeded() ? blocking(() -> Files.deleteIfExists(staged.future().result()))
            .recover(e -> {
              LOG.warn("Could not delete the staged upload {}: {}", staged.future().result(), e.getMessage());
              return Future.succeededFuture();
            }) : Future.succeededFuture());
  }

  @FunctionalInterface
  private interface Checks<C> {
    C check(Path staged) throws Exception;
  }

  @FunctionalInterface
  private interface Change<C, T> {
    Future<T> run(Path staged, C checked);
  }

  /**
   * Queues a change: it starts on the deployer's context once the previous change has completed; an
   * {@link IOException} becomes a {@code storageError} an operator can act on.
   */
  private <T> Future<T> change(java.util.function.Supplier<Future<T>> work) {
    return changes.submit(() -> {
      Promise<T> done = Promise.promise();
      context.runOnContext(v -> {
        Future<T> started;
        try {
          started = work.get();
        } catch (RuntimeException e) {
          started = Future.failedFuture(e);
        }
        started.onComplete(done);
      });
      return done.future().recover(e -> Future.failedFuture(e instanceof IOException io ? storage(io) : e));
    });
  }

  /** Whether {@code future} completed (either way) within {@code limit}; never fails. */
  private Future<Boolean> within(Future<?> future, Duration limit) {
    return Deadline.met(vertx, context, future, limit);
  }

  private Future<BundleView> view(Bundle bundle) {
    return blocking(() -> inventory.view(bundle));
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return context.executeBlocking(work, false);
  }

  private static SwitchboardException storage(IOException e) {
    return new SwitchboardException(ErrorCode.INTERNAL, "storageError", "The server could not write to its deploy "
        + "or data folder: " + e.getMessage() + "; check free space and permissions", e);
  }
}
