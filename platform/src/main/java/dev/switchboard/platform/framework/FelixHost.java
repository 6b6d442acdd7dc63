package dev.switchboard.platform.framework;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded OSGi framework: Felix with the host's shared libraries exported by the system bundle and
 * FileInstall watching the deploy folder.
 *
 * <p>Blocking: {@link #start()} and {@link #stop(Duration)} block while the framework starts or stops;
 * call them from a worker thread, never from an event loop.
 */
public final class FelixHost {

  /**
   * What bundles may import from the host, i.e. what the system bundle exports: the plugin API and every
   * feature contract under it ({@code dev.switchboard.api.*}), Vert.x's public API, Jackson and the SLF4J API.
   * Hidden: Vert.x's {@code internal}, {@code impl} and {@code spi} packages (the cluster manager among them),
   * Netty (Vert.x's transport, absent from its public API), SLF4J's JUL bridge, and everything else on the
   * classpath: the platform, Felix and the libraries the platform uses privately. A bundle that needs one of
   * those embeds its own copy.
   */
  public static final Predicate<String> EXPORTED_PACKAGES = SystemPackages.under("dev.switchboard.api")
      .or(SystemPackages.under("io.vertx").and(SystemPackages.withoutSegments("internal", "impl", "spi"))
          .and(SystemPackages.under("io.vertx.micrometer").negate())) // the platform's metrics binding, private
      .or(SystemPackages.under("com.fasterxml.jackson"))
      .or(SystemPackages.under("org.slf4j").and(SystemPackages.under("org.slf4j.bridge").negate()));

  private static final Logger LOG = LoggerFactory.getLogger(FelixHost.class);
  private static final String FILEINSTALL_CLASS = "org/apache/felix/fileinstall/internal/FileInstall.class";

  private final FelixHostOptions options;
  private Felix felix;

  public FelixHost(FelixHostOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Starts the framework, calls {@code beforeDeploy} (to open trackers before any bundle starts), then
   * starts FileInstall. Bundles already in the deploy folder are installed and started before this returns.
   *
   * @throws BundleException if the framework or FileInstall cannot start
   */
  public synchronized void start(Consumer<BundleContext> beforeDeploy) throws BundleException {
    if (felix != null) {
      throw new IllegalStateException("framework already started");
    }
    long began = System.nanoTime();
    String exports = systemPackages();
    long scanned = System.nanoTime();

    Map<String, Object> config = new HashMap<>();
    config.put(Constants.FRAMEWORK_STORAGE, options.storageDir().toString());
    // The deploy folder is the source of truth: start from an empty cache every time.
    config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
    config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, exports);
    // Two versions of one bundle may be installed side by side (drain updates).
    config.put(Constants.FRAMEWORK_BSNVERSION, Constants.FRAMEWORK_BSNVERSION_MULTIPLE);
    // No JVM-wide URL handler factory: it keeps per-class caches and one framework per JVM is not a given in tests.
    config.put("felix.service.urlhandlers", "false");
    config.put("felix.log.logger", new FelixLogBridge());
    config.put("felix.log.level", "2");
    config.put("felix.fileinstall.dir", options.deployDir().toString());
    config.put("felix.fileinstall.poll", Long.toString(options.pollInterval().toMillis()));
    config.put("felix.fileinstall.noInitialDelay", "true");
    config.put("felix.fileinstall.filter", ".*\\.jar");
    config.put("felix.fileinstall.tmpdir", options.storageDir().resolve("fileinstall-tmp").toString());
    config.put("felix.fileinstall.bundles.new.start", "true");
    config.put("felix.fileinstall.enableConfigSave", "false");
    config.put("felix.fileinstall.log.default", "jul");
    config.put("felix.fileinstall.log.level", "2");

    Felix framework = new Felix(config);
    framework.init();
    framework.start();
    felix = framework;
    try {
      beforeDeploy.accept(framework.getBundleContext());
      Bundle fileInstall = installFileInstall(framework.getBundleContext());
      fileInstall.start();
    } catch (BundleException | RuntimeException e) {
      stop(Duration.ofSeconds(10));
      throw e;
    }
    LOG.info("OSGi framework started in {} ms ({} ms waiting for the {} system package exports); watching {}",
        (System.nanoTime() - began) / 1_000_000, (scanned - began) / 1_000_000,
        exports.isEmpty() ? 0 : exports.split(",").length, options.deployDir());
  }

  private static java.util.concurrent.CompletableFuture<String> exportsInProgress;

  /**
   * Starts computing the system packages in the background, so that the classpath scan overlaps whatever the
   * caller does next (loading configuration, starting Vert.x). Optional: {@link #start} computes them if needed.
   */
  public static synchronized void prefetchSystemPackages() {
    if (exportsInProgress == null) {
      exportsInProgress = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> SystemPackages.exportsFor(FelixHost.class.getClassLoader(), EXPORTED_PACKAGES), runnable -> {
            Thread thread = new Thread(runnable, "switchboard-package-scan");
            thread.setDaemon(true);
            thread.start();
          });
    }
  }

  private static String systemPackages() {
    prefetchSystemPackages();
    return exportsInProgress.join();
  }

  private static Bundle installFileInstall(BundleContext context) throws BundleException {
    URL classUrl = FelixHost.class.getClassLoader().getResource(FILEINSTALL_CLASS);
    if (classUrl == null || !classUrl.toString().startsWith("jar:")) {
      throw new BundleException("Apache Felix FileInstall is not on the classpath; the distribution is incomplete");
    }
    String spec = classUrl.toString();
    String jarUrl = spec.substring(4, spec.indexOf("!/"));
    try (InputStream in = new URL(jarUrl).openStream()) {
      return context.installBundle(jarUrl, in);
    } catch (IOException e) {
      throw new BundleException("cannot read the FileInstall jar " + jarUrl, e);
    }
  }

  /** The system bundle's context. */
  public BundleContext context() {
    return framework().getBundleContext();
  }

  public FrameworkWiring wiring() {
    return framework().adapt(FrameworkWiring.class);
  }

  /** Whether the framework is started and running. */
  public boolean isActive() {
    Felix f = felix;
    return f != null && f.getState() == Bundle.ACTIVE;
  }

  /** Whether {@code bundle} is FileInstall, which the platform runs and hides from operators. */
  public static boolean isInfrastructure(Bundle bundle) {
    return bundle.getBundleId() == 0 || "org.apache.felix.fileinstall".equals(bundle.getSymbolicName());
  }

  private Felix framework() {
    Felix f = felix;
    if (f == null) {
      throw new IllegalStateException("framework not started");
    }
    return f;
  }

  /** Stops the framework (and with it every bundle), waiting at most {@code timeout}. Idempotent. */
  public synchronized void stop(Duration timeout) {
    Felix f = felix;
    felix = null;
    if (f == null) {
      return;
    }
    try {
      f.stop();
      FrameworkEvent event = f.waitForStop(timeout.toMillis());
      if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
        LOG.warn("OSGi framework did not stop within {} ms; continuing shutdown", timeout.toMillis());
      }
    } catch (BundleException e) {
      LOG.warn("OSGi framework failed to stop cleanly: {}", e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
