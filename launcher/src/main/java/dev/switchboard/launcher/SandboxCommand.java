package dev.switchboard.launcher;

import dev.switchboard.emulator.EmulatorOptions;
import dev.switchboard.emulator.GraphEmulator;
import dev.switchboard.platform.SwitchboardServer;
import dev.switchboard.platform.config.ConfigException;
import dev.switchboard.platform.config.ConfigLoader;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.framework.FelixHost;
import dev.switchboard.platform.plugin.PluginInfo;
import dev.switchboard.platform.plugin.PluginState;
import io.vertx.core.Future;
import dev.switchboard.platform.vertx.SingleNodeVertx;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code switchboard sandbox [--exit]}: the emulator, the server and every first-party bundle in one process, wired
 * together, playing the demo scenario on the default flow ({@code conf/flows/main.yaml}) and printing its transcript.
 * Then it keeps serving (until Ctrl-C) and prints how to place more calls, or with {@code --exit} stops and exits 0
 * when every step happened, 1 when one did not.
 */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
    description = {"Runs the emulator, the server and every bundle in one process, plays a demo call scenario on the "
        + "default IVR flow (conf/flows/main.yaml) and prints its transcript; then keeps serving until Ctrl-C.",
        "Exit codes (with --exit): 0 every step happened, 1 a step failed, 2 the sandbox could not start."})
final class SandboxCommand implements Callable<Integer> {

  private static final List<String> REQUIRED_PLUGINS = List.of("calling", "media", "ivr", "presence", "records",
      "meetings");
  private static final Duration CALL_RECORD_DELAY = Duration.ofSeconds(2);

  @Option(names = "--exit", description = "Exit after the scenario: 0 if every step happened, 1 if not.")
  boolean exit;

  @Option(names = "--clock-speed", paramLabel = "X", defaultValue = "10",
      description = "The emulator's clock runs X times faster than real time (default: ${DEFAULT-VALUE}).")
  double clockSpeed;

  @Option(names = "--port", paramLabel = "N", defaultValue = "0",
      description = "The server's public port (default: a free port).")
  int port;

  @Option(names = "--admin-port", paramLabel = "N", defaultValue = "0",
      description = "The admin API's port (default: a free port).")
  int adminPort;

  @Option(names = "--admin-token", paramLabel = "T",
      description = "The admin API's bearer token (default: a new random one, printed).")
  String adminToken;

