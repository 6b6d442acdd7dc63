package dev.switchboard.platform.graph;

import dev.switchboard.api.GraphClient;
import dev.switchboard.platform.config.SwitchboardConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The platform's Graph access: one {@link GraphClient} (and one MSAL application with its token cache) per
 * tenant, created on first use and shared by every plugin.
 */
public final class GraphClients implements AutoCloseable {

  private final Vertx vertx;
  private final SwitchboardConfig.Graph config;
  // Built on first use (or by warmUp on a worker): loading the JVM's trust store takes ~100 ms, which should
  // neither delay start-up nor land on an event loop.
  private volatile TrustSupport trust;
  private volatile WebClient web;
  private final RetryPolicy retries;
  /** Waits for a token while the authority is unavailable: not counted as attempts, at most 2 s apart. */
  private final RetryPolicy tokenWaits;
  private final ExecutorService msalExecutor;
  private final Map<String, TokenSource> tokens = new ConcurrentHashMap<>();
  private final Map<String, DefaultGraphClient> clients = new ConcurrentHashMap<>();
  /** The roles of the configured tenant's last token; {@code null} until one was obtained. */
  private volatile Set<String> grantedRoles;

  public GraphClients(Vertx vertx, SwitchboardConfig.Graph config) {
    this.vertx = vertx;
    this.config = config;

    this.retries = new RetryPolicy(config.maxAttempts(), config.retryBudget(), Duration.ofMillis(200),
        Duration.ofSeconds(10));
    this.tokenWaits = new RetryPolicy(Integer.MAX_VALUE, config.retryBudget(), Duration.ofMillis(200),
        Duration.ofSeconds(2));
    AtomicInteger threads = new AtomicInteger();
    this.msalExecutor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "switchboard-msal-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Whether a bot application is configured at all ({@code graph.clientId} and a secret or certificate). */
  public boolean configured() {
    return config.clientId() != null && config.tenantId() != null
        && (config.clientSecret() != null || config.clientCertificatePath() != null);
  }

  /** The client of the configured tenant; its requests fail with a clear error when none is configured. */
  public GraphClient client() {
    return client(config.tenantId());
  }

  /** The client of {@code tenantId}. */
  public GraphClient client(String tenantId) {
    if (tenantId == null || !configured()) {
      return new UnconfiguredGraphClient(tenantId);
    }
    return clients.computeIfAbsent(tenantId, t -> new DefaultGraphClient(vertx, web(), tokens(t), config.baseUrl(),
        retries, tokenWaits, config.requestTimeout()));
  }

  private TokenSource tokens(String tenant) {
    return tokens.computeIfAbsent(tenant, t -> new TokenSource(vertx, t, config, trust(), msalExecutor));
  }

  /**
   * Checks that a token can be had for the configured tenant (for readiness and start-up):
   * {@code {"ok": true}} or {@code {"ok": false, "problem": "..."}} naming the tenant.
   */
  public Future<JsonObject> checkToken() {
    if (!configured()) {
      return Future.succeededFuture(new JsonObject().put("ok", false).put("problem",
          "no bot application configured (graph.tenantId, graph.clientId, graph.clientSecret)"));
    }
    return tokens(config.tenantId()).token(false)
        .map(token -> {
          grantedRoles = TokenRoles.of(token);
          return new JsonObject().put("ok", true);
        })
        .otherwise(e -> new JsonObject().put("ok", false).put("problem", e.getMessage()));
  }

  /**
   * Why the configured tenant's last attempt to get a token failed (its authority unavailable, or the token
   * refused), or null when it succeeded, none was made yet, or no bot application is configured.
   */
  public String tokenProblem() {
    TokenSource source = configured() ? tokens.get(config.tenantId()) : null;
    return source == null ? null : source.problem();
  }

  /**
   * The Graph application permissions ({@code roles}) of the configured tenant's token as of the last
   * {@link #checkToken()}, or {@code null} before a token was obtained.
   */
  public Set<String> grantedRoles() {
    return grantedRoles;
  }

  /** The trust the platform uses for Graph's hosts, for other clients of them (JWKS, plugins). */
  public TrustOptions trustOptions() {
    return TrustOptions.wrap(trust().factory());
  }

  /** Builds the trust, the web client and the configured tenant's MSAL application now. Blocking: for a worker. */
  public void warmUp() {
    web();
    if (configured()) {
      tokens(config.tenantId()).application();
    }
  }

  private TrustSupport trust() {
    TrustSupport t = trust;
    if (t == null) {
      synchronized (this) {
        if (trust == null) {
          trust = new TrustSupport(config.tlsCertificatePem());
        }
        t = trust;
      }
    }
    return t;
  }

  /**
   * HTTP/1.1 connections to Graph kept at most (Vert.x's default is 5): every call's media and call-control
   * requests share them, so with 5 a burst of prompts queues the next call's answer behind it for seconds
   * (bench/capacity.sh: new calls went unanswered past ~1,500 live calls with tones every 4 s).
   */
  static final int GRAPH_CONNECTIONS = 64;

  private WebClient web() {
    WebClient w = web;
    if (w == null) {
      synchronized (this) {
        if (web == null) {
          web = WebClient.create(vertx, new WebClientOptions()
              .setTrustOptions(TrustOptions.wrap(trust().factory()))
              .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.requestTimeout().toMillis()))
              .setUserAgent("Switchboard"), new PoolOptions().setHttp1MaxSize(GRAPH_CONNECTIONS));
        }
        w = web;
      }
    }
    return w;
  }

  @Override
  public void close() {
    WebClient w = web;
    if (w != null) {
      w.close();
    }
    msalExecutor.shutdownNow();
  }
}
