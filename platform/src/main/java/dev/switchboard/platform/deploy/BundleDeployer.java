package dev.switchboard.platform.deploy;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.framework.FelixHost;
import dev.switchboard.platform.plugin.PluginExtender;
import dev.switchboard.platform.plugin.PluginInfo;
import dev.switchboard.platform.plugin.PluginRegistry;
import dev.switchboard.platform.plugin.PluginState;
import dev.switchboard.platform.routing.KeyRouter;
import dev.switchboard.platform.routing.Member;
import dev.switchboard.platform.storage.AtomicFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs, updates and removes bundles for the admin API, through the deploy folder so that FileInstall
 * and a restart see the same truth. An upload is checked first (is it a bundle? does it resolve against
 * what is installed?), then moved into the folder atomically, and the call returns once the bundle's
 * plugins have started — or undoes the change and says why they did not. Updates install the new version
 * beside the old one and move keys between them (see {@link UpdateMode}); the jars they replace are kept for
 * rollback.
 *
 * <p>Every method blocks (file I/O, framework operations, waiting for FileInstall): call from a worker.
 * Changes are serialized.
 */
public final class BundleDeployer {

  private static final Logger LOG = LoggerFactory.getLogger(BundleDeployer.class);
  private static final long POLL_MILLIS = 20;
  /** How long an update waits for a drain to finish before answering and letting it finish in the background. */
  private static final Duration QUICK_DRAIN = Duration.ofMillis(500);

  private final FelixHost host;
  private final BundleInventory inventory;
  private final PluginRegistry registry;
  private final PluginExtender extender;
  private final Path deployDir;
  private final Path stagingDir;
  private final BundleHistory history;
  private final Duration operationTimeout;
  private final Duration drainTimeout;
  private final Vertx vertx;
  private final KeyRouter router;

  public BundleDeployer(Vertx vertx, FelixHost host, BundleInventory inventory, PluginRegistry registry,
      PluginExtender extender, KeyRouter router, SwitchboardConfig config) {
    this.vertx = vertx;
    this.router = router;
    this.host = host;
    this.inventory = inventory;
    this.registry = registry;
    this.extender = extender;
    this.deployDir = config.deploy().dir().toAbsolutePath().normalize();
    this.stagingDir = config.data().dir().resolve("staging");
    this.history = new BundleHistory(config.data().dir().resolve("bundles"), config.deploy().keepVersions());
    this.operationTimeout = config.deploy().operationTimeout();
    this.drainTimeout = config.routing().drainTimeout();
  }

  /** A new file in the staging folder to write an upload to. */
  public Path newUpload() throws IOException {
    Files.createDirectories(stagingDir);
    return stagingDir.resolve(UUID.randomUUID() + ".upload");
  }

  /**
   * Installs and starts the bundle in {@code upload} (which is consumed).
   *
   * @return the bundle as {@code GET /admin/bundles} shows it
   * @throws SwitchboardException 400 not a bundle, 409 already installed, 422 does not resolve or a plugin
   *     failed to start (the bundle is removed again), 504 did not settle in time
   */
  public synchronized JsonObject install(Path upload) {
    try {
      BundleJar jar = BundleJar.read(upload);
      Optional<Bundle> existing = inventory.bundles().stream()
          .filter(b -> b.getSymbolicName().equals(jar.symbolicName())).findFirst();
      if (existing.isPresent()) {
        throw new SwitchboardException(ErrorCode.CONFLICT, "bundleExists", "Bundle " + jar.symbolicName() + " "
            + existing.get().getVersion() + " is already installed; update it with PUT /admin/bundles/"
            + jar.symbolicName());
      }
      checkResolves(jar);
      Path target = deployDir.resolve(jar.symbolicName() + ".jar");
      AtomicFiles.copy(upload, target);
      Bundle bundle = awaitSettled(target, -1);
      String failure = failureOf(bundle);
      if (failure != null) {
        Files.deleteIfExists(target);
        awaitGone(target);
        throw new SwitchboardException(ErrorCode.UNPROCESSABLE, "pluginFailed", "Bundle " + jar.symbolicName() + " "
            + jar.version() + " was not installed: " + failure);
      }
      LOG.info("Installed bundle {} {} from an upload", jar.symbolicName(), jar.version());
      return inventory.describe(bundle, false);
    } catch (IOException e) {
      throw storage(e);
    } finally {
      deleteQuietly(upload);
    }
  }

