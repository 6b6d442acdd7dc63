package dev.switchboard.platform.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.BiFunction;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's meter registry (Micrometer, exposed in Prometheus text format on {@code GET /metrics}): Vert.x's own
 * meters ({@code vertx_*}: HTTP server and client, event bus, pools) when the Vert.x instance was made by
 * {@link #vertx()}, the JVM's ({@code jvm_*}, {@code process_*}), and the platform's and plugins' ({@code switchboard_*}).
 *
 * <p>One registry belongs to one Vert.x instance: every part of the platform finds it with {@link #of(Vertx)}, so no
 * constructor has to pass it along. Meters are updated from any thread; {@link #scrape()} runs the hooks registered
 * with {@link #beforeScrape} (gauges computed from snapshots) and then renders, and is meant for a worker thread.
 */
public final class SwitchboardMetrics {

  private static final Logger LOG = LoggerFactory.getLogger(SwitchboardMetrics.class);
  private static final Map<Vertx, SwitchboardMetrics> BY_VERTX = new WeakHashMap<>();

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();
  private final Thread binder;

  private SwitchboardMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    // The JVM's meters are bound on a thread of their own: their JMX beans and GC listeners took 50-100 ms of a
    // server's start-up, on its critical path (bench/README.md, "Start-up"). They appear within a moment of it.
    binder = new Thread(this::bindJvmMeters, "switchboard-jvm-meters");
    binder.setDaemon(true);
    binder.start();
  }

  private void bindJvmMeters() {
    try {
      new ClassLoaderMetrics().bindTo(registry);
      new JvmMemoryMetrics().bindTo(registry);
      gc.bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
    } catch (RuntimeException e) {
      LOG.warn("The JVM's meters (jvm_*, process_*) could not be registered; the others are not affected", e);
    }
  }

  /**
   * A Vert.x instance whose metrics SPI feeds a new registry (HTTP server and client, event bus, pools); the server
   * started on it exposes them with its own. Servers started on a plain {@code Vertx.vertx()} expose everything but
   * Vert.x's own meters.
   */
  public static Vertx vertx() {
    return instrumented(new VertxOptions(),
        (options, factory) -> Future.succeededFuture(Vertx.builder().with(options).withMetrics(factory).build()))
        .result();
  }

  /**
   * Builds a Vert.x with {@code build}, handing it {@code options} with Micrometer metrics turned on and the factory
   * that feeds a new registry; that registry becomes the instance's ({@link #of}). For Vert.x instances that
   * {@code Vertx.builder()} cannot make (a clustered one with the platform's node selector).
   */
  public static Future<Vertx> instrumented(VertxOptions options,
      BiFunction<VertxOptions, VertxMetricsFactory, Future<Vertx>> build) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
    return build.apply(options, new MicrometerMetricsFactory(registry)).onSuccess(vertx -> {
      synchronized (BY_VERTX) {
        BY_VERTX.put(vertx, new SwitchboardMetrics(registry));
      }
    });
  }

  /** The registry of {@code vertx}, made (without Vert.x's own meters) on first use when it has none. */
  public static SwitchboardMetrics of(Vertx vertx) {
    synchronized (BY_VERTX) {
      return BY_VERTX.computeIfAbsent(vertx,
          v -> new SwitchboardMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
    }
  }

  /** Where meters are registered. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Runs {@code hook} before each scrape (to refresh gauges computed from a snapshot). Must be quick. */
  public void beforeScrape(Runnable hook) {
    beforeScrape.add(hook);
  }

  /** Every meter in Prometheus text format 0.0.4. Runs the scrape hooks first; call on a worker thread. */
  public String scrape() {
    try {
      binder.join(5_000); // the first scrape shows the JVM's meters too
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Runnable hook : beforeScrape) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        LOG.warn("a metrics hook failed; its gauges show their previous values", e);
      }
    }
    return registry.scrape();
  }

  /** The content type of {@link #scrape()}. */
  public static String contentType() {
    return "text/plain; version=0.0.4; charset=utf-8";
  }

  /**
   * Forgets the platform's and plugins' meters ({@code switchboard_*}) and the scrape hooks, when the server on this
   * registry closes; a server started again on the same Vert.x registers its own. Vert.x's and the JVM's stay.
   */
  public void releaseSwitchboardMeters() {
    beforeScrape.clear();
    registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("switchboard."))
        .forEach(registry::remove);
  }
}
