package dev.switchboard.platform;

import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.platform.config.ConfigLoader;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.storage.AtomicFiles;
import io.vertx.core.Future;
import dev.switchboard.platform.vertx.SingleNodeVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.osgi.framework.Bundle;

/**
 * A real server on ephemeral ports with its own folders, for integration tests; published in the platform's
 * test jar for the bundles' integration tests.
 */
public final class TestServer implements AutoCloseable {

  public static final String TOKEN = "test-admin-token-0123456789";

  public final Path home;
  public final Vertx vertx;
  public final SwitchboardServer server;
  public final WebClient client;
  private String apiKey;

  private TestServer(Path home, Vertx vertx, SwitchboardServer server) {
    this.home = home;
    this.vertx = vertx;
    this.server = server;
    this.client = WebClient.create(vertx);
  }

  /** Starts a server; {@code env} holds extra SWITCHBOARD_* overrides. */
  public static TestServer start(Path home, Map<String, String> env) throws Exception {
    return start(home, env, vertx -> { });
  }

  /**
   * Starts a server, running {@code beforeStart} on its Vert.x first (e.g. to register bus consumers before the
   * bundles already in the deploy folder start).
   */
  public static TestServer start(Path home, Map<String, String> env, java.util.function.Consumer<Vertx> beforeStart)
      throws Exception {
    Map<String, String> all = new HashMap<>();
    all.put("SWITCHBOARD_HTTP_PORT", "0");
    all.put("SWITCHBOARD_HTTP_HOST", "127.0.0.1");
    all.put("SWITCHBOARD_ADMIN_PORT", "0");
    all.put("SWITCHBOARD_ADMIN_TOKEN", TOKEN);
    all.put("SWITCHBOARD_DEPLOY_POLL_INTERVAL", "100ms");
    all.putAll(env);
    SwitchboardConfig config = ConfigLoader.load(null, all, home);
    Vertx vertx = SingleNodeVertx.create();
    beforeStart.accept(vertx);
    SwitchboardServer server = await(SwitchboardServer.start(vertx, config));
    TestServer started = new TestServer(home, vertx, server);
    started.admin(HttpMethod.DELETE, "/admin/keys/test", null); // left by an earlier server in the same home
    started.apiKey = started.createKey("test", new JsonArray().add("*"), null).getString("secret");
    return started;
  }

  /**
   * The secret of the API key {@code test}, created through the admin API at start with every scope ({@code *});
   * {@link #http} sends it on {@code /api/v1} requests. Send it yourself as {@code Authorization: Bearer <key>} on
   * requests made with {@link #client}.
   */
  public String apiKey() {
    return apiKey;
  }

  /** Creates an API key through the admin API; the answer (with its {@code secret}). */
  public JsonObject createKey(String name, JsonArray scopes, JsonObject more) throws Exception {
    JsonObject body = new JsonObject().put("name", name).put("scopes", scopes);
    if (more != null) {
      body.mergeIn(more);
    }
    HttpResponse<Buffer> created = admin(HttpMethod.POST, "/admin/keys", body.toBuffer());
    if (created.statusCode() != 201) {
      fail("creating API key " + name + " answered " + created.statusCode() + ": " + created.bodyAsString());
    }
    return created.bodyAsJsonObject();
  }

  /** A test bundle built by the reactor. */
  public static Path bundle(String artifactId) {
    Path jar = Path.of(System.getProperty("test.bundles.dir", "target/test-bundles"), artifactId + ".jar");
    if (!Files.exists(jar)) {
      fail("test bundle " + jar + " is missing; run the tests with 'mvn verify' from the repository root");
    }
    return jar;
  }

  /** Installs a bundle through the admin API; fails the test unless it is installed (201). */
  public void install(Path jar) throws Exception {
    HttpResponse<Buffer> installed = admin(HttpMethod.POST, "/admin/bundles", Buffer.buffer(Files.readAllBytes(jar)));
    org.junit.jupiter.api.Assertions.assertEquals(201, installed.statusCode(), installed.bodyAsString());
  }

  /**
   * A bundle's jar under another {@code Bundle-Version}, for updates in tests (the platform refuses an update to the
   * version already installed).
   */
  public static byte[] withBundleVersion(Path jar, String version) throws java.io.IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.jar.JarInputStream in = new java.util.jar.JarInputStream(Files.newInputStream(jar))) {
      java.util.jar.Manifest manifest = new java.util.jar.Manifest(in.getManifest());
      manifest.getMainAttributes().putValue("Bundle-Version", version);
      try (java.util.jar.JarOutputStream copy = new java.util.jar.JarOutputStream(out, manifest)) {
        for (java.util.jar.JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
          copy.putNextEntry(new java.util.jar.JarEntry(e.getName()));
          in.transferTo(copy);
          copy.closeEntry();
        }
      }
    }
    return out.toByteArray();
  }

  public Path deployDir() {
    return home.resolve("deploy");
  }

  /** Places {@code jar} in the deploy folder as {@code name} in one atomic step, as an operator should. */
  public void drop(Path jar, String name) throws Exception {
    AtomicFiles.copy(jar, deployDir().resolve(name));
  }

  /** Sends {@code body} to {@code address}; the reply body, or the failure. */
  public Future<Object> request(String address, Object body) {
    return vertx.eventBus().request(address, body).map(m -> m.body());
  }

  /** The reply, or the {@link ReplyException} it failed with. */
  public Object requestOrFailure(String address) {
    try {
      return request(address, "ping").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** A request to the public port; under {@code /api/v1} with the {@link #apiKey() test key}. */
  public HttpResponse<Buffer> http(HttpMethod method, String path) throws Exception {
    return http(method, path, path.startsWith("/api/") ? "Bearer " + apiKey : null);
  }

  /** A request to the public port with {@code authorization} as its header ({@code null} for none). */
  public HttpResponse<Buffer> http(HttpMethod method, String path, String authorization) throws Exception {
    var request = client.request(method, server.httpPort(), "127.0.0.1", path);
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return await(request.send());
  }

  public HttpResponse<Buffer> admin(HttpMethod method, String path, String token, Buffer body) throws Exception {
    var request = client.request(method, server.adminPort(), "127.0.0.1", path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return await(body == null ? request.send() : request.sendBuffer(body));
  }

  public HttpResponse<Buffer> admin(HttpMethod method, String path, Buffer body) throws Exception {
    return admin(method, path, TOKEN, body);
  }

  public Bundle bundleNamed(String symbolicName) {
    for (Bundle b : server.frameworkContext().getBundles()) {
      if (b.getSymbolicName().equals(symbolicName)) {
        return b;
      }
    }
    return null;
  }

  public static void awaitUntil(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(20);
    }
    fail("timed out after " + timeout.toMillis() + " ms waiting until " + what);
  }

  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  public static JsonObject json(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject();
  }

  @Override
  public void close() throws Exception {
    client.close();
    await(server.close());
    await(vertx.close());
  }
}
