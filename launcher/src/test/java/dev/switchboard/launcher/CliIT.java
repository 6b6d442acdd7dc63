package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built launcher end to end: the distribution starts with every first-party bundle active, and
 * {@code switchboard bundles ...} drives a running server through the admin API.
 */
class CliIT {

  private static final String TOKEN = "cli-test-token-0123456789";

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  /** Any free ports: the server reports the ones it got. */
  private Map<String, String> serverEnv(boolean ownDeploy) {
    Map<String, String> env = new HashMap<>();
    env.put("SWITCHBOARD_HTTP_PORT", "0");
    env.put("SWITCHBOARD_ADMIN_PORT", "0");
    env.put("SWITCHBOARD_ADMIN_TOKEN", TOKEN);
    env.put("SWITCHBOARD_DATA_DIR", dir.resolve("data").toString());
    env.put("SWITCHBOARD_DEPLOY_POLL_INTERVAL", "100ms");
    if (ownDeploy) {
      env.put("SWITCHBOARD_DEPLOY_DIR", dir.resolve("deploy").toString());
    }
    return env;
  }

  private int get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private String body(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** A REST call with an API key. */
  private HttpResponse<String> rest(int port, String path, String key) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theDistributionStartsWithEveryFirstPartyBundleActive() throws Exception {
    try (Cli.Server server = Cli.Server.start(serverEnv(false))) {
      int httpPort = server.httpPort;
      int adminPort = server.adminPort;
      // Plugins start after the framework: the records plugin migrates its database first, so readiness may follow.
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
      while (get(httpPort, "/health/ready") != 200 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals(200, get(httpPort, "/health/ready"), body(httpPort, "/health/ready"));
      Cli.Result list = Cli.run(Map.of(), "bundles", "list", "--admin-url", "http://127.0.0.1:" + adminPort,
          "--token", TOKEN);
      assertEquals(0, list.exitCode(), list.toString());
      for (String bundle : new String[] {"calling", "media", "meetings", "presence", "records", "ivr"}) {
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("dev.switchboard." + bundle + " ")
            && l.contains("ACTIVE")), bundle + " is listed ACTIVE:\n" + list);
      }
    }
  }

