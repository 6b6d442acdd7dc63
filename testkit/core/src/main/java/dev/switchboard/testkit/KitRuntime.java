package dev.switchboard.testkit;

import dev.switchboard.emulator.EmulatorClient;
import dev.switchboard.emulator.EmulatorOptions;
import dev.switchboard.emulator.GraphEmulator;
import dev.switchboard.platform.SwitchboardServer;
import dev.switchboard.platform.config.ConfigLoader;
import dev.switchboard.platform.config.SwitchboardConfig;
import io.vertx.core.Future;
import dev.switchboard.platform.vertx.SingleNodeVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a kit runs: a server on ephemeral loopback ports on a Vert.x of its own, pointed at the run's emulator (reset
 * first), the server's home in a folder of its own with the bundles in its deploy folder before it starts (so that
 * they start with it), the emulator's bot callback at the server, an API key with every scope, and a recorder of the
 * bus events.
 */
final class KitRuntime implements AutoCloseable {

  private static final String ADMIN_TOKEN = "switchboard-testkit-admin-" + UUID.randomUUID();

  final Vertx vertx;
  final GraphEmulator emulator;
  final EmulatorClient emulatorClient;
  final SwitchboardServer server;
  final WebClient web;
  final EventRecorder events;
  final Journal journal;
  final Path home;
  final String apiKey;

  private final SharedEmulator shared;

  private KitRuntime(Vertx vertx, SharedEmulator shared, SwitchboardServer server, EventRecorder events, Path home,
      String apiKey) {
    this.vertx = vertx;
    this.shared = shared;
    this.emulator = shared.emulator;
    this.emulatorClient = shared.client;
    this.server = server;
    this.web = WebClient.create(vertx);
    this.events = events;
    this.journal = new Journal(emulatorClient);
    this.home = home;
    this.apiKey = apiKey;
  }

  /** Resets {@code shared} and starts a server in {@code home} (a fresh folder) with {@code jars} deployed. */
  static KitRuntime start(KitOptions options, SharedEmulator shared, Path home, List<Path> jars) throws Exception {
    shared.reset();
    GraphEmulator emulator = shared.emulator;
    Vertx vertx = SingleNodeVertx.create();
    try {
      Path deploy = Files.createDirectories(home.resolve("deploy"));
      for (Path jar : jars) {
        Files.copy(jar, deploy.resolve(jar.getFileName()));
      }
      for (Map.Entry<String, String> file : options.files.entrySet()) {
        Path target = home.resolve(file.getKey());
        Files.createDirectories(target.getParent());
        Files.writeString(target, file.getValue());
      }
      Map<String, String> env = new HashMap<>(ConfigLoader.environmentOf("graph", emulator.graphConfig()));
      env.put("SWITCHBOARD_HTTP_PORT", "0");
      env.put("SWITCHBOARD_HTTP_HOST", "127.0.0.1");
      env.put("SWITCHBOARD_ADMIN_PORT", "0");
      env.put("SWITCHBOARD_ADMIN_TOKEN", ADMIN_TOKEN);
      env.put("SWITCHBOARD_DEPLOY_POLL_INTERVAL", "100ms");
      env.put("SWITCHBOARD_PLUGINS_CALLING_APPLICATION_INSTANCE_ID", EmulatorOptions.DEFAULT_APPLICATION_INSTANCE_ID);
      env.putAll(options.settings());
      SwitchboardConfig config = ConfigLoader.load(null, env, home);
      // Recording starts before the bundles do, so that no event of theirs is missed.
      EventRecorder events = await(EventRecorder.start(vertx, options.recordedAddresses()), "the recorder starts");
      SwitchboardServer server = await(SwitchboardServer.start(vertx, config), "the server starts");
      emulator.setBotCallback(server.publicUrl() + "/callbacks/calling");
      String key = await(createKey(vertx, server), "the kit's API key is created");
      KitRuntime runtime = new KitRuntime(vertx, shared, server, events, home, key);
      runtime.awaitActive(jars.stream().map(jar -> jar.getFileName().toString()).toList());
      return runtime;
    } catch (Exception | Error e) {
      vertx.close();
      throw e;
    }
  }

  private static Future<String> createKey(Vertx vertx, SwitchboardServer server) {
    return createKey(vertx, server, "testkit", List.of("*"));
  }

