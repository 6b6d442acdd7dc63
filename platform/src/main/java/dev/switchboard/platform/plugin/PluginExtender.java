package dev.switchboard.platform.plugin;

import dev.switchboard.api.Plugin;
import dev.switchboard.platform.framework.OsgiHeaders;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;

/**
 * Registers the plugins a bundle names in its {@value Plugin#MANIFEST_HEADER} header as {@link Plugin}
 * services on the bundle's behalf when it becomes active, and unregisters them when it stops; so a feature
 * bundle needs no OSGi code at all. A class that cannot be loaded or created is reported as a FAILED plugin.
 *
 * <p>The tracker is synchronous: a bundle's plugins are registered (and known to the {@link PluginRegistry}) before
 * the framework delivers the bundle's STARTED event to ordinary, asynchronous listeners such as the deployer's.
 */
public final class PluginExtender implements BundleTrackerCustomizer<List<ServiceRegistration<Plugin>>> {

  private final PluginRegistry registry;
  private final BundleTracker<List<ServiceRegistration<Plugin>>> tracker;

  public PluginExtender(BundleContext systemContext, PluginRegistry registry) {
    this.registry = registry;
    this.tracker = new BundleTracker<>(systemContext, Bundle.ACTIVE, this);
  }

  public void open() {
    tracker.open();
  }

  public void close() {
    tracker.close();
  }

  @Override
  public List<ServiceRegistration<Plugin>> addingBundle(Bundle bundle, BundleEvent event) {
    String header = bundle.getHeaders().get(Plugin.MANIFEST_HEADER);
    if (header == null) {
      return null;
    }
    registry.clearBroken(bundle);
    List<ServiceRegistration<Plugin>> registrations = new ArrayList<>();
    for (String clause : OsgiHeaders.clauses(header)) {
      List<String> paths = OsgiHeaders.paths(clause);
      String className = paths.isEmpty() ? clause : paths.get(0);
      String declared = OsgiHeaders.attribute(clause, "name");
      String name = declared != null ? declared : PluginRegistry.defaultName(bundle);
      try {
        Plugin plugin = create(bundle, className);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Plugin.NAME_PROPERTY, name);
        BundleContext context = bundle.getBundleContext();
        registrations.add(context.registerService(Plugin.class, plugin, props));
      } catch (PluginCreationException e) {
        registry.recordBroken(bundle, name, e.getMessage());
      }
    }
    return registrations;
  }

  private static Plugin create(Bundle bundle, String className) throws PluginCreationException {
    Class<?> type;
    try {
      type = bundle.loadClass(className);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new PluginCreationException("class " + className + " named in " + Plugin.MANIFEST_HEADER
          + " cannot be loaded from the bundle (" + e + ")");
    }
    if (!Plugin.class.isAssignableFrom(type)) {
      throw new PluginCreationException("class " + className + " does not implement " + Plugin.class.getName()
          + (type.getInterfaces().length > 0 ? " (check that the bundle imports dev.switchboard.api)" : ""));
    }
    try {
      return (Plugin) type.getConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      throw new PluginCreationException("class " + className + " has no public no-argument constructor");
    } catch (InvocationTargetException e) {
      throw new PluginCreationException("the constructor of " + className + " threw " + e.getCause());
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      throw new PluginCreationException("class " + className + " cannot be instantiated: " + e);
    }
  }

  @Override
  public void modifiedBundle(Bundle bundle, BundleEvent event, List<ServiceRegistration<Plugin>> registrations) {
    // Still active: nothing to do.
  }

  @Override
  public void removedBundle(Bundle bundle, BundleEvent event, List<ServiceRegistration<Plugin>> registrations) {
    for (ServiceRegistration<Plugin> registration : registrations) {
      try {
        registration.unregister();
      } catch (IllegalStateException e) {
        // Already unregistered by the framework.
      }
    }
    registry.clearBroken(bundle);
  }

  private static final class PluginCreationException extends Exception {
    private static final long serialVersionUID = 1L;

    PluginCreationException(String message) {
      super(message);
    }
  }
}