  /**
   * Updates bundle {@code name} to the one in {@code upload} (which is consumed): the new version is installed
   * beside the old one and, once its plugins have started, takes the old one's place: with
   * {@link UpdateMode#DRAIN} the old version keeps its keys until they end and is then removed (this call does
   * not wait for that); with {@link UpdateMode#TAKEOVER} the new version takes every key at once and the old
   * one is removed before this returns. If the new version fails to start it is removed and the old one keeps
   * serving, untouched.
   *
   * @throws SwitchboardException 404 unknown bundle, 400 not a bundle, 409 another bundle's jar or a version
   *     already installed, 422 does not resolve or failed to start, 504 did not settle in time
   */
  public JsonObject update(String name, Path upload, UpdateMode mode) {
    return update(name, upload, mode, true);
  }

  /**
   * Goes back to the version bundle {@code name} had before its last update, with the same modes as an update.
   *
   * @throws SwitchboardException 404 unknown bundle, 409 when no earlier version is kept
   */
  public JsonObject rollback(String name, UpdateMode mode) {
    Path previous;
    Path upload;
    synchronized (this) {
      Bundle current = inventory.find(name);
      try {
        previous = history.latest(current.getSymbolicName());
        if (previous == null) {
          throw new SwitchboardException(ErrorCode.CONFLICT, "noPreviousVersion", "No earlier version of bundle "
              + current.getSymbolicName() + " is kept under " + history.root() + "; nothing to roll back to");
        }
        upload = newUpload();
        Files.copy(previous, upload);
      } catch (IOException e) {
        throw storage(e);
      }
    }
    JsonObject result = update(name, upload, mode, false);
    try {
      Files.deleteIfExists(previous);
    } catch (IOException e) {
      LOG.warn("Could not remove {} from the bundle history: {}", previous, e.getMessage());
    }
    return result;
  }

  private synchronized JsonObject update(String name, Path upload, UpdateMode mode, boolean archiveCurrent) {
    try {
      Bundle current = inventory.find(name);
      BundleJar jar = BundleJar.read(upload);
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
      if (currentFile == null || !currentFile.startsWith(deployDir)) {
        throw new SwitchboardException(ErrorCode.CONFLICT, "notHotDeployed", "Bundle " + current.getSymbolicName()
            + " was not installed from the deploy folder (" + current.getLocation() + ") and cannot be updated here");
      }
      checkResolves(jar);
      if (archiveCurrent) {
        history.archive(current.getSymbolicName(), current.getVersion(), currentFile);
      }
      Path target = deployDir.resolve(jar.symbolicName() + "-" + jar.version() + ".jar");
      AtomicFiles.copy(upload, target);
      Bundle updated = awaitSettled(target, -1);
      String failure = failureOf(updated);
      if (failure != null) {
        Files.deleteIfExists(target);
        awaitGone(target);
        throw new SwitchboardException(ErrorCode.UNPROCESSABLE, "updateRefused", "Bundle " + jar.symbolicName()
            + " was not updated to " + jar.version() + ": " + failure + "; version " + current.getVersion()
            + " keeps serving");
      }
      List<Member> previous = router.membersOf(current.getBundleId());
      if (mode == UpdateMode.TAKEOVER) {
        if (!KeyRouter.await(router.takeover(previous), operationTimeout)) {
          LOG.warn("Takeover of bundle {} {} took longer than {} ms; removing it anyway", current.getSymbolicName(),
              current.getVersion(), operationTimeout.toMillis());
        }
        retire(current, currentFile);
      } else {
        Future<Void> drained = router.drain(previous, drainTimeout);
        if (KeyRouter.await(drained, QUICK_DRAIN)) {
          retire(current, currentFile); // it owned no keys (or they ended at once): done before answering
        } else {
          LOG.info("Bundle {} {} is draining {} keys", current.getSymbolicName(), current.getVersion(),
              previous.stream().mapToInt(Member::ownedKeys).sum());
          drained.onComplete(x -> vertx.executeBlocking(() -> {
            retire(current, currentFile);
            return null;
          }, false));
        }
      }
      LOG.info("Updated bundle {} from {} to {} ({})", jar.symbolicName(), current.getVersion(), jar.version(),
          mode.name().toLowerCase());
      return inventory.describe(updated, false);
    } catch (IOException e) {
      throw storage(e);
    } finally {
      deleteQuietly(upload);
    }
  }

  /** Removes an old version once it owns no keys: its file leaves the deploy folder, FileInstall uninstalls it. */
  private synchronized void retire(Bundle bundle, Path file) {
    try {
      if (inventory.installedFrom(file).filter(b -> b.getBundleId() == bundle.getBundleId()).isPresent()) {
        Files.deleteIfExists(file);
        awaitGone(file);
        LOG.info("Retired bundle {} {}", bundle.getSymbolicName(), bundle.getVersion());
      }
    } catch (IOException | SwitchboardException e) {
      LOG.error("Could not retire bundle {} {} ({}); remove {} by hand", bundle.getSymbolicName(), bundle.getVersion(),
          e.getMessage(), file);
    }
  }

