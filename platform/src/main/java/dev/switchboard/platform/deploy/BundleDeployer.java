package dev.switchboard.platform.deploy;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.framework.FelixHost;
import dev.switchboard.platform.plugin.PluginExtender;
import dev.switchboard.platform.plugin.PluginInfo;
import dev.switchboard.platform.plugin.PluginRegistry;
import dev.switchboard.platform.plugin.PluginState;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * plugins have started — or undoes the change and says why they did not.
 *
 * <p>Every method blocks (file I/O, framework operations, waiting for FileInstall): call from a worker.
 * Changes are serialized.
 */
public final class BundleDeployer {

  private static final Logger LOG = LoggerFactory.getLogger(BundleDeployer.class);
  private static final long POLL_MILLIS = 20;

  private final FelixHost host;
  private final BundleInventory inventory;
  private final PluginRegistry registry;
  private final PluginExtender extender;
  private final Path deployDir;
  private final Path stagingDir;
  private final BundleHistory history;
  private final Duration operationTimeout;

  public BundleDeployer(FelixHost host, BundleInventory inventory, PluginRegistry registry, PluginExtender extender,
      Path deployDir, Path dataDir, int keepVersions, Duration operationTimeout) {
    this.host = host;
    this.inventory = inventory;
    this.registry = registry;
    this.extender = extender;
    this.deployDir = deployDir.toAbsolutePath().normalize();
    this.stagingDir = dataDir.resolve("staging");
    this.history = new BundleHistory(dataDir.resolve("bundles"), keepVersions);
    this.operationTimeout = operationTimeout;
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
      moveIntoDeploy(upload, target);
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
   * Replaces bundle {@code name} with the one in {@code upload} (which is consumed). If the new version's
   * plugins fail to start, the previous jar is put back.
   *
   * @throws SwitchboardException 404 unknown bundle, 400 not a bundle, 409 another bundle's jar, 422 does
   *     not resolve or failed to start (the previous version is restored), 504 did not settle in time
   */
  public synchronized JsonObject update(String name, Path upload) {
    try {
      Bundle current = inventory.find(name);
      BundleJar jar = BundleJar.read(upload);
      if (!jar.symbolicName().equals(current.getSymbolicName())) {
        throw new SwitchboardException(ErrorCode.CONFLICT, "bundleNameMismatch", "The uploaded jar is bundle "
            + jar.symbolicName() + ", not " + current.getSymbolicName() + "; install it with POST /admin/bundles");
      }
      Path target = inventory.fileOf(current);
      if (target == null || !target.startsWith(deployDir)) {
        throw new SwitchboardException(ErrorCode.CONFLICT, "notHotDeployed", "Bundle " + current.getSymbolicName()
            + " was not installed from the deploy folder (" + current.getLocation() + ") and cannot be updated here");
      }
      checkResolves(jar);
      String previousVersion = current.getVersion().toString();
      Path archived = history.archive(current.getSymbolicName(), current.getVersion(), target);
      long before = current.getLastModified();
      moveIntoDeploy(upload, target);
      Bundle updated = awaitSettled(target, before);
      String failure = failureOf(updated);
      if (failure != null) {
        LOG.warn("Update of bundle {} to {} failed ({}); restoring {}", jar.symbolicName(), jar.version(), failure,
            previousVersion);
        long failedAt = updated.getLastModified();
        copyIntoDeploy(archived, target);
        awaitSettled(target, failedAt);
        throw new SwitchboardException(ErrorCode.UNPROCESSABLE, "pluginFailed", "Bundle " + jar.symbolicName()
            + " was not updated to " + jar.version() + ": " + failure + "; version " + previousVersion
            + " was restored");
      }
      LOG.info("Updated bundle {} from {} to {}", jar.symbolicName(), previousVersion, jar.version());
      return inventory.describe(updated, false);
    } catch (IOException e) {
      throw storage(e);
    } finally {
      deleteQuietly(upload);
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

  /** Moves a staged file into the deploy folder in one step, so FileInstall never sees half a jar. */
  private void moveIntoDeploy(Path staged, Path target) throws IOException {
    Files.createDirectories(deployDir);
    Path part = deployDir.resolve("." + UUID.randomUUID() + ".part");
    Files.copy(staged, part, StandardCopyOption.REPLACE_EXISTING);
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private void copyIntoDeploy(Path source, Path target) throws IOException {
    moveIntoDeploy(source, target);
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
