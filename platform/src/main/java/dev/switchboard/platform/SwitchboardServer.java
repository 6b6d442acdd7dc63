package dev.switchboard.platform;

import dev.switchboard.platform.admin.AdminServer;
import dev.switchboard.platform.admin.ConsoleSeries;
import dev.switchboard.platform.admin.OperatorConsole;
import dev.switchboard.platform.admin.BundleJson;
import dev.switchboard.platform.audit.AuditLog;
import dev.switchboard.platform.cluster.ClusterMember;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.deploy.BundleDeployer;
import dev.switchboard.platform.deploy.BundleInventory;
import dev.switchboard.platform.deploy.BundleOperations;
import dev.switchboard.platform.deploy.ClusterBundles;
import dev.switchboard.platform.deploy.UnresolvedBundleReporter;
import dev.switchboard.platform.framework.FelixHost;
import dev.switchboard.platform.framework.FelixHostOptions;
import dev.switchboard.platform.graph.GraphClients;
import dev.switchboard.platform.http.HttpErrors;
import dev.switchboard.platform.http.PublicServer;
import dev.switchboard.platform.ingress.CallbackIngress;
import dev.switchboard.platform.ingress.IngressStats;
import dev.switchboard.platform.ingress.NotificationIngress;
import dev.switchboard.platform.http.RouteTable;
import dev.switchboard.platform.plugin.PluginExtender;
import dev.switchboard.platform.plugin.PluginRegistry;
import dev.switchboard.platform.plugin.PluginServices;
import dev.switchboard.platform.plugin.PluginState;
import dev.switchboard.platform.jwt.JwksSource;
import dev.switchboard.platform.logging.LogControl;
import dev.switchboard.platform.metrics.SwitchboardMetrics;
import dev.switchboard.platform.richdata.EncryptionKeys;
import dev.switchboard.platform.richdata.RichNotifications;
import dev.switchboard.platform.routing.KeyRouter;
import dev.switchboard.platform.security.ApiSecurity;
import dev.switchboard.platform.state.LocalStateStores;
import dev.switchboard.platform.state.StateStores;
import dev.switchboard.platform.subscriptions.SubscriptionManager;
import dev.switchboard.platform.vertx.SingleNodeVertx;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import org.osgi.framework.BundleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * A running Switchboard server: the OSGi framework with the deploy folder, the plugin registry, the public
 * port and the admin port. {@link #start} returns once bundles present in the deploy folder are started and
 * both ports listen.
 */
public final class SwitchboardServer {

  private static final Logger LOG = LoggerFactory.getLogger(SwitchboardServer.class);

  private final Vertx vertx;
  private final WorkerExecutor readinessWorker;
  private final SwitchboardConfig config;
  private final RouteTable routes = new RouteTable();
  private final RouteTable publicRoutes = new RouteTable();
  private final KeyRouter router;
  private final GraphClients graph;
  private final SwitchboardMetrics metrics;
  /** The console's last ten minutes, sampled from the admin server's start on. */
  private final ConsoleSeries consoleSeries;
  private final IngressStats ingressStats;
  private final CallbackIngress callbacks;
  private final SubscriptionManager subscriptions;
  private final FelixHost host;
  private Future<JsonObject> lastGraphCheck;
  private long lastGraphCheckAt;
  // Set once during start, on a worker or an event loop, and read from request handlers afterwards.
  private volatile PluginRegistry registry;
  private volatile PluginExtender extender;
  private volatile BundleInventory inventory;
  private volatile PublicServer publicServer;
  private volatile AuditLog audit;
  private volatile StateStores states;
  /** This server's cluster membership; {@code null} unless {@code cluster.enabled} (then Hazelcast is loaded). */
  private volatile ClusterMember cluster;
  private volatile ApiSecurity security;
  private volatile HttpServer adminServer;
  private volatile String adminToken;

  private SwitchboardServer(Vertx vertx, SwitchboardConfig config) {
    this.vertx = vertx;
    this.readinessWorker = this.vertx.createSharedWorkerExecutor("switchboard-readiness", 1);
    this.config = config;
    this.metrics = SwitchboardMetrics.of(vertx);
    this.consoleSeries = new ConsoleSeries(metrics.registry());
    this.ingressStats = new IngressStats(metrics.registry());
    this.router = new KeyRouter(vertx, config.routing().ownerWait());
    this.graph = new GraphClients(vertx, config.graph());
    this.callbacks = new CallbackIngress(vertx, config, graph::trustOptions, router, ingressStats);
    this.subscriptions = new SubscriptionManager(vertx, graph::client, this::publicUrl,
        config.graph().subscriptionLifetime(), config.data().dir().resolve("subscriptions.json"),
        richNotifications(vertx, config, graph));
    Path dataDir = config.data().dir();
    this.host = new FelixHost(new FelixHostOptions(config.deploy().dir(), dataDir.resolve("framework"),
        config.deploy().pollInterval()));
  }

  /**
   * The Vert.x a server with {@code config} runs on: clustered over Hazelcast when {@code cluster.enabled} (completing
   * once it joined the cluster), else a plain one, without loading any Hazelcast class.
   */
  public static Future<Vertx> createVertx(SwitchboardConfig config) {
    return config.cluster().enabled() ? ClusterMember.vertx(config.cluster())
        : Future.succeededFuture(SingleNodeVertx.create());
  }

  /**
   * Starts a server on {@code vertx} (made by {@link #createVertx} when {@code cluster.enabled}). Fails with a message that says what to fix when a folder cannot be
   * created, a port is taken or the framework cannot start; nothing is left running then.
   */
  public static Future<SwitchboardServer> start(Vertx vertx, SwitchboardConfig config) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(config, "config");
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
    LogControl.applyFormat(config.logging().json());
    SwitchboardServer server = new SwitchboardServer(vertx, config);
    long began = System.nanoTime();
    // Off the start-up path and off the event loops: the trust store, MSAL, the callback keys, a token.
    vertx.executeBlocking(() -> {
      server.graph.warmUp();
      return null;
    }, false).onComplete(warm -> {
      if (warm.failed()) {
        LOG.error("Graph is not usable: {}", warm.cause().getMessage());
      } else if (server.graph.configured()) {
        server.callbacks.prefetchKeys();
        server.graphCheck().onSuccess(check -> {
          if (!check.getBoolean("ok")) {
            LOG.error("Graph is not usable: {}", check.getString("problem"));
          }
        });
      }
    });
    // The public port listens first (answering "not ready" meanwhile), so that plugins starting with the
    // framework already know the URL at which Graph reaches this server.
    return server.router.start()
        .compose(started -> server.joinCluster())
        .compose(joined -> LocalStateStores.open(vertx, config.data().dir().resolve("state"), config.data().fsync()))
        .compose(local -> {
          StateStores states = server.cluster == null ? local : server.cluster.stores(local);
          server.states = states;
          return server.subscriptions.load(states.forPlatform("change-notifications"));
        })
        .compose(loaded -> server.router.keepTimersIn(server.states.forPlatform("key-timers")))
        .compose(timers -> AuditLog.open(vertx, config.data().dir().resolve("audit"), config.audit()))
        .compose(audit -> {
          server.audit = audit;
          return ApiSecurity.start(vertx, config, server.graph::trustOptions, audit);
        })
        .compose(security -> {
          server.security = security;
          // Started from the keyed router's context, so the port's connections share its event loop: handing a
          // callback's notifications to routing is then a task on the same thread, not a wake-up of another one
          // (bench/ingress.sh: without this the ratio depended on where start-up happened to place each).
          Promise<PublicServer> started = Promise.promise();
          server.router.context().runOnContext(v -> PublicServer.start(vertx, config.http(), server.routes,
              server.publicRoutes, security.guard(), server::readiness, server::mountPublic).onComplete(started));
          return started.future();
        })
        .compose(http -> {
          server.publicServer = http;
          return vertx.executeBlocking(() -> {
            server.startFramework();
            return null;
          }, false);
        })
        .compose(v -> BundleDeployer.create(vertx, server.host, server.inventory, server.registry, server.router,
            config))
        .compose(deployer -> AdminServer.start(vertx, config.admin(), server.adminToken, server.inventory,
            server.bundleOperations(deployer), server.subscriptions, server.router, admin -> {
              server.audit.mountAdmin(admin);
              server.security.mountAdmin(admin);
              server.consoleSeries.start(vertx);
              new OperatorConsole(vertx, server.inventory, server.router, server.routes, server::readiness,
                  server.consoleSeries).mount(admin);
              if (server.cluster != null) {
                // Before the admin server's own route: each bundle with its version and state on every member.
                admin.get("/admin/bundles").handler(ctx -> json(ctx, vertx.executeBlocking(server.inventory::list,
                    false).map(BundleJson::of).compose(server.cluster::withMembers).map(JsonArray::toBuffer)));
              }
              admin.get("/admin/cluster").handler(ctx -> json(ctx,
                  server.describeCluster().map(JsonObject::toBuffer)));
            }))
        .map(admin -> {
          server.adminServer = admin;
          long active = server.registry.all().stream().filter(p -> p.state() == PluginState.ACTIVE).count();
          LOG.info("Switchboard ready in {} ms: public {}, admin http://{}:{}, {} bundles, {} plugins active",
              (System.nanoTime() - began) / 1_000_000, server.publicUrl(), config.admin().host(),
              admin.actualPort(), server.inventory.list().size(), active);
          return server;
        })
        .recover(failure -> server.close().transform(x -> Future.failedFuture(failure)));
  }

  private static void json(io.vertx.ext.web.RoutingContext ctx, Future<io.vertx.core.buffer.Buffer> body) {
    body.onComplete(ar -> {
      if (ar.failed()) {
        HttpErrors.write(ctx.response(), ar.cause());
      } else {
        ctx.response().putHeader("Content-Type", "application/json").end(ar.result());
      }
    });
  }

  /** In cluster mode: this member's routing across the cluster, started before any plugin consumes a key. */
  private Future<Void> joinCluster() {
    if (!config.cluster().enabled()) {
      return Future.succeededFuture();
    }
    Duration routeTimeout = config.routing().ownerWait().plus(config.cluster().suspectAfter())
        .plus(config.cluster().lease()).plusSeconds(5);
    cluster = ClusterMember.of(vertx, config.cluster(), router, routeTimeout);
    router.placeWith(cluster.placement());
    // A member that joins runs the cluster's bundle set: the jars of a running member's deploy folder.
    ClusterBundles.shareBundleSet(vertx, cluster, config.deploy().dir());
    return cluster.start(this::describeNode)
        .compose(started -> ClusterBundles.takeBundleSet(vertx, cluster, config.deploy().dir()).mapEmpty());
  }

  /** The admin API's bundle changes: on every member in cluster mode, else here. */
  private BundleOperations bundleOperations(BundleDeployer local) {
    if (cluster == null) {
      return local;
    }
    return new ClusterBundles(vertx, local, cluster, config.deploy().dir()).serve();
  }

  /** This node for {@code GET /admin/cluster}: its bundles and how many keys it holds. */
  private Future<JsonObject> describeNode() {
    BundleInventory bundles = inventory;
    Future<JsonArray> list = bundles == null ? Future.succeededFuture(new JsonArray())
        : vertx.executeBlocking(bundles::list, false).map(BundleJson::of);
    return Future.all(list, router.liveKeyCount()).map(x -> new JsonObject().put("publicUrl", publicUrl())
        .put("ready", adminServer != null && (cluster == null || cluster.problem() == null))
        .put("bundles", list.result()).put("liveKeys", router.liveKeyCount().result()));
  }

  private Future<JsonObject> describeCluster() {
    if (cluster == null) {
      return describeNode().map(node -> new JsonObject().put("enabled", false)
          .put("members", new JsonArray().add(node.put("self", true))));
    }
    return cluster.describe();
  }

  private static RichNotifications richNotifications(Vertx vertx, SwitchboardConfig config, GraphClients graph) {
    SwitchboardConfig.Graph g = config.graph();
    JwksSource tokenKeys = new JwksSource(() -> WebClient.create(vertx, new WebClientOptions()
        .setTrustOptions(graph.trustOptions()).setConnectTimeout(10_000)), g.validationTokenOpenIdConfigUrl(),
        "the validation tokens of rich notifications", Duration.ofSeconds(1), Duration.ofHours(2));
    return new RichNotifications(vertx, new EncryptionKeys(vertx, config.data().dir().resolve("encryption-keys.json"),
        g.encryptionCertificateLifetime()), tokenKeys, g.validationTokenIssuerOrDefault(), g.clientId());
  }

  /**
   * Readiness: the framework runs, every jar in the deploy folder is an active bundle, and, when a bot
   * application is configured, a Graph token can be had for its tenant (see {@link #graphCheck()}).
   */
  private Future<JsonObject> readiness() {
    if (inventory == null || adminServer == null) {
      return Future.succeededFuture(new JsonObject().put("ready", false)
          .put("problems", new JsonArray().add("the server is starting")));
    }
    // The token first: the bundles' checks compare what they need of Graph with the roles it carries.
    Future<JsonObject> token = graph.configured() ? graphCheck() : Future.succeededFuture(null);
    // On a worker of its own: a cluster member taking a killed member's calls over fills the shared worker pool with
    // map operations that wait for the partitions to migrate, and a readiness answer that waits behind them makes the
    // balancer count a healthy member down.
    return token.compose(check -> readinessWorker.executeBlocking(inventory::readiness, false).map(result -> {
      if (check != null && !check.getBoolean("ok")) {
        result.put("ready", false);
        result.getJsonArray("problems").add("Graph: " + check.getString("problem"));
      }
      String clusterProblem = cluster == null ? null : cluster.problem();
      if (clusterProblem != null) {
        result.put("ready", false);
        result.getJsonArray("problems").add("cluster: " + clusterProblem);
      }
      return result;
    }));
  }

  /**
   * The last token check, done again when 2 s old if it passed (MSAL answers from its cache while the token is good,
   * so this costs the authority nothing; once the token nears expiry it finds an outage), when 30 s old if it failed
   * (a refused credential is not asked for again at every probe), and at once when the platform's own requests found
   * otherwise since (a token not obtainable during an outage of the authority, or obtainable again after it).
   */
  private synchronized Future<JsonObject> graphCheck() {
    long now = System.nanoTime();
    boolean failingNow = graph.tokenProblem() != null;
    boolean checkedOk = lastGraphCheck != null && lastGraphCheck.succeeded() && lastGraphCheck.result().getBoolean("ok");
    boolean contradicted = lastGraphCheck != null && lastGraphCheck.isComplete() && checkedOk == failingNow;
    Duration maxAge = checkedOk ? Duration.ofSeconds(2) : Duration.ofSeconds(30);
    if (lastGraphCheck == null || contradicted || now - lastGraphCheckAt > maxAge.toNanos()) {
      lastGraphCheckAt = now;
      lastGraphCheck = graph.checkToken();
    }
    return lastGraphCheck;
  }

  /**
   * The base URL Graph reaches this server at: {@code http.publicUrl}, else this host's public port ({@code https}
   * when {@code http.tls.*} is configured).
   */
  public String publicUrl() {
    if (config.http().publicUrl() != null) {
      return config.http().publicUrl().replaceAll("/+$", "");
    }
    String host = config.http().host();
    host = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return (config.http().tlsEnabled() ? "https://" : "http://") + host + ":"
        + (publicServer == null ? config.http().port() : publicServer.port());
  }

  private void mountPublic(io.vertx.ext.web.Router web) {
    callbacks.mount(web);
    new NotificationIngress(subscriptions, ingressStats, config.http().maxBodyBytes()).mount(web);
    // Rendered on a worker: the public port shares its event loop with keyed routing and the callback door.
    web.get("/metrics").handler(ctx -> vertx.executeBlocking(metrics::scrape, false).onComplete(text -> {
      if (text.failed()) {
        ctx.fail(text.cause());
      } else {
        ctx.response().putHeader("Content-Type", SwitchboardMetrics.contentType()).end(text.result());
      }
    }));
  }

  private void startFramework() throws IOException, BundleException {
    Files.createDirectories(config.deploy().dir());
    Files.createDirectories(config.data().dir());
    adminToken = config.admin().token() != null ? config.admin().token() : generatedToken(config.data().dir());
    host.start(context -> {
      registry = new PluginRegistry(context, new PluginServices(vertx, routes, publicRoutes, router, states, graph,
          subscriptions, config.deploy().startTimeout(), config.deploy().stopTimeout(), config.data().dir(),
          this::publicUrl), config);
      context.addBundleListener(event -> {
        if (event.getType() == org.osgi.framework.BundleEvent.UNINSTALLED) {
          registry.namesGoneWith(event.getBundle().getBundleId()).forEach(subscriptions::pluginGone);
        }
      });
      registry.open();
      extender = new PluginExtender(context, registry);
      extender.open();
      inventory = new BundleInventory(host, registry, router, config.deploy().dir(), graph::grantedRoles);
      context.addBundleListener(new UnresolvedBundleReporter(vertx, host, inventory,
          config.deploy().pollInterval().multipliedBy(3).plus(Duration.ofMillis(500))));
    });
  }

  /** Reads the admin token from {@code <data>/admin.token}, creating it (owner-only) with a random token if absent. */
  private static String generatedToken(Path dataDir) throws IOException {
    Path file = dataDir.resolve("admin.token");
    if (Files.exists(file)) {
      String existing = Files.readString(file).trim();
      if (existing.length() >= 16) {
        return existing;
      }
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Files.writeString(file, token + "\n");
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: rely on the data folder's permissions.
    }
    LOG.info("admin.token is not configured; generated one in {}", file);
    return token;
  }

  /** The server's meters (what {@code /metrics} serves). */
  public SwitchboardMetrics metrics() {
    return metrics;
  }

  /** Counters of the Graph callback endpoints. */
  public IngressStats ingressStats() {
    return ingressStats;
  }

  /**
   * Completes if this server, a cluster member, was cut off from its cluster for longer than failure detection takes
   * and must stop (the others took its calls; it joins again as a new member when started again). Never completes
   * for a single server.
   */
  public Future<Void> expelled() {
    return cluster == null ? Promise.<Void>promise().future() : cluster.expelled();
  }

  /** The port the public server listens on. */
  public int httpPort() {
    return publicServer.port();
  }

  /** The port the admin API listens on. */
  public int adminPort() {
    return adminServer.actualPort();
  }

  /** The bearer token of the admin API. */
  public String adminToken() {
    return adminToken;
  }

  /** The REST routes plugins serve under {@code /api/v1}, with the scope each needs; a snapshot. */
  public java.util.List<RouteTable.Route> apiRoutes() {
    return routes.list();
  }

  /** Plugins known to the platform, for tests and diagnostics. */
  public PluginRegistry plugins() {
    return registry;
  }

  /** The framework's system bundle context, for tests in this package. */
  org.osgi.framework.BundleContext frameworkContext() {
    return host.context();
  }

  /** Stops the ports, every plugin and the framework. Never fails. */
  public Future<Void> close() {
    // A member leaves first, so that the others take its keys at once rather than after failure detection.
    Future<Void> left = cluster == null ? Future.succeededFuture() : cluster.leave();
    return left.transform(x -> closeServer());
  }

  private Future<Void> closeServer() {
    consoleSeries.stop();
    Future<Void> admin = adminServer == null ? Future.succeededFuture() : adminServer.close();
    Future<Void> http = publicServer == null ? Future.succeededFuture() : publicServer.close();
    return Future.join(admin, http).transform(x -> audit == null ? Future.succeededFuture() : audit.close())
        .transform(x -> vertx.executeBlocking(() -> {
      if (extender != null) {
        extender.close();
      }
      host.stop(config.deploy().stopTimeout().multipliedBy(2));
      if (registry != null) {
        registry.close();
      }
      if (states != null) {
        states.close();
      }
      graph.close();
      metrics.releaseSwitchboardMeters();
      LOG.info("Switchboard stopped");
      return null;
    }, false)).mapEmpty();
  }
}
