package dev.switchboard.platform.deploy;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * The admin API's bundle changes: on one server ({@link BundleDeployer}), or on every member of a cluster
 * ({@link ClusterBundles}). Each future holds the bundle as this server shows it afterwards, or a
 * {@code SwitchboardException} (see {@link BundleDeployer} for the codes).
 */
public interface BundleOperations {

  Future<BundleView> install(Buffer jar);

  Future<BundleView> update(String name, Buffer jar, UpdateMode mode);

  Future<BundleView> rollback(String name, UpdateMode mode);

  Future<BundleView> uninstall(String name);
}
