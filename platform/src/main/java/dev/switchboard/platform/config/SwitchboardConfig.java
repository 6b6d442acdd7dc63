package dev.switchboard.platform.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The server's configuration: {@code conf/switchboard.yaml} over the built-in defaults, with
 * {@code SWITCHBOARD_<PATH>} environment overrides, validated. Obtained from {@link ConfigLoader}; paths
 * are absolute (relative ones in the file are resolved against the installation's home folder).
 */
public record SwitchboardConfig(
    Http http,
    Admin admin,
    Graph graph,
    Deploy deploy,
    Routing routing,
    Data data,
    Cluster cluster,
    Api api,
    Audit audit,
    Logging logging,
    Map<String, JsonObject> plugins) {

  /** The public port: Graph callbacks, REST API, prompts, health, metrics. */
  public record Http(String host, int port, String publicUrl, int maxBodyBytes, Tls tls) {

    /** Whether the public port serves HTTPS. */
    public boolean tlsEnabled() {
      return tls != null && tls.certificate() != null;
    }
  }

  /**
   * TLS on the public port: PEM files, checked every {@code reloadInterval} and reloaded when they change. Both
   * paths set, or neither.
   */
  public record Tls(Path certificate, Path key, Duration reloadInterval) {
  }

  /** How REST callers authenticate. */
  public record Api(List<AuthMethod> auth, int failureLimit, Duration failureWindow, Oidc oidc) {

    /** Whether the API is open to anyone ({@code api.auth: none}). */
    public boolean open() {
      return auth.contains(AuthMethod.NONE);
    }
  }

  /** A way REST callers authenticate: {@code keys}, {@code oidc}, or {@code none} (the API is open). */
  public enum AuthMethod {
    KEYS, OIDC, NONE;

    /** Reads {@code keys}, {@code oidc} or {@code none}, in any case. */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static AuthMethod parse(String value) {
      for (AuthMethod m : values()) {
        if (m.name().equalsIgnoreCase(value == null ? "" : value.trim())) {
          return m;
        }
      }
      throw new IllegalArgumentException("'" + value + "' is not keys, oidc or none");
    }

    @Override
    public String toString() {
      return name().toLowerCase();
    }
  }

  /** OpenID Connect bearer tokens for the REST API (e.g. Entra ID). */
  public record Oidc(String issuer, List<String> audience, String openIdConfigUrl, List<String> scopeClaims,
      String subjectClaim) {
  }

  /** The audit log, {@code <data.dir>/audit/audit.log}, rotated by size. */
  public record Audit(long maxFileBytes, int keepFiles) {
  }

  /** The admin API's port, bound to loopback by default. */
  public record Admin(String host, int port, String token, long maxUploadBytes) {
  }

  /** Where Graph is and how the bot authenticates to it. */
  public record Graph(
      String baseUrl,
      String authority,
      String tenantId,
      String clientId,
      String clientSecret,
      String clientCertificatePath,
      String clientCertificatePassword,
      String scope,
      int maxAttempts,
      Duration retryBudget,
      Duration requestTimeout,
      Duration subscriptionLifetime,
      List<String> callbackIssuers,
      String openIdConfigUrl,
      String tlsCertificatePem,
      Duration encryptionCertificateLifetime,
      String validationTokenOpenIdConfigUrl,
      String validationTokenIssuer) {

    /** The {@code iss} of rich notifications' validation tokens: as configured, else Entra ID's v1 issuer. */
    public String validationTokenIssuerOrDefault() {
      return validationTokenIssuer != null ? validationTokenIssuer : "https://sts.windows.net/" + tenantId + "/";
    }
  }

  /** Hot deployment from the deploy folder and the plugin lifecycle's time limits. */
  public record Deploy(
      Path dir,
      Duration pollInterval,
      int keepVersions,
      Duration startTimeout,
      Duration stopTimeout,
      Duration operationTimeout) {
  }

  /** Keyed routing and hot swap. */
  public record Routing(Duration drainTimeout, Duration ownerWait) {
  }

  /**
   * Where the server keeps its state: plugin state, key timers, bundle history, framework cache, generated admin
   * token. {@code fsync}: a state write completes once the disk has it (survives a power cut), else once the
   * operating system has it (survives the process being killed, not the machine losing power).
   */
  public record Data(Path dir, boolean fsync) {
  }

  /**
   * Cluster mode (see docs/cluster.md). {@code members}: {@code host:port} of the Hazelcast members to join over
   * TCP/IP; {@code host}/{@code port}: where this member listens; {@code busPort}: the clustered event bus (0: port +
   * 1); {@code name}: members of another name never merge; {@code backups}: synchronous backups of every replicated
   * map; {@code quorum}: members a side of a partition needs to act (0: a majority of {@code members});
   * {@code heartbeat}/{@code suspectAfter}: the phi-accrual failure detector's heartbeat and the heartbeat silence it
   * tolerates before its suspicion grows (a silent member is removed a few seconds after that); {@code lease}: how
   * long a member acts on its keys after it asked for the confirmation of its membership (renewed every third of it).
   */
  public record Cluster(boolean enabled, List<String> members, String host, int port, int busPort, String name,
      int backups, int quorum, Duration heartbeat, Duration suspectAfter, Duration lease) {

    /** The members a side of a partition needs to act. */
    public int effectiveQuorum() {
      return quorum > 0 ? quorum : members.size() / 2 + 1;
    }

    /** The port of the clustered event bus. */
    public int effectiveBusPort() {
      return busPort > 0 ? busPort : port + 1;
    }
  }

  /** The server log: {@code format} {@code text} (one readable line a record) or {@code json} (one object a line). */
  public record Logging(String format) {

    /** Whether records are written as JSON objects. */
    public boolean json() {
      return "json".equals(format);
    }
  }

  /** The configuration section of plugin {@code name}; empty when absent. A copy. */
  public JsonObject plugin(String name) {
    JsonObject section = plugins.get(name);
    return section == null ? new JsonObject() : section.copy();
  }
}