  /**
   * Stops and removes bundle {@code name}; its jar is kept in the history.
   *
   * @throws SwitchboardException 404 unknown bundle
   */
  public synchronized void uninstall(String name) {
    Bundle bundle = inventory.find(name);
    Path file = inventory.fileOf(bundle);
    try {
      if (file != null && file.startsWith(deployDir)) {
        if (Files.exists(file)) {
          history.archive(bundle.getSymbolicName(), bundle.getVersion(), file);
        }
        Files.deleteIfExists(file);
        awaitGone(file);
      } else {
        bundle.uninstall();
        host.wiring().refreshBundles(List.of(bundle));
      }
      LOG.info("Uninstalled bundle {} {}", bundle.getSymbolicName(), bundle.getVersion());
    } catch (IOException e) {
      throw storage(e);
    } catch (BundleException e) {
      throw new SwitchboardException(ErrorCode.INTERNAL, "uninstallFailed", "Bundle " + bundle.getSymbolicName()
          + " could not be uninstalled: " + e.getMessage(), e);
    }
  }

  /** Installs the jar on the side, resolves it against what is installed, and removes it again. */
  private void checkResolves(BundleJar jar) throws IOException {
    Bundle probe;
    try (InputStream in = Files.newInputStream(jar.path())) {
      probe = host.context().installBundle(BundleInventory.CHECK_LOCATION + UUID.randomUUID(), in);
    } catch (BundleException e) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidManifest", "The bundle's manifest is invalid: "
          + e.getMessage());
    }
    try {
      if (!host.wiring().resolveBundles(List.of(probe))) {
        List<BundleDiagnostics.Missing> missing = BundleDiagnostics.missing(probe, host.wiring());
        String why = missing.isEmpty() ? "a bundle it depends on cannot resolve"
            : missing.stream().map(BundleDiagnostics.Missing::message).collect(Collectors.joining("; "));
        throw new SwitchboardException(ErrorCode.UNPROCESSABLE, "bundleUnresolved", "Bundle " + jar.symbolicName()
            + " " + jar.version() + " cannot be installed: it " + why);
      }
    } finally {
      try {
        probe.uninstall();
        host.wiring().refreshBundles(List.of(probe));
      } catch (BundleException | IllegalStateException e) {
        LOG.warn("Could not remove the resolution probe of {}: {}", jar.symbolicName(), e.getMessage());
      }
    }
  }

  /**
   * Waits until the bundle installed from {@code file} has a revision other than {@code previousModified}
   * and has either started its plugins or visibly failed.
   */
  private Bundle awaitSettled(Path file, long previousModified) {
    long deadline = System.nanoTime() + operationTimeout.toNanos();
    long stuckSince = 0;
    while (System.nanoTime() < deadline) {
      Optional<Bundle> found = inventory.installedFrom(file);
      if (found.isPresent() && found.get().getLastModified() != previousModified) {
        Bundle b = found.get();
        if (b.getState() == Bundle.ACTIVE && extender.processed(b) && registry.settled(b.getBundleId())) {
          return b;
        }
        if (b.getState() == Bundle.INSTALLED || b.getState() == Bundle.RESOLVED) {
          stuckSince = stuckSince == 0 ? System.nanoTime() : stuckSince;
          if (System.nanoTime() - stuckSince > Duration.ofSeconds(2).toNanos()) {
            return b;
          }
        }
      }
      sleep();
    }
    throw new SwitchboardException(ErrorCode.TIMEOUT, "deployTimeout", file.getFileName() + " was placed in "
        + deployDir + " but its bundle did not start within " + operationTimeout.toMillis()
        + " ms; check GET /admin/bundles and the server log");
  }

  private void awaitGone(Path file) {
    long deadline = System.nanoTime() + operationTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (inventory.installedFrom(file).isEmpty()) {
        return;
      }
      sleep();
    }
    throw new SwitchboardException(ErrorCode.TIMEOUT, "deployTimeout", file.getFileName() + " was removed from "
        + deployDir + " but its bundle was still installed after " + operationTimeout.toMillis() + " ms");
  }

  /** Why a settled bundle is not serving, or {@code null} when all its plugins are active. */
  private String failureOf(Bundle bundle) {
    if (bundle.getState() != Bundle.ACTIVE) {
      String problems = String.join("; ", inventory.describe(bundle, false).getJsonArray("problems").getList());
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

  private static void sleep() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SwitchboardException(ErrorCode.INTERNAL, "interrupted", "Interrupted while waiting for the deploy folder");
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Could not delete staged upload {}: {}", file, e.getMessage());
    }
  }

  private static SwitchboardException storage(IOException e) {
    return new SwitchboardException(ErrorCode.INTERNAL, "storageError", "The server could not write to its deploy "
        + "or data folder: " + e.getMessage() + "; check free space and permissions", e);
  }
}
