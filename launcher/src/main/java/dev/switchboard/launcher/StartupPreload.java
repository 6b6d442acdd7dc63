package dev.switchboard.launcher;

import java.util.List;

/**
 * Initialises, on a thread of its own, the classes whose static set-up is slow and that a server needs next (Netty's
 * platform probes and buffer pools, Vert.x, the metrics registry, Felix), while the main thread reads the
 * configuration: on a machine with a second core that time is then spent in parallel. Nothing is created: a class
 * initialised here is the same class the server would initialise itself a moment later, so the outcome does not
 * depend on whether this thread got there first. A class that is missing or fails is left to the server to report.
 */
final class StartupPreload {

  /** Measured as the slowest static set-ups on the start-up path (bench/README.md, "Start-up"). */
  private static final List<String> CLASSES = List.of(
      "io.netty.util.internal.PlatformDependent",
      "io.netty.buffer.PooledByteBufAllocator",
      "io.netty.buffer.ByteBufUtil",
      "io.netty.channel.DefaultChannelId",
      "io.vertx.core.impl.VertxImpl",
      "io.micrometer.prometheusmetrics.PrometheusMeterRegistry",
      "org.apache.felix.framework.Felix");

  private StartupPreload() {
  }

  /** Starts the preloading thread (a daemon: it never holds the JVM up) and returns at once. */
  static void start() {
    Thread thread = new Thread(() -> {
      ClassLoader loader = StartupPreload.class.getClassLoader();
      for (String name : CLASSES) {
        try {
          Class.forName(name, true, loader);
        } catch (Throwable e) {
          // The server meets the same class itself and says what is wrong.
        }
      }
    }, "switchboard-preload");
    thread.setDaemon(true);
    thread.start();
  }
}
