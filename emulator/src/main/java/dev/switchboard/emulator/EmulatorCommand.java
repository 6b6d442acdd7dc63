package dev.switchboard.emulator;

import dev.switchboard.emulator.permissions.GraphPermission;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard emulator}: runs the Graph emulator alone until Ctrl-C, after printing its base
 * URL, the registered application's credentials and the {@code graph:} configuration to paste into
 * {@code conf/switchboard.yaml}. The launcher registers it as a subcommand; {@link #main} runs it
 * directly.
 */
@Command(name = "emulator", mixinStandardHelpOptions = true,
    description = "Run a local emulator of the Microsoft Graph communications API and its token endpoint.")
public final class EmulatorCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--port", paramLabel = "N", description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int port = EmulatorOptions.DEFAULT_CLI_PORT;

  @Option(names = "--host", paramLabel = "ADDR", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host = EmulatorOptions.DEFAULT_HOST;

  @Option(names = "--clock-speed", paramLabel = "X",
      description = "Emulated time runs X times faster: answer window, prompts, keepAlive, timeouts (default: ${DEFAULT-VALUE}).")
  double clockSpeed = EmulatorOptions.DEFAULT_CLOCK_SPEED;

  @Option(names = "--call-record-delay", paramLabel = "S",
      description = "Emulated seconds between the end of a call and its callRecord (default: 30).")
  double callRecordDelaySeconds = EmulatorOptions.DEFAULT_CALL_RECORD_DELAY.toSeconds();

  @Option(names = "--tenant", paramLabel = "T", description = "Tenant id (default: ${DEFAULT-VALUE}).")
  String tenant = EmulatorOptions.DEFAULT_TENANT;

  @Option(names = "--client-id", paramLabel = "C", description = "The bot application's client id (default: ${DEFAULT-VALUE}).")
  String clientId = EmulatorOptions.DEFAULT_CLIENT_ID;

  @Option(names = "--client-secret", paramLabel = "S", description = "The bot application's client secret (default: ${DEFAULT-VALUE}).")
  String clientSecret = EmulatorOptions.DEFAULT_CLIENT_SECRET;

  @Option(names = "--bot-callback", paramLabel = "URL",
      description = "The bot's calling webhook, where incoming-call notifications are posted.")
  String botCallback;

  @Option(names = "--roles", paramLabel = "PERMISSIONS", split = ",",
      description = "Application permissions granted to the bot, comma separated, e.g. Calls.Initiate.All,Calls.AccessMedia.All"
          + " ('' for none; default: all of ${COMPLETION-CANDIDATES}).",
      completionCandidates = RoleNames.class)
  List<String> roles;

  @Option(names = "--plain-http", description = "Serve plain HTTP instead of HTTPS with a self-signed certificate.")
  boolean plainHttp;

  /** Runs {@code emulator} as a program of its own. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new EmulatorCommand()).execute(args));
  }

  /** The options the command line describes. */
  EmulatorOptions options() {
    EmulatorOptions options = new EmulatorOptions().setPort(port).setHost(host).setClockSpeed(clockSpeed)
        .setCallRecordDelay(java.time.Duration.ofMillis(Math.round(callRecordDelaySeconds * 1000))).setTenant(tenant)
        .setClientId(clientId).setClientSecret(clientSecret).setBotCallback(botCallback).setTls(!plainHttp);
    return roles == null ? options : options.setRoles(roles.stream().filter(r -> !r.isBlank()).toList());
  }

  /** The permission names, for the help text. */
  static final class RoleNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return GraphPermission.all().stream().map(GraphPermission::scope).iterator();
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    EmulatorOptions options;
    try {
      options = options();
    } catch (IllegalArgumentException e) {
      err.println("emulator: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    GraphEmulator emulator;
    try {
      emulator = GraphEmulator.start(vertx, options).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("emulator: could not start on " + options.getHost() + ":" + options.getPort() + ": " + cause.getMessage());
      vertx.close();
      return 1;
    }
    out.print(describe(emulator.graphConfig(), emulator.baseUrl(), options));
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // one step at a time from this thread: a continuation chained on the emulator's future would
      // be dispatched to its event loop, which vertx.close() terminates
      try {
        emulator.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        err.println("emulator: unclean stop: " + e);
      } finally {
        stopped.countDown();
      }
    }, "emulator-shutdown"));
    stopped.await();
    return 0;
  }

  /** The start-up text: base URL, credentials and the graph configuration as YAML. */
  static String describe(JsonObject graph, String baseUrl, EmulatorOptions options) {
    StringBuilder b = new StringBuilder();
    b.append("Switchboard Graph emulator listening on ").append(baseUrl).append('\n');
    b.append("  clock speed:   ").append(options.getClockSpeed()).append('\n');
    b.append("  tenant:        ").append(graph.getString("tenantId")).append('\n');
    b.append("  client id:     ").append(graph.getString("clientId")).append('\n');
    b.append("  client secret: ").append(graph.getString("clientSecret")).append('\n');
    b.append("  roles:         ").append(options.getRoles().isEmpty() ? "(none)" : String.join(", ", options.getRoles()))
        .append('\n');
    b.append("  bot callback:  ").append(options.getBotCallback() == null
        ? "(none: pass --bot-callback URL to receive incoming calls)" : options.getBotCallback()).append('\n');
    b.append("  control API:   ").append(baseUrl).append("/emulator/ (see docs/emulator.md)\n\n");
    b.append("Paste into conf/switchboard.yaml:\n");
    b.append("graph:\n");
    for (String key : new String[] {"baseUrl", "authority", "tenantId", "clientId", "clientSecret", "openIdConfigUrl",
        "validationTokenOpenIdConfigUrl"}) {
      b.append("  ").append(key).append(": \"").append(graph.getString(key)).append("\"\n");
    }
    b.append("  callbackIssuers:\n");
    graph.getJsonArray("callbackIssuers").forEach(i -> b.append("    - \"").append(i).append("\"\n"));
    String pem = graph.getString("tlsCertificatePem");
    if (pem != null) {
      b.append("  tlsCertificatePem: |\n");
      pem.lines().forEach(l -> b.append("    ").append(l).append('\n'));
    }
    b.append("\nPress Ctrl-C to stop.\n");
    return b.toString();
  }
}
