package dev.switchboard.emulator;

import dev.switchboard.emulator.permissions.GraphPermission;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Options of a {@link GraphEmulator}, fluent in the Vert.x style. Defaults are the {@code DEFAULT_*}
 * constants; they are also what {@code switchboard emulator} prints at start.
 */
public class EmulatorOptions {

  /** Loopback only. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** 0: an ephemeral port, chosen at start (the command line uses {@link #DEFAULT_CLI_PORT}). */
  public static final int DEFAULT_PORT = 0;
  /** The port {@code switchboard emulator} listens on when {@code --port} is not given. */
  public static final int DEFAULT_CLI_PORT = 9443;
  /** Real time. */
  public static final double DEFAULT_CLOCK_SPEED = 1.0;
  /** The emulated tenant. */
  public static final String DEFAULT_TENANT = "7f3b9a52-6c1e-4d8a-9f2b-5e4c3d2a1b00";
  /** The registered bot application's client id. */
  public static final String DEFAULT_CLIENT_ID = "0b0f1e5a-3c6d-4e7f-8a9b-0c1d2e3f4a5b";
  /** The registered bot application's client secret. */
  public static final String DEFAULT_CLIENT_SECRET = "switchboard-emulator-secret";
  /** The bot's display name in call resources and rosters. */
  public static final String DEFAULT_BOT_NAME = "Switchboard Bot";
  /** The object id of the bot's application instance (for PSTN calls). */
  public static final String DEFAULT_APPLICATION_INSTANCE_ID = "9c5e2d1a-7b4f-4e3c-8a2d-1f0e9d8c7b6a";
  /** The phone number of the bot's application instance. */
  public static final String DEFAULT_BOT_PHONE = "+14255550100";
  /** Lifetime of access tokens, in real seconds. */
  public static final long DEFAULT_TOKEN_LIFETIME_SECONDS = 3599;

  /**
   * The application permissions granted by default: every one the emulator knows, which covers
   * everything the first-party bundles do.
   */
  public static final List<String> DEFAULT_ROLES = names(GraphPermission.all());
  /** How many requests and notification deliveries the emulator's logs keep by default. */
  public static final int DEFAULT_LOG_CAPACITY = 20_000;
  /** Emulated delay between the end of a call and its callRecord's availability. */
  public static final Duration DEFAULT_CALL_RECORD_DELAY = Duration.ofSeconds(30);

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private double clockSpeed = DEFAULT_CLOCK_SPEED;
  private String tenant = DEFAULT_TENANT;
  private String clientId = DEFAULT_CLIENT_ID;
  private String clientSecret = DEFAULT_CLIENT_SECRET;
  private String botCallback;
  private boolean tls = true;
  private long tokenLifetimeSeconds = DEFAULT_TOKEN_LIFETIME_SECONDS;
  private List<String> roles = DEFAULT_ROLES;
  private Duration callRecordDelay = DEFAULT_CALL_RECORD_DELAY;
  private int logCapacity = DEFAULT_LOG_CAPACITY;

  public EmulatorOptions() {
  }

  public EmulatorOptions(EmulatorOptions other) {
    this.host = other.host;
    this.port = other.port;
    this.clockSpeed = other.clockSpeed;
    this.tenant = other.tenant;
    this.clientId = other.clientId;
    this.clientSecret = other.clientSecret;
    this.botCallback = other.botCallback;
    this.tls = other.tls;
    this.tokenLifetimeSeconds = other.tokenLifetimeSeconds;
    this.roles = other.roles;
    this.callRecordDelay = other.callRecordDelay;
    this.logCapacity = other.logCapacity;
  }

  public String getHost() {
    return host;
  }

  /** The address to bind, default {@value #DEFAULT_HOST}. */
  public EmulatorOptions setHost(String host) {
    this.host = Objects.requireNonNull(host, "host");
    return this;
  }

  public int getPort() {
    return port;
  }