  @Test
  void bundlesCommandsDriveARunningServer() throws Exception {
    int adminPort;
    try (Cli.Server server = Cli.Server.start(serverEnv(true))) {
      int httpPort = server.httpPort;
      adminPort = server.adminPort;
      Map<String, String> clientEnv = Map.of("SWITCHBOARD_ADMIN_PORT", Integer.toString(adminPort),
          "SWITCHBOARD_ADMIN_TOKEN", TOKEN);
      Cli.Result installed = Cli.run(clientEnv, "bundles", "install", Cli.testBundle("hello-v1").toString());
      assertEquals(0, installed.exitCode(), installed.toString());
      assertTrue(installed.out().contains("Installed dev.switchboard.test.hello 1.0.0 (ACTIVE), plugins: hello ACTIVE"),
          installed.toString());
      assertEquals(401, get(httpPort, "/api/v1/hello/cli"), "the REST API needs a key");
      Cli.Result keyCreated = Cli.run(clientEnv, "keys", "create", "cli", "--scope", "hello:read", "--ttl", "1h");
      assertEquals(0, keyCreated.exitCode(), keyCreated.toString());
      String key = keyCreated.out().strip().lines().reduce((a, b) -> b).orElseThrow();
      assertTrue(key.startsWith("sb_"), keyCreated.toString());
      assertEquals("1.0.0", new JsonObject(rest(httpPort, "/api/v1/hello/cli", key).body()).getString("version"));
      Cli.Result keys = Cli.run(clientEnv, "keys", "list");
      assertTrue(keys.out().lines().anyMatch(l -> l.startsWith("cli ") && l.endsWith("hello:read")), keys.toString());
      assertTrue(!keys.out().contains(key.substring(16)), "the secret is never listed");
      Cli.Result duplicate = Cli.run(clientEnv, "keys", "create", "cli", "--scope", "x:y");
      assertEquals(1, duplicate.exitCode(), duplicate.toString());
      assertTrue(duplicate.err().contains("keyExists") && duplicate.err().contains("HTTP 409"), duplicate.toString());

      Cli.Result updated = Cli.run(clientEnv, "bundles", "update", "hello", Cli.testBundle("hello-v2").toString());
      assertEquals(0, updated.exitCode(), updated.toString());
      assertTrue(updated.out().contains("Updated to dev.switchboard.test.hello 2.0.0"), updated.toString());
      assertEquals("2.0.0", new JsonObject(rest(httpPort, "/api/v1/hello/cli", key).body()).getString("version"));

      Cli.Result listed = Cli.run(clientEnv, "bundles", "list");
      assertTrue(listed.out().lines().anyMatch(l -> l.matches("dev\\.switchboard\\.test\\.hello +2\\.0\\.0 +ACTIVE +0 +hello ACTIVE")),
          listed.toString());
      assertTrue(listed.out().lines().noneMatch(l -> l.contains("1.0.0")), "1.0.0 was retired: " + listed);

      Cli.Result rolledBack = Cli.run(clientEnv, "bundles", "rollback", "hello", "--mode", "takeover");
      assertEquals(0, rolledBack.exitCode(), rolledBack.toString());
      assertTrue(rolledBack.out().contains("Rolled back to dev.switchboard.test.hello 1.0.0"), rolledBack.toString());
      assertEquals("1.0.0", new JsonObject(rest(httpPort, "/api/v1/hello/cli", key).body()).getString("version"));
      Cli.Result noMore = Cli.run(clientEnv, "bundles", "rollback", "hello");
      assertEquals(1, noMore.exitCode(), noMore.toString());
      assertTrue(noMore.err().contains("noPreviousVersion"), noMore.toString());

      Cli.Result json = Cli.run(clientEnv, "bundles", "diag", "hello", "--json");
      assertEquals(0, json.exitCode(), json.toString());
      assertTrue(new JsonObject(json.out()).getBoolean("resolved"), json.toString());

      Path notAJar = dir.resolve("notes.txt");
      Files.writeString(notAJar, "hello");
      Cli.Result bad = Cli.run(clientEnv, "bundles", "install", notAJar.toString());
      assertEquals(1, bad.exitCode(), bad.toString());
      assertTrue(bad.err().contains("not a jar") && bad.err().contains("HTTP 400"), bad.toString());

      Cli.Result unresolved = Cli.run(clientEnv, "bundles", "install", unresolvableJar().toString());
      assertEquals(1, unresolved.exitCode(), unresolved.toString());
      assertTrue(unresolved.err().contains("imports package com.example.nowhere") && unresolved.err().contains("HTTP 422"),
          unresolved.toString());

      Cli.Result unknown = Cli.run(clientEnv, "bundles", "diag", "nosuchbundle");
      assertEquals(1, unknown.exitCode(), unknown.toString());
      assertTrue(unknown.err().contains("No bundle named 'nosuchbundle'") && unknown.err().contains("HTTP 404"),
          unknown.toString());

      Cli.Result wrongToken = Cli.run(clientEnv, "bundles", "list", "--token", "not-the-token-at-all");
      assertEquals(1, wrongToken.exitCode(), wrongToken.toString());
      assertTrue(wrongToken.err().contains("HTTP 401"), wrongToken.toString());

      Cli.Result uninstalled = Cli.run(clientEnv, "bundles", "uninstall", "hello");
      assertEquals(0, uninstalled.exitCode(), uninstalled.toString());
      assertEquals(404, rest(httpPort, "/api/v1/hello/cli", key).statusCode());

      Cli.Result revoked = Cli.run(clientEnv, "keys", "revoke", "cli");
      assertEquals(0, revoked.exitCode(), revoked.toString());
      assertEquals(401, rest(httpPort, "/api/v1/hello/cli", key).statusCode(), "a revoked key is refused at once");
      Cli.Result audit = Cli.run(clientEnv, "audit", "--limit", "100");
      assertEquals(0, audit.exitCode(), audit.toString());
      for (String action : new String[] {"install", "keyCreate", "update", "rollback", "uninstall", "keyRevoke"}) {
        assertTrue(audit.out().lines().anyMatch(l -> l.contains(" " + action + " /admin/")), action + ":\n" + audit);
      }
      assertTrue(!audit.out().contains(key.substring(16)), "no secret in the audit log");

      Cli.Result missing = Cli.run(clientEnv, "bundles", "install", dir.resolve("nope.jar").toString());
      assertEquals(2, missing.exitCode(), missing.toString());
    }
    Cli.Result unreachable = Cli.run(Map.of(), "bundles", "list", "--admin-url", "http://127.0.0.1:" + adminPort,
        "--token", TOKEN);
    assertEquals(3, unreachable.exitCode(), unreachable.toString());
    assertTrue(unreachable.err().contains("cannot reach the admin API"), unreachable.toString());
  }

  private Path unresolvableJar() throws Exception {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.putValue("Bundle-ManifestVersion", "2");
    main.putValue("Bundle-SymbolicName", "com.example.unresolvable");
    main.putValue("Bundle-Version", "1.0.0");
    main.putValue("Import-Package", "com.example.nowhere;version=\"[1.0,2)\"");
    Path jar = dir.resolve("unresolvable.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      out.closeEntry();
    }
    return jar;
  }
}
