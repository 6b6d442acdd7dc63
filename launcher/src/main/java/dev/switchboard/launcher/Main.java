package dev.switchboard.launcher;

import dev.switchboard.emulator.EmulatorCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code switchboard} command. */
@Command(name = "switchboard",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Switchboard: a hot-deployable platform for communications bots on Microsoft Graph.",
    subcommands = {RunCommand.class, SandboxCommand.class, BundlesCommand.class, KeysCommand.class, AuditCommand.class,
        ClusterCommand.class,
        EmulatorCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code: 0 success, 1 failure, 2 bad usage or configuration. */
  public static int execute(String... args) {
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      // Netty's buffer allocator emits JFR events when JFR is available; registering their event classes took
      // 0.15-0.2 s at a server's first request (bench/README.md, "Start-up"). -Dio.netty.jfr.enabled=true restores them.
      System.setProperty("io.netty.jfr.enabled", "false");
    }
    if (args.length > 0 && java.util.Set.of("bundles", "keys", "audit").contains(args[0])
        && System.getProperty("switchboard.log.level") == null) {
      // A client command: only problems belong on the terminal, not the libraries' start-up chatter.
      System.setProperty("switchboard.log.level", "WARN");
    }
    return new CommandLine(new Main()).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version from the launcher jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"switchboard " + (version == null ? "(development build)" : version)};
    }
  }
}
