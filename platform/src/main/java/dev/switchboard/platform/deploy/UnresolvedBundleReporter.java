package dev.switchboard.platform.deploy;

import dev.switchboard.platform.framework.FelixHost;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs, in plain words and once per revision, why a bundle dropped into the deploy folder cannot start.
 * FileInstall only logs the framework's exception and leaves such a bundle INSTALLED.
 */
public final class UnresolvedBundleReporter implements BundleListener {

  private static final Logger LOG = LoggerFactory.getLogger(UnresolvedBundleReporter.class);

  private final Vertx vertx;
  private final FelixHost host;
  private final BundleInventory inventory;
  private final Duration grace;

  /**
   * @param grace how long after installation a bundle may stay unresolved before it is reported (FileInstall
   *     starts new bundles on its next scan)
   */
  public UnresolvedBundleReporter(Vertx vertx, FelixHost host, BundleInventory inventory, Duration grace) {
    this.vertx = vertx;
    this.host = host;
    this.inventory = inventory;
    this.grace = grace;
  }

  @Override
  public void bundleChanged(BundleEvent event) {
    if (event.getType() != BundleEvent.INSTALLED && event.getType() != BundleEvent.UPDATED) {
      return;
    }
    Bundle bundle = event.getBundle();
    if (FelixHost.isInfrastructure(bundle)) {
      return;
    }
    long revision = bundle.getLastModified();
    vertx.setTimer(grace.toMillis(), id -> vertx.executeBlocking(() -> {
      check(bundle, revision);
      return null;
    }));
  }

  private void check(Bundle bundle, long revision) {
    if (bundle.getState() != Bundle.INSTALLED || bundle.getLastModified() != revision || !host.isActive()) {
      return;
    }
    if (host.wiring().resolveBundles(List.of(bundle))) {
      return;
    }
    List<MissingRequirement> missing = BundleDiagnostics.missing(bundle, host.wiring());
    String why = missing.isEmpty() ? "a bundle it depends on cannot resolve itself"
        : missing.stream().map(MissingRequirement::message).collect(Collectors.joining("; "));
    String file = inventory.fileOf(bundle) == null ? bundle.getLocation() : inventory.fileOf(bundle).toString();
    LOG.warn("Bundle {} {} ({}) cannot start: it {}. GET /admin/bundles/{}/diag shows the details.",
        bundle.getSymbolicName(), bundle.getVersion(), file, why, bundle.getSymbolicName());
  }
}
