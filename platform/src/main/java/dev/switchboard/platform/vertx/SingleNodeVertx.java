package dev.switchboard.platform.vertx;

import dev.switchboard.platform.metrics.SwitchboardMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * A Vert.x for a server that is not clustered, made without loading the cluster manager. Vert.x instantiates every
 * {@link VertxServiceProvider} its service loader finds, and {@code vertx-hazelcast} declares its cluster manager as
 * one: that alone would load Hazelcast's classes (cluster mode roughly doubles a server's memory; docs/cluster.md).
 * So the service files of that jar are hidden from the loader while Vert.x starts; this class's own no-op provider
 * keeps the list non-empty (an empty one makes Vert.x look again with its own class loader).
 */
public final class SingleNodeVertx {

  private static final String SERVICES = "META-INF/services/" + VertxServiceProvider.class.getName();

  private SingleNodeVertx() {
  }

  /** A Vert.x with the platform's metrics ({@link SwitchboardMetrics#vertx()}), without the cluster manager's provider. */
  public static Vertx create() {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    ClassLoader parent = previous != null ? previous : SingleNodeVertx.class.getClassLoader();
    thread.setContextClassLoader(new ClassLoader(parent) {
      @Override
      public Enumeration<URL> getResources(String name) throws IOException {
        Enumeration<URL> all = super.getResources(name);
        if (!SERVICES.equals(name)) {
          return all;
        }
        List<URL> kept = Collections.list(all).stream().filter(u -> !u.toString().contains("vertx-hazelcast")).toList();
        return Collections.enumeration(kept);
      }
    });
    try {
      return SwitchboardMetrics.vertx();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** A provider that does nothing (see the class comment). */
  public static final class NoService implements VertxServiceProvider {
    @Override
    public void init(VertxBootstrap builder) {
      // Nothing: present only so that the service list is not empty.
    }
  }
}
