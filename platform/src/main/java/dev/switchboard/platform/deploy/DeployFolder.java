package dev.switchboard.platform.deploy;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.framework.FelixHost;
import dev.switchboard.platform.plugin.PluginInfo;
import dev.switchboard.platform.plugin.PluginRegistry;
import dev.switchboard.platform.plugin.PluginState;
import dev.switchboard.platform.storage.AtomicFiles;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;

/**
 * The deploy folder as futures. A jar is staged under a hidden name in the folder (which FileInstall ignores),
 * then moved to its real name in one step: FileInstall installs it — the only time the framework reads it — and
 * the future completes from framework and plugin-registry events once its plugins have started, or once it is
 * clear they will not. Removing a jar completes when its bundle is uninstalled.
 *
 * <p>Call from the deployer's context; futures complete there. Blocking steps (files, the framework) run on
 * workers. Every wait ends within the operation timeout, with a {@link ErrorCode#TIMEOUT} failure.
 */
final class DeployFolder {

  /**
   * A jar placed in the folder whose bundle has stopped changing.
   *
   * @param bundle the bundle installed from it
   * @param failure why it is not serving, for a person, or {@code null} when every plugin is active
   */
  record Settled(Bundle bundle, String failure) {
  }

  private final Vertx vertx;
  private final Context context;
  private final FelixHost host;
  private final BundleInventory inventory;
  private final PluginRegistry registry;
  private final BundleEvents events;
  private final Path dir;
  private final Duration timeout;

  DeployFolder(Vertx vertx, Context context, FelixHost host, BundleInventory inventory, PluginRegistry registry,
      BundleEvents events, Path dir, Duration timeout) {
    this.vertx = vertx;
    this.context = context;
    this.host = host;
    this.inventory = inventory;
    this.registry = registry;
    this.events = events;
    this.dir = dir;
    this.timeout = timeout;
  }

  Path dir() {
    return dir;
  }

  /** Writes {@code content} under a new hidden name in the folder. Blocking. */
  Path stage(Buffer content) throws IOException {
    Path part = AtomicFiles.newPart(dir);
    Files.write(part, content.getBytes());
    return part;
  }

  /** Copies {@code jar} under a new hidden name in the folder. Blocking. */
  Path stage(Path jar) throws IOException {
    Path part = AtomicFiles.newPart(dir);
    Files.copy(jar, part);
    return part;
  }

  /**
   * Moves the staged {@code part} to {@code target} and follows its bundle until it has settled: installed,
   * resolved and started, and every plugin ACTIVE or FAILED; or installed but unresolvable; or its start
   * failed. Fails only when that takes longer than the timeout, or the move fails.
   */
  Future<Settled> place(Path part, Path target) {
    BundleEvents.Start start = events.startOf(target, () -> timeout(target.getFileName() + " was placed in " + dir
        + " but its bundle did not start within " + timeout.toMillis() + " ms; check GET /admin/bundles and the "
        + "server log"));
    return blocking(() -> {
      AtomicFiles.moveOver(part, target);
      return null;
    }).compose(moved -> start.installed())
        // FileInstall only logs a bundle it cannot start. Once its attempt is over, resolving again (which waits
        // for the resolver the attempt holds) says at once whether the bundle is resolved; not before, or
        // FileInstall's start would find the resolver busy and fail.
        .compose(installed -> start.resolveTried())
        .compose(bundle -> blocking(() -> bundle.getState() != Bundle.INSTALLED
            || host.wiring().resolveBundles(List.of(bundle)))
            .compose(resolves -> resolves ? start.started() : Future.succeededFuture(bundle)))
        .compose(bundle -> bundle.getState() != Bundle.ACTIVE ? Future.succeededFuture(bundle)
            : here(registry.whenStarted(bundle.getBundleId()), () -> timeout("The plugins of " + target.getFileName()
                + " did not finish starting within " + timeout.toMillis() + " ms")).map(bundle))
        .compose(bundle -> blocking(() -> new Settled(bundle, failureOf(bundle))))
        .onComplete(x -> start.close());
  }

  /** Deletes {@code file}, which {@code bundle} was installed from; completes once FileInstall has uninstalled it. */
  Future<Void> remove(Path file, Bundle bundle) {
    Future<Void> gone = events.uninstalled(bundle, () -> timeout(file.getFileName() + " was removed from " + dir
        + " but its bundle was still installed after " + timeout.toMillis() + " ms"));
    return blocking(() -> Files.deleteIfExists(file)).compose(deleted -> gone);
  }

  /** Uninstalls a bundle that did not come from the folder; completes once the framework has refreshed. */
  Future<Void> uninstall(Bundle bundle) {
    Promise<Void> refreshed = Promise.promise();
    return blocking(() -> {
      bundle.uninstall();
      host.wiring().refreshBundles(List.of(bundle), event -> {
        if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
          refreshed.tryComplete();
        }
      });
      return null;
    }).compose(v -> here(refreshed.future(), () -> timeout("Bundle " + bundle.getSymbolicName()
        + " was uninstalled but the framework did not refresh within " + timeout.toMillis() + " ms")));
  }

  /** Why a settled bundle is not serving, or {@code null} when all its plugins are active. Blocking. */
  private String failureOf(Bundle bundle) {
    if (bundle.getState() != Bundle.ACTIVE) {
      String problems = String.join("; ", inventory.view(bundle).problems());
      return "the bundle did not start (" + BundleInventory.stateName(bundle.getState()) + ")"
          + (problems.isEmpty() ? "; see the server log" : ": " + problems);
    }
    List<PluginInfo> failed = registry.pluginsOf(bundle.getBundleId()).stream()
        .filter(p -> p.state() == PluginState.FAILED).toList();
    if (failed.isEmpty()) {
      return null;
    }
    return failed.stream().map(p -> "plugin " + p.name() + " failed to start: " + p.failure())
        .collect(Collectors.joining("; "));
  }

  /** {@code future}, completed on the deployer's context, or failed when it takes longer than the timeout. */
  private <T> Future<T> here(Future<T> future, Supplier<SwitchboardException> onTimeout) {
    return Deadline.of(vertx, context, future, timeout, onTimeout);
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return context.executeBlocking(work, false);
  }

  private static SwitchboardException timeout(String message) {
    return new SwitchboardException(ErrorCode.TIMEOUT, "deployTimeout", message);
  }
}
