package dev.switchboard.platform.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Range and form checks that types alone do not express; resolves relative paths against the home folder. */
final class ConfigValidator {

  private static final int MIN_TOKEN_LENGTH = 16;

  private ConfigValidator() {
  }

  static SwitchboardConfig validate(SwitchboardConfig c, Path home) {
    port("http.port", c.http().port());
    port("admin.port", c.admin().port());
    notBlank("http.host", c.http().host());
    notBlank("admin.host", c.admin().host());
    positive("http.maxBodyBytes", c.http().maxBodyBytes());
    positive("admin.maxUploadBytes", c.admin().maxUploadBytes());
    if (c.http().publicUrl() != null) {
      url("http.publicUrl", c.http().publicUrl());
    }
    String token = c.admin().token();
    if (token != null && token.length() < MIN_TOKEN_LENGTH) {
      throw new ConfigException("admin.token", "admin.token: too short (" + token.length() + " characters); use at least "
          + MIN_TOKEN_LENGTH + " random characters, or leave it unset to have one generated");
    }
    url("graph.baseUrl", c.graph().baseUrl());
    url("graph.authority", c.graph().authority());
    url("graph.openIdConfigUrl", c.graph().openIdConfigUrl());
    notBlank("graph.scope", c.graph().scope());
    if (c.graph().tlsCertificatePem() != null) {
      certificate("graph.tlsCertificatePem", c.graph().tlsCertificatePem());
    }
    positive("graph.maxAttempts", c.graph().maxAttempts());
    positive("graph.retryBudget", c.graph().retryBudget());
    positive("graph.requestTimeout", c.graph().requestTimeout());
    if (c.graph().subscriptionLifetime() != null) {
      positive("graph.subscriptionLifetime", c.graph().subscriptionLifetime());
    }
    positive("graph.encryptionCertificateLifetime", c.graph().encryptionCertificateLifetime());
    url("graph.validationTokenOpenIdConfigUrl", c.graph().validationTokenOpenIdConfigUrl());
    if (c.graph().validationTokenIssuer() != null) {
      url("graph.validationTokenIssuer", c.graph().validationTokenIssuer());
    }
    if (c.graph().callbackIssuers() == null || c.graph().callbackIssuers().isEmpty()) {
      throw new ConfigException("graph.callbackIssuers", "graph.callbackIssuers: must name at least one issuer");
    }
    if (c.deploy().pollInterval().compareTo(Duration.ofMillis(50)) < 0) {
      throw new ConfigException("deploy.pollInterval", "deploy.pollInterval: " + c.deploy().pollInterval().toMillis()
          + "ms is too short; use 50ms or more");
    }
    if (c.deploy().keepVersions() < 0) {
      throw new ConfigException("deploy.keepVersions", "deploy.keepVersions: must be 0 or more, got "
          + c.deploy().keepVersions());
    }
    positive("deploy.startTimeout", c.deploy().startTimeout());
    positive("deploy.stopTimeout", c.deploy().stopTimeout());
    positive("deploy.operationTimeout", c.deploy().operationTimeout());
    positive("routing.drainTimeout", c.routing().drainTimeout());
    positive("routing.ownerWait", c.routing().ownerWait());
    notNull("deploy.dir", c.deploy().dir());
    notNull("data.dir", c.data().dir());
    List<String> members = c.cluster().members() == null ? List.of() : c.cluster().members();

    if (c.audit().maxFileBytes() < 1024) {
      throw new ConfigException("audit.maxFileBytes", "audit.maxFileBytes: " + c.audit().maxFileBytes()
          + " is too small; use 1024 or more (the default is 10485760, 10 MB)");
    }
    if (c.audit().keepFiles() < 1) {
      throw new ConfigException("audit.keepFiles", "audit.keepFiles: must be 1 or more, got " + c.audit().keepFiles());
    }

    if (!List.of("text", "json").contains(c.logging().format())) {
      throw new ConfigException("logging.format", "logging.format: must be text or json, got "
          + (c.logging().format() == null ? "nothing (null)" : "\"" + c.logging().format() + "\""));
    }

    return new SwitchboardConfig(
        new SwitchboardConfig.Http(c.http().host(), c.http().port(), c.http().publicUrl(), c.http().maxBodyBytes(),
            tls(c.http().tls(), home)),
        c.admin(),
        c.graph(),
        new SwitchboardConfig.Deploy(home.resolve(c.deploy().dir()).normalize(), c.deploy().pollInterval(),
            c.deploy().keepVersions(), c.deploy().startTimeout(), c.deploy().stopTimeout(),
            c.deploy().operationTimeout()),
        c.routing(),
        new SwitchboardConfig.Data(home.resolve(c.data().dir()).normalize(), c.data().fsync()),
        cluster(c.cluster(), members),
        api(c.api()),
        c.audit(),
        c.logging(),
        c.plugins());
  }