  /** Creates an API key with {@code scopes} through the admin API; its secret. */
  static Future<String> createKey(Vertx vertx, SwitchboardServer server, String name, List<String> scopes) {
    WebClient admin = WebClient.create(vertx);
    return admin.post(server.adminPort(), "127.0.0.1", "/admin/keys").bearerTokenAuthentication(ADMIN_TOKEN)
        .sendJsonObject(new JsonObject().put("name", name).put("scopes", new JsonArray(new java.util.ArrayList<>(scopes))))
        .compose(r -> r.statusCode() == 201 ? Future.succeededFuture(r.bodyAsJsonObject().getString("secret"))
            : Future.failedFuture(new IllegalStateException("creating the API key " + name + " answered " + r.statusCode()
                + ": " + r.bodyAsString())))
        .onComplete(done -> admin.close());
  }

  /**
   * Waits until the bundle of each deploy-folder file is ACTIVE with every plugin of it ACTIVE; fails at once, with
   * the platform's words, when a plugin FAILED, and with the bundles as the admin API lists them when time runs out
   * (their {@code problems} say why, e.g. an unresolved import).
   */
  private void awaitActive(List<String> files) {
    JsonArray[] last = {new JsonArray()};
    Await.until(java.time.Duration.ofSeconds(30), "the bundles " + files + " are ACTIVE with their plugins", () -> {
      Object listed = io.vertx.core.json.Json.decodeValue(admin(HttpMethod.GET, "/admin/bundles", null).body());
      JsonArray bundles = listed instanceof JsonArray a ? a : ((JsonObject) listed).getJsonArray("value");
      last[0] = bundles;
      int active = 0;
      for (Object o : bundles) {
        JsonObject bundle = (JsonObject) o;
        String file = bundle.getString("file");
        if (file == null || !files.contains(Path.of(file).getFileName().toString())) {
          continue;
        }
        JsonArray plugins = bundle.getJsonArray("plugins", new JsonArray());
        for (Object p : plugins) {
          JsonObject plugin = (JsonObject) p;
          if ("FAILED".equals(plugin.getString("state"))) {
            throw new AssertionError("The plugin " + plugin.getString("name") + " of " + bundle.getString("file")
                + " failed to start: " + plugin.getValue("failure"));
          }
        }
        if ("ACTIVE".equals(bundle.getString("state"))
            && plugins.stream().allMatch(p -> "ACTIVE".equals(((JsonObject) p).getString("state")))) {
          active++;
        }
      }
      return active == files.size() ? Boolean.TRUE : null;
    }, () -> "GET /admin/bundles: " + last[0].encodePrettily());
  }

  /** Forgets what the emulator knows (calls end silently) and what the kit recorded: a fresh test on this server. */
  void reset() throws Exception {
    shared.reset();
    events.clear();
    journal.clear();
  }

  /** A request to the server's public port; {@code /api/v1} paths carry the kit's API key. */
  HttpResponse<Buffer> http(HttpMethod method, String path, Buffer body) throws Exception {
    return http(method, path, body, path.startsWith("/api/") ? "Bearer " + apiKey : null);
  }

  /** A request to the server's public port with {@code authorization} as its header ({@code null}: none). */
  HttpResponse<Buffer> http(HttpMethod method, String path, Buffer body, String authorization) throws Exception {
    var request = web.request(method, server.httpPort(), "127.0.0.1", path);
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    if (body != null) {
      request.putHeader("Content-Type", "application/json");
    }
    return await(body == null ? request.send() : request.sendBuffer(body), method + " " + path);
  }

  /** A request to the admin port with the kit's admin token. */
  HttpResponse<Buffer> admin(HttpMethod method, String path, Buffer body) throws Exception {
    var request = web.request(method, server.adminPort(), "127.0.0.1", path).bearerTokenAuthentication(ADMIN_TOKEN);
    return await(body == null ? request.send() : request.sendBuffer(body), method + " " + path);
  }

  /** Waits up to 30 s for {@code future}; its value, or its failure as it is (or an {@link AssertionError}). */
  static <T> T await(Future<T> future, String what) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } catch (TimeoutException e) {
      throw new AssertionError(what + ": no answer within 30 s", e);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      web.close();
      await(server.close(), "the server stops");
    } finally {
      await(vertx.close(), "Vert.x closes");
    }
  }
}