  @Option(names = "--emulator-port", paramLabel = "N", defaultValue = "0",
      description = "The emulator's port (default: a free port).")
  int emulatorPort;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "The sandbox's own folder for deploy/ and data/ (recordings, prompts); default: a new temporary "
          + "folder, kept afterwards.")
  Path dir;

  @Option(names = "--verbose", description = "Show the server's log (informational messages) with the transcript.")
  boolean verbose;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!verbose && System.getProperty("switchboard.log.level") == null) {
      System.setProperty("switchboard.log.level", "WARN");
    }
    FelixHost.prefetchSystemPackages();
    StartupPreload.start();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path home = Home.locate();
    Path bundles = home.resolve("deploy");
    if (!hasJars(bundles)) {
      err.println("switchboard: no bundles in " + bundles + "; build the distribution first (mvn -DskipTests package)");
      err.flush();
      return 2;
    }
    Path sandbox = (dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("switchboard-sandbox-"))
        .toAbsolutePath();
    Path deploy = Files.createDirectories(sandbox.resolve("deploy"));
    Path data = Files.createDirectories(sandbox.resolve("data"));
    copyJars(bundles, deploy);
    Path flows = home.resolve("conf").resolve("flows");
    int httpPort = port != 0 ? port : freePort();
    String publicUrl = "http://127.0.0.1:" + httpPort;
    String token = adminToken != null ? adminToken : "sandbox-" + UUID.randomUUID();

    long began = System.nanoTime();
    Vertx emulatorVertx = SingleNodeVertx.create();
    Vertx vertx = SingleNodeVertx.create();
    GraphEmulator emulator = null;
    SwitchboardServer server = null;
    try {
      emulator = await(GraphEmulator.start(emulatorVertx, new EmulatorOptions().setPort(emulatorPort)
          .setClockSpeed(clockSpeed).setBotCallback(publicUrl + "/callbacks/calling")
          // Records are available 30 emulated seconds after a call by default: too long to wait for in a demo.
          .setCallRecordDelay(CALL_RECORD_DELAY)), 30);
      Map<String, String> env = serverEnv(emulator.graphConfig(), httpPort, publicUrl, token, deploy, data, flows);
      env.put("SWITCHBOARD_ADMIN_PORT", Integer.toString(adminPort));
      // Meetings start on the emulator's clock: the bot's scheduled joins must run at its speed.
      env.put("SWITCHBOARD_PLUGINS_MEETINGS_GRAPH_CLOCK_SPEED", Double.toString(clockSpeed));
      SwitchboardConfig config;
      try {
        config = ConfigLoader.load(null, env, home);
      } catch (ConfigException e) {
        err.println("switchboard: bad configuration: " + e.getMessage());
        err.flush();
        return 2;
      }
      server = await(SwitchboardServer.start(vertx, config), 120);
      String missing = awaitPlugins(server, Duration.ofSeconds(30));
      if (missing != null) {
        err.println("switchboard: the sandbox could not start: " + missing);
        err.flush();
        return 2;
      }
      String apiKey;
      try {
        apiKey = createApiKey(server.adminPort(), token);
      } catch (AdminClient.Failure e) {
        err.println("switchboard: the sandbox could not create its REST API key: " + e.getMessage());
        err.flush();
        return 2;
      }
      String pem = emulator.graphConfig().getString("tlsCertificatePem");
      out.printf("Switchboard sandbox, ready in %.1f s%n", (System.nanoTime() - began) / 1e9);
      out.println("  server     " + publicUrl + "   (admin API http://127.0.0.1:" + server.adminPort() + ", token "
          + token + ")");
      out.println("  API key    " + apiKey + "   (REST API /api/v1: calls, media, ivr, presence, records, meetings; "
          + "switchboard keys create makes others)");
      out.println("  emulator   " + emulator.baseUrl() + "   (Graph and its control API; clock x" + clockSpeed + ")");
      out.println("  flows      " + flows + "   (edit them while it runs)");
      out.println("  folder     " + sandbox + "   (deploy/, data/: recordings, prompts)");
      out.println();
      out.println("Scenario: a caller dials in, hears the menu, presses 2 and leaves a message; a second caller "
          + "presses 1 and is transferred to the first available sales agent (the first is Busy). Each call's record "
          + "follows, with its quality verdict. Then the bot joins a meeting at its start, welcomes its two attendees "
          + "and leaves after them.");
      out.println("  time     call     what happened");
      out.flush();
      Transcript transcript = new Transcript(vertx, out, data);
      boolean passed;
      long scenarioBegan = System.nanoTime();
      try (SandboxScenario scenario = new SandboxScenario(vertx, transcript, emulator.baseUrl(), pem,
          Duration.ofSeconds(15), Math.max(300, Math.round(3000 / clockSpeed)));
          SandboxRecords records = new SandboxRecords(vertx, transcript)) {
        try {
          scenario.run();
          records.await(scenario.calls(), Duration.ofSeconds(15));
          int steps = scenario.steps();
          try (MeetingScenario meeting = new MeetingScenario(vertx, transcript, scenario,
              Duration.ofSeconds(15))) {
            meeting.run();
            steps += meeting.steps();
          }
          passed = true;
          transcript.print(String.format("Scenario passed: %d steps in %.1f s.", steps,
              (System.nanoTime() - scenarioBegan) / 1e9));
        } catch (SandboxScenario.StepFailed e) {
          passed = false;
          transcript.print("Scenario FAILED after " + scenario.steps() + " steps: " + e.getMessage());
        }
      }
      if (exit) {
        transcript.close();
        return passed ? 0 : 1;
      }
      printHowToCall(out, emulator.baseUrl(), publicUrl, server.adminPort(), token, apiKey);
      awaitShutdown(server, vertx, emulator, emulatorVertx);
      server = null;
      emulator = null;
      return passed ? 0 : 1;
    } finally {
      if (server != null) {
        closeQuietly(server.close());
      }
      if (emulator != null) {
        closeQuietly(emulator.close());
      }
      closeQuietly(vertx.close());
      closeQuietly(emulatorVertx.close());
    }
  }

  private static Map<String, String> serverEnv(JsonObject graph, int httpPort, String publicUrl, String token,
      Path deploy, Path data, Path flows) {
    Map<String, String> env = new HashMap<>();
    // Plugin settings from the environment still apply (e.g. SWITCHBOARD_PLUGINS_MEDIA_SPEECH_COMMAND); nothing else
    // does: the sandbox must not talk to a real tenant configured for `switchboard run`.
    System.getenv().forEach((k, v) -> {
      if (k.startsWith("SWITCHBOARD_PLUGINS_")) {
        env.put(k, v);
      }
    });
    env.put("SWITCHBOARD_HTTP_HOST", "127.0.0.1");
    env.put("SWITCHBOARD_HTTP_PORT", Integer.toString(httpPort));
    env.put("SWITCHBOARD_HTTP_PUBLIC_URL", publicUrl);
    env.put("SWITCHBOARD_ADMIN_PORT", "0");
    env.put("SWITCHBOARD_ADMIN_TOKEN", token);
    env.put("SWITCHBOARD_DEPLOY_DIR", deploy.toString());
    env.put("SWITCHBOARD_DEPLOY_POLL_INTERVAL", "500ms");
    env.put("SWITCHBOARD_DATA_DIR", data.toString());
    env.putAll(ConfigLoader.environmentOf("graph", graph));
    // Callback, prompt and beep URLs follow http.publicUrl; the emulator's certificate is in the graph section.
    // Graph's 45-minute keepAlive rule runs on the emulator's fast clock.
    env.put("SWITCHBOARD_PLUGINS_CALLING_KEEP_ALIVE_INTERVAL", "1m");
    env.put("SWITCHBOARD_PLUGINS_IVR_FLOWS_DIR", flows.toString());
    // The sales agents of conf/flows/main.yaml, whose presence routes the demo's transfer.
    env.putIfAbsent("SWITCHBOARD_PLUGINS_PRESENCE_WATCH", String.join(",", SandboxScenario.SALES_AGENTS));
    return env;
  }

  /** Waits until the plugins the scenario needs are active; what is missing, or {@code null}. */
  private static String awaitPlugins(SwitchboardServer server, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String missing = null;
    while (System.nanoTime() < deadline) {
      List<PluginInfo> all = server.plugins().all();
      missing = null;
      for (String name : REQUIRED_PLUGINS) {
        PluginInfo info = all.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
        if (info != null && info.state() == PluginState.FAILED) {
          return "plugin " + name + " failed: " + info.failure();
        }
        if (info == null || info.state() != PluginState.ACTIVE) {
          missing = "plugin " + name + " is not active" + (info == null ? "" : " (" + info.state() + ")");
        }
      }
      if (missing == null) {
        return null;
      }
      Thread.sleep(50);
    }
    return missing;
  }

  /** Creates the sandbox's REST API key through its own admin API, as an operator would; its secret. */
  private static String createApiKey(int adminPort, String token) throws AdminClient.Failure {
    AdminClient admin = new AdminClient(URI.create("http://127.0.0.1:" + adminPort + "/"), token);
    JsonObject created = (JsonObject) admin.post("admin/keys", new JsonObject().put("name", "sandbox")
        .put("scopes", new JsonArray().add("calls:read").add("calls:write").add("media:read").add("media:write")
            .add("ivr:read").add("presence:read").add("records:read").add("records:write").add("meetings:read")
            .add("meetings:write")));
    return created.getString("secret");
  }

  private static void printHowToCall(PrintWriter out, String emulatorUrl, String publicUrl, int adminPort,
      String token, String apiKey) {
    out.println();
    out.println("Still serving; the transcript goes on for new calls. Ctrl-C stops. Place another call (needs jq):");
    out.println();
    out.println("  EMU=" + emulatorUrl);
    out.println("  CALL=$(curl -sk -X POST $EMU/emulator/calls/incoming -H 'Content-Type: application/json' \\");
    out.println("    -d '{\"from\": \"+14255550199\", \"behavior\": {\"speakSeconds\": 3}}' | jq -r .id)");
    out.println("  curl -sk -X POST $EMU/emulator/calls/$CALL/tones -H 'Content-Type: application/json' "
        + "-d '{\"tones\": \"2\"}'");
    out.println("  curl -sk -X POST $EMU/emulator/calls/$CALL/hangup");
    out.println();
    out.println("Look around:");
    out.println("  KEY=" + apiKey);
    out.println("  curl -s -H \"Authorization: Bearer $KEY\" " + publicUrl + "/api/v1/calls");
    out.println("  curl -s -H \"Authorization: Bearer $KEY\" " + publicUrl + "/api/v1/ivr/flows");
    out.println("  curl -s -H \"Authorization: Bearer $KEY\" " + publicUrl + "/api/v1/records/summary");
    out.println("  curl -s -X POST -H \"Authorization: Bearer $KEY\" -H 'Content-Type: application/json' -d '{\"organizerId\": \""
        + MeetingScenario.ORGANIZER + "\", \"subject\": \"Demo\"}' " + publicUrl + "/api/v1/meetings");
    out.println("Make a call sound bad before it ends (its record is then classified poor):");
    out.println("  curl -sk -X POST $EMU/emulator/calls/$CALL/network -H 'Content-Type: application/json' "
        + "-d '{\"packetLossRate\": 0.2, \"jitterMs\": 50}'");
    out.println("  curl -s -H 'Authorization: Bearer " + token + "' http://127.0.0.1:" + adminPort + "/admin/bundles");
    out.println("  java -jar launcher/target/switchboard.jar bundles list --admin-url http://127.0.0.1:" + adminPort
        + " --token " + token);
    out.flush();
  }

  private static void awaitShutdown(SwitchboardServer server, Vertx vertx, GraphEmulator emulator,
      Vertx emulatorVertx) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        closeQuietly(server.close());
        closeQuietly(emulator.close());
        closeQuietly(vertx.close());
        closeQuietly(emulatorVertx.close());
      } finally {
        stopped.countDown();
      }
    }, "switchboard-sandbox-shutdown"));
    stopped.await();
  }

  private static boolean hasJars(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return false;
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.anyMatch(f -> f.toString().endsWith(".jar"));
    }
  }

  private static void copyJars(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.list(from)) {
      for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).toList()) {
        Files.copy(jar, to.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static <T> T await(Future<T> future, int seconds) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static void closeQuietly(Future<?> closing) {
    try {
      closing.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Shutting down anyway.
    }
  }
}