  /** The port, 0 for an ephemeral one (read it back with {@link GraphEmulator#port()}). */
  public EmulatorOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    this.port = port;
    return this;
  }

  public double getClockSpeed() {
    return clockSpeed;
  }

  /**
   * How much faster than real time emulated durations pass (answer window, prompt length,
   * keepAlive limit, ringing, behaviors, subscription lifetimes, notification retries): at 20, the
   * 15 s answer window lasts 750 ms. The emulated date ({@link GraphEmulator#clock()}) runs as fast.
   */
  public EmulatorOptions setClockSpeed(double clockSpeed) {
    if (!(clockSpeed > 0) || Double.isInfinite(clockSpeed)) {
      throw new IllegalArgumentException("clock speed must be a positive number, got " + clockSpeed);
    }
    this.clockSpeed = clockSpeed;
    return this;
  }

  public String getTenant() {
    return tenant;
  }

  /** The tenant id, default {@value #DEFAULT_TENANT}. */
  public EmulatorOptions setTenant(String tenant) {
    this.tenant = requireText(tenant, "tenant");
    return this;
  }

  public String getClientId() {
    return clientId;
  }

  /** The registered application's client id, default {@value #DEFAULT_CLIENT_ID}. */
  public EmulatorOptions setClientId(String clientId) {
    this.clientId = requireText(clientId, "clientId");
    return this;
  }

  public String getClientSecret() {
    return clientSecret;
  }

  /** The registered application's secret, default {@value #DEFAULT_CLIENT_SECRET}. */
  public EmulatorOptions setClientSecret(String clientSecret) {
    this.clientSecret = requireText(clientSecret, "clientSecret");
    return this;
  }

  public String getBotCallback() {
    return botCallback;
  }

  /**
   * The bot's calling webhook (http or https), where incoming-call notifications are posted; may
   * be null and set later with {@link GraphEmulator#setBotCallback(String)}.
   */
  public EmulatorOptions setBotCallback(String botCallback) {
    this.botCallback = botCallback;
    return this;
  }

  public boolean isTls() {
    return tls;
  }

  /** HTTPS with a self-signed certificate for 127.0.0.1/localhost (default), or plain HTTP. */
  public EmulatorOptions setTls(boolean tls) {
    this.tls = tls;
    return this;
  }

  public long getTokenLifetimeSeconds() {
    return tokenLifetimeSeconds;
  }

  /** The lifetime of access tokens in real seconds, default {@value #DEFAULT_TOKEN_LIFETIME_SECONDS}. */
  public EmulatorOptions setTokenLifetimeSeconds(long seconds) {
    if (seconds < 1) {
      throw new IllegalArgumentException("token lifetime must be >= 1 s");
    }
    this.tokenLifetimeSeconds = seconds;
    return this;
  }

  public List<String> getRoles() {
    return roles;
  }

  /**
   * The application permissions granted to the registered application, which its access tokens carry
   * in {@code roles} and each Graph route checks (docs/emulator.md, "Permissions"). Default:
   * {@link #DEFAULT_ROLES}. Names are matched ignoring case; an empty collection grants nothing.
   *
   * @throws IllegalArgumentException naming the valid permissions when a name is unknown
   */
  public EmulatorOptions setRoles(Collection<String> roles) {
    this.roles = names(GraphPermission.named(Objects.requireNonNull(roles, "roles")));
    return this;
  }

  public Duration getCallRecordDelay() {
    return callRecordDelay;
  }

  /**
   * How long, on the emulated clock, after a call ends its callRecord becomes available (and its
   * {@code created} change notification is sent). Default {@link #DEFAULT_CALL_RECORD_DELAY}; Graph's
   * average is under 30 minutes.
   *
   * @throws IllegalArgumentException when negative
   */
  public EmulatorOptions setCallRecordDelay(Duration delay) {
    if (Objects.requireNonNull(delay, "delay").isNegative()) {
      throw new IllegalArgumentException("call record delay must not be negative, got " + delay);
    }
    this.callRecordDelay = delay;
    return this;
  }

  public int getLogCapacity() {
    return logCapacity;
  }

  /**
   * How many of the most recent requests ({@code GET /emulator/requests}) and notification deliveries
   * ({@code GET /emulator/notifications}) the emulator keeps, each; default {@value #DEFAULT_LOG_CAPACITY}. Both
   * hold bodies: a long run at a steady rate keeps them full, so this bounds the emulator's memory (a soak of the
   * platform keeps it small to see the server's own heap level off).
   *
   * @throws IllegalArgumentException when less than 1
   */
  public EmulatorOptions setLogCapacity(int entries) {
    if (entries < 1) {
      throw new IllegalArgumentException("log capacity must be >= 1, got " + entries);
    }
    this.logCapacity = entries;
    return this;
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port).put("clockSpeed", clockSpeed).put("tenant", tenant)
        .put("clientId", clientId).put("botCallback", botCallback).put("tls", tls)
        .put("tokenLifetimeSeconds", tokenLifetimeSeconds).put("roles", new JsonArray(roles))
        .put("callRecordDelaySeconds", callRecordDelay.toMillis() / 1000.0).put("logCapacity", logCapacity);
  }

  private static List<String> names(Collection<GraphPermission> permissions) {
    return permissions.stream().sorted().map(GraphPermission::scope).toList();
  }

  private static String requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return value;
  }
}