  private static SwitchboardConfig.Cluster cluster(SwitchboardConfig.Cluster c, List<String> members) {
    if (c.enabled()) {
      if (members.isEmpty()) {
        throw new ConfigException("cluster.members", "cluster.members: list host:port of every member (this one "
            + "included) when cluster.enabled is true");
      }
      for (String member : members) {
        if (member == null || !member.matches("[^:\\s]+:\\d{1,5}")) {
          throw new ConfigException("cluster.members", "cluster.members: '" + member + "' is not host:port");
        }
      }
      if (c.name() == null || c.name().isBlank()) {
        throw new ConfigException("cluster.name", "cluster.name: give the cluster a name (members of another name "
            + "never merge)");
      }
      if (c.port() < 1 || c.port() > 65535 || c.busPort() < 0 || c.busPort() > 65535) {
        throw new ConfigException("cluster.port", "cluster.port and cluster.busPort: a port between 1 and 65535 "
            + "(busPort 0: port + 1)");
      }
      if (c.backups() < 0 || c.backups() > 6) {
        throw new ConfigException("cluster.backups", "cluster.backups: between 0 and 6, got " + c.backups());
      }
      if (c.quorum() < 0 || c.quorum() > members.size()) {
        throw new ConfigException("cluster.quorum", "cluster.quorum: between 0 (a majority) and the number of "
            + "members (" + members.size() + "), got " + c.quorum());
      }
      positive("cluster.heartbeat", c.heartbeat());
      positive("cluster.suspectAfter", c.suspectAfter());
      positive("cluster.lease", c.lease());
      if (c.lease().compareTo(c.suspectAfter()) >= 0) {
        throw new ConfigException("cluster.lease", "cluster.lease (" + c.lease().toMillis() + " ms) must be shorter "
            + "than cluster.suspectAfter (" + c.suspectAfter().toMillis() + " ms): a silent member must have stopped "
            + "acting before its keys move");
      }
    }
    return new SwitchboardConfig.Cluster(c.enabled(), List.copyOf(new ArrayList<>(members)), c.host(), c.port(),
        c.busPort(), c.name(), c.backups(), c.quorum(), c.heartbeat(), c.suspectAfter(), c.lease());
  }

