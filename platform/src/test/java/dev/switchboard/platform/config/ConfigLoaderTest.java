package dev.switchboard.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir
  Path home;

  private SwitchboardConfig load(String yaml, Map<String, String> env) throws Exception {
    Path file = home.resolve("switchboard.yaml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(file, env, home);
  }

  private ConfigException failure(String yaml, Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> load(yaml, env));
  }

  @Test
  void defaultsApplyAndRelativePathsResolveAgainstHome() {
    SwitchboardConfig c = ConfigLoader.load(null, Map.of(), home);
    assertEquals(8080, c.http().port());
    assertEquals("127.0.0.1", c.admin().host());
    assertNull(c.admin().token());
    assertEquals(home.resolve("deploy"), c.deploy().dir());
    assertEquals(home.resolve("data"), c.data().dir());
    assertEquals(Duration.ofMillis(500), c.deploy().pollInterval());
    assertEquals(List.of("https://graph.microsoft.com", "https://api.botframework.com"), c.graph().callbackIssuers());
    assertEquals(new JsonObject(), c.plugin("calling"));
  }

  @Test
  void fileValuesOverrideDefaultsAndEnvironmentOverridesFile() throws Exception {
    SwitchboardConfig c = load("http:\n  port: 9000\ngraph:\n  clientId: from-file\n",
        Map.of("SWITCHBOARD_HTTP_PORT", "9100", "SWITCHBOARD_GRAPH_CLIENT_SECRET", "s3cret",
            "SWITCHBOARD_GRAPH_CALLBACK_ISSUERS", "https://a.example, https://b.example",
            "SWITCHBOARD_DEPLOY_START_TIMEOUT", "2m", "PATH", "/usr/bin"));
    assertEquals(9100, c.http().port());
    assertEquals("from-file", c.graph().clientId());
    assertEquals("s3cret", c.graph().clientSecret());
    assertEquals(List.of("https://a.example", "https://b.example"), c.graph().callbackIssuers());
    assertEquals(Duration.ofMinutes(2), c.deploy().startTimeout());
  }

  @Test
  void sectionsWithEveryKeyCommentedOutKeepTheirDefaults() throws Exception {
    SwitchboardConfig c = load("graph:\n  # clientId: x\nadmin:\n", Map.of());
    assertEquals("https://graph.microsoft.com/v1.0", c.graph().baseUrl());
    assertEquals(8081, c.admin().port());
  }

  @Test
  void pluginSectionsAreFreeFormAndTypedFromTheEnvironment() throws Exception {
    SwitchboardConfig c = load("plugins:\n  calling:\n    unclaimedRejectAfter: 5s\n    retries: 2\n",
        Map.of("SWITCHBOARD_PLUGINS_CALLING_UNCLAIMED_REJECT_AFTER", "7s",
            "SWITCHBOARD_PLUGINS_HELLO_ENABLED", "false", "SWITCHBOARD_PLUGINS_HELLO_MAX_ITEMS", "12"));
    assertEquals("7s", c.plugin("calling").getString("unclaimedRejectAfter"));
    assertEquals(2, c.plugin("calling").getInteger("retries"));
    assertEquals(false, c.plugin("hello").getBoolean("enabled"));
    assertEquals(12, c.plugin("hello").getInteger("maxItems"));
    String pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    assertEquals(pem, load("", Map.of("SWITCHBOARD_PLUGINS_HELLO_PEM", pem)).plugin("hello").getString("pem"),
        "a multi-line value arrives as written");
  }

  @Test
  void unknownKeysAreNamedWithTheKnownOnes() {
    ConfigException e = failure("http:\n  prot: 1\n", Map.of());
    assertEquals("http.prot", e.key());
    assertTrue(e.getMessage().contains("unknown configuration key 'http.prot'"), e.getMessage());
    assertTrue(e.getMessage().contains("host, port, publicUrl"), e.getMessage());
    assertEquals("nonsense", failure("nonsense: 1\n", Map.of()).key());
  }

  /** Found by ConfigFuzzTest: {@code pollInterval: null} threw a NullPointerException out of the validation. */
  @Test
  void anExplicitNullForAKeyWithADefaultNamesTheKey() {
    ConfigException e = failure("deploy:\n  pollInterval: null\n", Map.of());
    assertEquals("deploy.pollInterval", e.key());
    assertTrue(e.getMessage().contains("must have a value"), e.getMessage());
  }

  @Test
  void theLogFormatIsTextOrJson() throws Exception {
    assertEquals(false, ConfigLoader.load(null, Map.of(), home).logging().json());
    assertEquals(true, load("", Map.of("SWITCHBOARD_LOGGING_FORMAT", "json")).logging().json());
    ConfigException e = failure("logging:\n  format: xml\n", Map.of());
    assertEquals("logging.format", e.key());
    assertEquals("logging.format: must be text or json, got \"xml\"", e.getMessage());
  }

  @Test
  void clusterModeNeedsMembersAndALeaseShorterThanDetection() throws Exception {
    SwitchboardConfig off = load("", Map.of());
    assertEquals(false, off.cluster().enabled());
    SwitchboardConfig on = load("cluster:\n  enabled: true\n  members: [10.0.0.1:5701, 10.0.0.2:5701, 10.0.0.3:5701]\n",
        Map.of());
    assertEquals(2, on.cluster().effectiveQuorum());
    assertEquals(5702, on.cluster().effectiveBusPort());
    assertEquals(1, on.cluster().backups());
    assertEquals("cluster.members", failure("cluster:\n  enabled: true\n", Map.of()).key());
    assertEquals("cluster.members", failure("cluster:\n  enabled: true\n  members: [nohost]\n", Map.of()).key());
    assertEquals("cluster.quorum", failure("cluster:\n  enabled: true\n  members: [a:1]\n  quorum: 2\n", Map.of())
        .key());
    assertEquals("cluster.lease", failure("cluster:\n  enabled: true\n  members: [a:1]\n  lease: 10s\n", Map.of())
        .key());
    assertEquals(List.of("a:1", "b:2"), load("", Map.of("SWITCHBOARD_CLUSTER_ENABLED", "true",
        "SWITCHBOARD_CLUSTER_MEMBERS", "a:1,b:2")).cluster().members());
  }

  @Test
  void wrongTypesAndRangesNameTheKey() {
    assertEquals("http.port: expected a whole number, got \"eighty\"",
        failure("http:\n  port: eighty\n", Map.of()).getMessage());
    assertEquals("admin.port", failure("admin:\n  port: 70000\n", Map.of()).key());
    assertEquals("cluster.enabled", failure("cluster:\n  enabled: maybe\n", Map.of()).key());
    assertEquals("deploy.pollInterval", failure("deploy:\n  pollInterval: 10ms\n", Map.of()).key());
    assertEquals("graph.baseUrl", failure("graph:\n  baseUrl: not a url\n", Map.of()).key());
    assertEquals("http", failure("http: 8080\n", Map.of()).key());
    assertEquals("plugins.calling", failure("plugins:\n  calling: 3\n", Map.of()).key());
    assertEquals("http.port", failure("", Map.of("SWITCHBOARD_HTTP_PORT", "x")).key());
    assertEquals("graph.tlsCertificatePem",
        failure("", Map.of("SWITCHBOARD_GRAPH_TLS_CERTIFICATE_PEM", "not a certificate")).key());
  }

  @Test
  void unknownEnvironmentVariablesAreErrorsButHomeAndOptsAreNot() {
    ConfigException e = failure("", Map.of("SWITCHBOARD_HTTP_PROT", "1"));
    assertTrue(e.getMessage().contains("SWITCHBOARD_HTTP_PROT matches no configuration key"), e.getMessage());
    ConfigLoader.load(null, Map.of("SWITCHBOARD_HOME", "/x", "SWITCHBOARD_OPTS", "-Xmx1g"), home);
  }

  @Test
  void unreadableFilesSayWhere() {
    assertTrue(failure("http: [", Map.of()).getMessage().contains("is not valid YAML at line"));
    assertTrue(failure("- a\n- b\n", Map.of()).getMessage().contains("must hold a mapping"));
    ConfigException missing = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(home.resolve("absent.yaml"), Map.of(), home));
    assertTrue(missing.getMessage().endsWith("absent.yaml does not exist"), missing.getMessage());
  }

  @Test
  void theEmulatorsGraphSectionLoadsAsIs() throws Exception {
    SwitchboardConfig c = load("graph:\n  baseUrl: \"https://127.0.0.1:9443/v1.0\"\n"
        + "  authority: \"https://127.0.0.1:9443/t/\"\n  tenantId: \"t\"\n  clientId: \"c\"\n"
        + "  clientSecret: \"s\"\n  openIdConfigUrl: \"https://127.0.0.1:9443/calling/v1/.well-known/OpenIdConfiguration\"\n"
        + "  callbackIssuers:\n    - \"https://api.botframework.com\"\n", Map.of());
    assertEquals(List.of("https://api.botframework.com"), c.graph().callbackIssuers());
    // The real section, certificate included, is loaded by the launcher's EmulatorConfigTest.
  }

  @Test
  void durationsAcceptUnitsIsoAndMillis() {
    assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
    assertEquals(Duration.ofSeconds(3), Durations.parse("3s"));
    assertEquals(Duration.ofHours(1), Durations.parse("1h"));
    assertEquals(Duration.ofSeconds(90), Durations.parse("PT90S"));
    assertEquals(Duration.ofMillis(42), Durations.parse("42"));
    assertNull(Durations.parse("soon"));
  }

  @Test
  void environmentNamesFollowTheKeyPath() {
    assertEquals("SWITCHBOARD_GRAPH_CLIENT_SECRET", ConfigLoader.envName(List.of("graph", "clientSecret")));
    assertEquals("SWITCHBOARD_HTTP_PUBLIC_URL", ConfigLoader.envName(List.of("http", "publicUrl")));
  }

  @Test
  void apiAuthDefaultsToKeysPlusOidcWhenAnIssuerIsSet() throws Exception {
    assertEquals(List.of(SwitchboardConfig.AuthMethod.KEYS), ConfigLoader.load(null, Map.of(), home).api().auth());
    SwitchboardConfig oidc = load("api:\n  oidc:\n    issuer: https://login.microsoftonline.com/t/v2.0\n"
        + "    audience: api://switchboard\n", Map.of());
    assertEquals(List.of(SwitchboardConfig.AuthMethod.KEYS, SwitchboardConfig.AuthMethod.OIDC), oidc.api().auth());
    assertEquals(List.of("api://switchboard"), oidc.api().oidc().audience());
    assertEquals("https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration",
        oidc.api().oidc().openIdConfigUrl());
    SwitchboardConfig open = load("api:\n  auth: none\n", Map.of());
    assertTrue(open.api().open());
    assertEquals(List.of(SwitchboardConfig.AuthMethod.OIDC), load("", Map.of("SWITCHBOARD_API_AUTH", "oidc",
        "SWITCHBOARD_API_OIDC_ISSUER", "https://issuer.example", "SWITCHBOARD_API_OIDC_AUDIENCE", "a")).api().auth());
  }

  @Test
  void badApiAuthConfigurationNamesTheKey() {
    ConfigException noAudience = failure("api:\n  oidc:\n    issuer: https://issuer.example\n", Map.of());
    assertEquals("api.oidc.audience", noAudience.key());
    assertTrue(noAudience.getMessage().startsWith("api.oidc.audience: "), noAudience.getMessage());
    assertEquals("api.oidc.issuer", failure("api:\n  oidc:\n    audience: api://x\n", Map.of()).key());
    assertEquals("api.oidc.issuer", failure("api:\n  auth: [keys, oidc]\n", Map.of()).key());
    assertEquals("api.oidc.issuer", failure("api:\n  auth: oidc\n  oidc:\n    issuer: not a url\n"
        + "    audience: x\n", Map.of()).key());
    ConfigException mixed = failure("api:\n  auth: [none, keys]\n", Map.of());
    assertEquals("api.auth", mixed.key());
    assertTrue(mixed.getMessage().contains("none"), mixed.getMessage());
    ConfigException unknown = failure("api:\n  auth: passwords\n", Map.of());
    assertTrue(unknown.getMessage().startsWith("api.auth"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("'passwords' is not keys, oidc or none"), unknown.getMessage());
    assertEquals("api.failureLimit", failure("api:\n  failureLimit: 0\n", Map.of()).key());
  }

  @Test
  void tlsNeedsBothReadableFiles() throws Exception {
    assertEquals("http.tls.key", failure("http:\n  tls:\n    certificate: cert.pem\n", Map.of()).key());
    assertEquals("http.tls.certificate", failure("http:\n  tls:\n    key: key.pem\n", Map.of()).key());
    ConfigException missing = failure("http:\n  tls:\n    certificate: cert.pem\n    key: key.pem\n", Map.of());
    assertEquals("http.tls.certificate", missing.key());
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    Files.writeString(home.resolve("cert.pem"), "not a certificate");
    assertEquals("http.tls.certificate", failure("http:\n  tls:\n    certificate: cert.pem\n    key: key.pem\n",
        Map.of()).key());
  }
}
