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

    return new SwitchboardConfig(
        c.http(),
        c.admin(),
        c.graph(),
        new SwitchboardConfig.Deploy(home.resolve(c.deploy().dir()).normalize(), c.deploy().pollInterval(),
            c.deploy().keepVersions(), c.deploy().startTimeout(), c.deploy().stopTimeout(),
            c.deploy().operationTimeout()),
        c.routing(),
        new SwitchboardConfig.Data(home.resolve(c.data().dir()).normalize()),
        new SwitchboardConfig.Cluster(c.cluster().enabled(), List.copyOf(new ArrayList<>(members))),
        c.plugins());
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
