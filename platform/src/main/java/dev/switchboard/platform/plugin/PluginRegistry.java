package dev.switchboard.platform.plugin;

import dev.switchboard.api.Plugin;
import dev.switchboard.platform.config.SwitchboardConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks every {@link Plugin} service in the framework (whiteboard): starts each one it sees in its own
 * deployment and, when the service goes away, stops it and releases everything it obtained, then empties
 * shared caches that would pin its classloader.
 *
 * <p>Service removal blocks the thread that unregisters the service (the one stopping the bundle) until the
 * plugin has stopped, so that an old version is gone before a new version of its bundle starts.
 */
public final class PluginRegistry implements ServiceTrackerCustomizer<Plugin, PluginRuntime> {

  private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

  private final BundleContext systemContext;
  private final PluginServices services;
  private final SwitchboardConfig config;
  private final Map<Long, PluginRuntime> running = new ConcurrentHashMap<>();
  /** Plugins that could not even be created (bad class name, constructor threw), per bundle id. */
  private final Map<Long, List<PluginInfo>> broken = new ConcurrentHashMap<>();
  /** The plugin names each bundle has provided, kept until the bundle is uninstalled. */
  private final Map<Long, java.util.Set<String>> namesByBundle = new ConcurrentHashMap<>();
  /** Callers waiting for the plugins of a bundle to finish starting; see {@link #whenStarted}. */
  private final List<StartWaiter> startWaiters = new CopyOnWriteArrayList<>();
  private ServiceTracker<Plugin, PluginRuntime> tracker;
  private final PluginWatchdog watchdog = new PluginWatchdog(running::values);
  /** Plugin instances whose {@code stop} did not complete within the stop timeout, since the server started. */
  private final java.util.concurrent.atomic.AtomicLong stopTimeouts = new java.util.concurrent.atomic.AtomicLong();

  private record StartWaiter(long bundleId, Promise<List<PluginInfo>> promise) {
  }

  public PluginRegistry(BundleContext systemContext, PluginServices services, SwitchboardConfig config) {
    this.systemContext = systemContext;
    this.services = services;
    this.config = config;
  }

  /** Starts tracking; plugins already registered are started now. */
  public synchronized void open() {
    tracker = new ServiceTracker<>(systemContext, Plugin.class, this);
    tracker.open();
    watchdog.start();
  }

  /** Stops every plugin and stops tracking. Blocking. */
  public synchronized void close() {
    watchdog.close();
    if (tracker != null) {
      tracker.close();
      tracker = null;
    }
  }

  @Override
  public PluginRuntime addingService(ServiceReference<Plugin> reference) {
    Bundle bundle = reference.getBundle();
    Plugin plugin = systemContext.getService(reference);
    if (bundle == null || plugin == null) {
      return null;
    }
    String name = nameOf(reference, bundle);
    String version = bundle.getVersion().toString();
    namesByBundle.computeIfAbsent(bundle.getBundleId(), id -> ConcurrentHashMap.newKeySet()).add(name);
    PluginRuntime runtime = new PluginRuntime(plugin, name, version, bundle.getBundleId(), config.plugin(name),
        services);
    running.put(serviceId(reference), runtime);
    runtime.start().onComplete(state -> startSettled(bundle.getBundleId()));
    return runtime;
  }

  @Override
  public void modifiedService(ServiceReference<Plugin> reference, PluginRuntime runtime) {
    // Nothing to do: a plugin's identity comes from its bundle, which cannot change under a registration.
  }

  @Override
  public void removedService(ServiceReference<Plugin> reference, PluginRuntime runtime) {
    try {
      runtime.stop();
    } finally {
      stopTimeouts.addAndGet(runtime.health().snapshot().stopTimeouts());
      running.remove(serviceId(reference));
      try {
        systemContext.ungetService(reference);
      } catch (IllegalStateException e) {
        // The framework is shutting down; the service is gone already.
      }
      JacksonCaches.flush();
    }
  }