  /** Both PEM files or neither; each readable, the certificate parsed, the key a PEM private key. */
  private static SwitchboardConfig.Tls tls(SwitchboardConfig.Tls tls, Path home) {
    positive("http.tls.reloadInterval", tls.reloadInterval());
    if (tls.certificate() == null && tls.key() == null) {
      return tls;
    }
    if (tls.key() == null) {
      throw new ConfigException("http.tls.key", "http.tls.key: must be set when http.tls.certificate is: the PEM "
          + "file of the certificate's private key");
    }
    if (tls.certificate() == null) {
      throw new ConfigException("http.tls.certificate", "http.tls.certificate: must be set when http.tls.key is: the "
          + "PEM file of the certificate (chain)");
    }
    Path certificate = home.resolve(tls.certificate()).normalize();
    Path key = home.resolve(tls.key()).normalize();
    certificate("http.tls.certificate", read("http.tls.certificate", certificate));
    String pem = read("http.tls.key", key);
    if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      throw new ConfigException("http.tls.key", "http.tls.key: " + key + " is encrypted; give the key unencrypted "
          + "(e.g. openssl pkcs8 -topk8 -nocrypt -in " + key.getFileName() + ") in a file only the server can read");
    }
    if (!pem.matches("(?s).*-----BEGIN (RSA |EC )?PRIVATE KEY-----.*")) {
      throw new ConfigException("http.tls.key", "http.tls.key: " + key + " holds no PEM private key (-----BEGIN "
          + "PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)");
    }
    return new SwitchboardConfig.Tls(certificate, key, tls.reloadInterval());
  }

  private static String read(String key, Path file) {
    try {
      return java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ConfigException(key, key + ": " + file + " does not exist");
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      throw new ConfigException(key, key + ": " + file + " cannot be read (" + e.getMessage() + ")");
    }
  }

  /**
   * {@code api.auth}: unset means keys, plus oidc when {@code api.oidc.issuer} is set; {@code none} stands alone; oidc
   * needs an issuer and an audience.
   */
  private static SwitchboardConfig.Api api(SwitchboardConfig.Api api) {
    SwitchboardConfig.Oidc oidc = api.oidc();
    List<SwitchboardConfig.AuthMethod> auth = api.auth() == null ? List.of()
        : api.auth().stream().distinct().toList();
    List<String> audience = oidc.audience() == null ? List.of() : oidc.audience();
    if (auth.isEmpty()) {
      if (oidc.issuer() == null && (!audience.isEmpty() || oidc.openIdConfigUrl() != null)) {
        throw new ConfigException("api.oidc.issuer", "api.oidc.issuer: must be set when other api.oidc keys are: the "
            + "issuer of the tokens (e.g. https://login.microsoftonline.com/<tenant>/v2.0)");
      }
      auth = oidc.issuer() == null ? List.of(SwitchboardConfig.AuthMethod.KEYS)
          : List.of(SwitchboardConfig.AuthMethod.KEYS, SwitchboardConfig.AuthMethod.OIDC);
    }
    if (auth.contains(SwitchboardConfig.AuthMethod.NONE) && auth.size() > 1) {
      throw new ConfigException("api.auth", "api.auth: none opens the API to anyone and cannot be combined with "
          + auth.stream().filter(m -> m != SwitchboardConfig.AuthMethod.NONE).map(Object::toString).toList()
          + "; write either none or keys and/or oidc");
    }
    if (api.failureLimit() < 1) {
      throw new ConfigException("api.failureLimit", "api.failureLimit: must be 1 or more, got " + api.failureLimit());
    }
    positive("api.failureWindow", api.failureWindow());
    if (!auth.contains(SwitchboardConfig.AuthMethod.OIDC)) {
      return new SwitchboardConfig.Api(auth, api.failureLimit(), api.failureWindow(), oidc);
    }
    if (oidc.issuer() == null) {
      throw new ConfigException("api.oidc.issuer", "api.oidc.issuer: must be set when api.auth includes oidc: the "
          + "issuer of the tokens (e.g. https://login.microsoftonline.com/<tenant>/v2.0)");
    }
    url("api.oidc.issuer", oidc.issuer());
    if (audience.isEmpty() || audience.stream().anyMatch(String::isBlank)) {
      throw new ConfigException("api.oidc.audience", "api.oidc.audience: must name the audience the tokens are issued "
          + "for (the API's application id URI, e.g. api://switchboard, or its client id) when api.auth includes oidc");
    }
    String configUrl = oidc.openIdConfigUrl() != null ? oidc.openIdConfigUrl()
        : oidc.issuer().replaceAll("/+$", "") + "/.well-known/openid-configuration";
    url("api.oidc.openIdConfigUrl", configUrl);
    if (oidc.scopeClaims() == null || oidc.scopeClaims().isEmpty()) {
      throw new ConfigException("api.oidc.scopeClaims", "api.oidc.scopeClaims: must name at least one claim (scp, "
          + "roles)");
    }
    notBlank("api.oidc.subjectClaim", oidc.subjectClaim());
    return new SwitchboardConfig.Api(auth, api.failureLimit(), api.failureWindow(), new SwitchboardConfig.Oidc(
        oidc.issuer(), List.copyOf(audience), configUrl, List.copyOf(oidc.scopeClaims()), oidc.subjectClaim()));
  }

  private static void port(String key, int port) {
    if (port < 0 || port > 65535) {
      throw new ConfigException(key, key + ": " + port + " is out of range; use 1-65535 (or 0 for any free port)");
    }
  }

  private static void positive(String key, long value) {
    if (value <= 0) {
      throw new ConfigException(key, key + ": must be greater than 0, got " + value);
    }
  }

  private static void positive(String key, Duration value) {
    notNull(key, value);
    if (value.isNegative() || value.isZero()) {
      throw new ConfigException(key, key + ": must be longer than 0");
    }
  }

  private static void notBlank(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(key, key + ": must not be empty");
    }
  }

  private static void notNull(String key, Object value) {
    if (value == null) {
      throw new ConfigException(key, key + ": must be set");
    }
  }

  private static void certificate(String key, String pem) {
    if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new ConfigException(key, key + ": holds no certificate; give the PEM text (-----BEGIN CERTIFICATE-----...)");
    }
    try {
      if (java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(
          new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII))).isEmpty()) {
        throw new ConfigException(key, key + ": holds no certificate; paste the PEM text (-----BEGIN CERTIFICATE-----...)");
      }
    } catch (java.security.cert.CertificateException e) {
      throw new ConfigException(key, key + ": is not a readable PEM certificate (" + e.getMessage() + ")");
    }
  }

  private static void url(String key, String value) {
    notBlank(key, value);
    try {
      URI uri = new URI(value);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new ConfigException(key, key + ": \"" + value + "\" is not an http(s) URL with a host");
      }
    } catch (URISyntaxException e) {
      throw new ConfigException(key, key + ": \"" + value + "\" is not a valid URL (" + e.getReason() + ")");
    }
  }
}
