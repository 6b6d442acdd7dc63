package dev.switchboard.emulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Objects;

/**
 * A running emulator of the Microsoft Graph communications API and its token endpoint, embedded in
 * a {@link Vertx} instance (one verticle on one event loop).
 *
 * <pre>{@code
 * GraphEmulator emulator = GraphEmulator.start(vertx, new EmulatorOptions()
 *     .setClockSpeed(20)
 *     .setBotCallback("http://127.0.0.1:8080/callbacks/calling")).await();
 * JsonObject graph = emulator.graphConfig(); // the `graph:` configuration section for a server
 * }</pre>
 *
 * <p>Getters may be called from any thread. The emulator serves, on one port: the Graph routes
 * under {@code /v1.0/}, the token endpoint and OpenID configurations, recordings under
 * {@code /recordings/}, and its control API under {@code /emulator/} (see docs/emulator.md).
 */
public final class GraphEmulator {

  private final Vertx vertx;
  private final String deploymentId;
  private final EmulatorServer server;

  private GraphEmulator(Vertx vertx, String deploymentId, EmulatorServer server) {
    this.vertx = vertx;
    this.deploymentId = deploymentId;
    this.server = server;
  }

  /**
   * Starts an emulator: generates its keys (and TLS certificate), binds its port.
   *
   * @return a future completed when it accepts requests, or failed (for example when the port is taken)
   */
  public static Future<GraphEmulator> start(Vertx vertx, EmulatorOptions options) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(options, "options");
    EmulatorServer server = new EmulatorServer(options);
    return vertx.deployVerticle(server).map(id -> new GraphEmulator(vertx, id, server));
  }

  /** Stops it: ends calls silently, closes its port. Idempotent. */
  public Future<Void> close() {
    return vertx.deploymentIDs().contains(deploymentId) ? vertx.undeploy(deploymentId) : Future.succeededFuture();
  }

  /** The port it listens on. */
  public int port() {
    return server.port();
  }

  /** Its base URL, such as {@code https://127.0.0.1:9443} (no trailing slash). */
  public String baseUrl() {
    return server.baseUrl();
  }

  /**
   * The {@code graph:} configuration section that points a Switchboard server at this emulator
   * (also served at {@code GET /emulator/config}): {@code baseUrl} (with {@code /v1.0}),
   * {@code authority} ({@code https://127.0.0.1:PORT/{tenant}/}), {@code tenantId}, {@code clientId},
   * {@code clientSecret}, {@code openIdConfigUrl} (whose JWKS holds the notification signing key),
   * {@code validationTokenOpenIdConfigUrl} (whose JWKS holds the key of rich notifications' validation tokens),
   * {@code callbackIssuers} (array) and {@code tlsCertificatePem} (null with plain HTTP).
   */
  public JsonObject graphConfig() {
    return server.graphConfig();
  }

  /**
   * The {@code Authorization} bearer token the emulator signs its notifications with (valid for an hour, the
   * current notification key), for a load generator that POSTs notifications to a bot itself, as Graph would.
   * Thread-safe.
   */
  public String notificationToken() {
    return server.notificationToken();
  }

  /**
   * The emulated clock (UTC): it starts at the real time when the emulator starts and runs
   * {@link EmulatorOptions#setClockSpeed clock speed} times faster, and jumps ahead when a test advances it
   * ({@code POST /emulator/clock/advance}). Subscription expirations are
   * judged on it, so code under test that computes or renews {@code expirationDateTime} should read
   * this clock (also served at {@code GET /emulator/clock}). Thread-safe.
   */
  public Clock clock() {
    return server.clock().asClock();
  }

  /**
   * The change-notification subscriptions, active and recently ended, as {@code GET
   * /emulator/subscriptions} lists them: the Graph resource plus {@code state} ({@code active},
   * {@code expired}, {@code deleted}, {@code removed}), {@code renewals}, {@code reauthorizations},
   * {@code notifications} and their times. May be called from any thread.
   */
  public Future<JsonArray> subscriptions() {
    return server.subscriptions();
  }

  /**
   * Changes where incoming-call notifications go (the bot's calling webhook); calls already
   * placed keep their callback.
   *
   * @throws IllegalArgumentException when {@code url} is not an absolute http(s) URL
   */
  public void setBotCallback(String url) {
    server.setBotCallback(url);
  }
}