  /** Records a plugin of {@code bundle} that could not be created; shown as FAILED until the bundle stops. */
  void recordBroken(Bundle bundle, String name, String cause) {
    LOG.error("Plugin {} of bundle {} {} cannot be created and is marked FAILED: {}", name,
        bundle.getSymbolicName(), bundle.getVersion(), cause);
    broken.computeIfAbsent(bundle.getBundleId(), id -> new ArrayList<>()).add(new PluginInfo(name,
        bundle.getVersion().toString(), bundle.getBundleId(), PluginState.FAILED, cause, Instant.now()));
  }

  void clearBroken(Bundle bundle) {
    broken.remove(bundle.getBundleId());
  }

  /**
   * The names of the plugins bundle {@code bundleId} provided that no other bundle provides now: called when
   * the bundle is uninstalled, it tells which plugins are gone for good. Forgets the bundle.
   */
  public java.util.Set<String> namesGoneWith(long bundleId) {
    java.util.Set<String> names = namesByBundle.remove(bundleId);
    if (names == null) {
      return java.util.Set.of();
    }
    java.util.Set<String> gone = new java.util.TreeSet<>(names);
    running.values().stream().filter(r -> r.bundleId() != bundleId && r.state() != PluginState.STOPPED)
        .forEach(r -> gone.remove(r.name()));
    return gone;
  }

  /** Every plugin instance of {@code bundleId}, ordered by name. */
  public List<PluginInfo> pluginsOf(long bundleId) {
    List<PluginInfo> result = new ArrayList<>(broken.getOrDefault(bundleId, List.of()));
    running.values().stream().filter(r -> r.bundleId() == bundleId).map(PluginRuntime::info).forEach(result::add);
    result.sort(Comparator.comparing(PluginInfo::name));
    return result;
  }

  /** How many plugin instances did not complete {@code stop} within the stop timeout (they were released anyway). */
  public long stopTimeouts() {
    return stopTimeouts.get();
  }

  /** Every plugin instance the platform knows of. */
  public List<PluginInfo> all() {
    List<PluginInfo> result = new ArrayList<>();
    broken.values().forEach(result::addAll);
    running.values().stream().map(PluginRuntime::info).forEach(result::add);
    result.sort(Comparator.comparing(PluginInfo::name).thenComparing(PluginInfo::version));
    return result;
  }

  /** Whether every plugin of {@code bundleId} has finished starting (successfully or not). */
  public boolean settled(long bundleId) {
    return running.values().stream().noneMatch(r -> r.bundleId() == bundleId && r.state() == PluginState.STARTING);
  }

  /**
   * Completes once no plugin of bundle {@code bundleId} is {@link PluginState#STARTING}: each is ACTIVE or FAILED
   * (with its cause), or the bundle has none. The result is {@link #pluginsOf} at that moment. Call it once the
   * bundle is ACTIVE: the plugins the platform registers for it (its {@value Plugin#MANIFEST_HEADER} header) are
   * known by the time the framework reports it started. Never fails; completes on the thread that finished the
   * last start, or on the caller's when already settled.
   */
  public Future<List<PluginInfo>> whenStarted(long bundleId) {
    StartWaiter waiter = new StartWaiter(bundleId, Promise.promise());
    // Registered before the check, so that a start finishing in between is not missed.
    startWaiters.add(waiter);
    startSettled(bundleId);
    return waiter.promise().future();
  }

  private void startSettled(long bundleId) {
    if (!settled(bundleId)) {
      return;
    }
    for (StartWaiter waiter : startWaiters) {
      if (waiter.bundleId() == bundleId && startWaiters.remove(waiter)) {
        waiter.promise().complete(pluginsOf(bundleId));
      }
    }
  }

  private static String nameOf(ServiceReference<Plugin> reference, Bundle bundle) {
    Object property = reference.getProperty(Plugin.NAME_PROPERTY);
    return property instanceof String s && !s.isBlank() ? s : defaultName(bundle);
  }

  /** The last segment of the bundle's symbolic name: {@code dev.switchboard.calling} gives {@code calling}. */
  static String defaultName(Bundle bundle) {
    String bsn = bundle.getSymbolicName();
    return bsn.substring(bsn.lastIndexOf('.') + 1);
  }

  private static long serviceId(ServiceReference<?> reference) {
    return (Long) reference.getProperty(Constants.SERVICE_ID);
  }
}
