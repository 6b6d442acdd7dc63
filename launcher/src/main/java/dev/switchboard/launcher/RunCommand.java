package dev.switchboard.launcher;

import dev.switchboard.platform.SwitchboardServer;
import dev.switchboard.platform.config.ConfigException;
import dev.switchboard.platform.config.ConfigLoader;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.framework.FelixHost;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code switchboard run}: the standalone server, until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Runs the server: the public port, the admin API and every bundle in the deploy folder.")
final class RunCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE",
      description = "Configuration file (default: conf/switchboard.yaml of the installation).")
  Path config;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    var tooSmallHeap = HeapFloor.check(Runtime.getRuntime().maxMemory());
    if (tooSmallHeap.isPresent()) {
      err.println(tooSmallHeap.get());
      err.flush();
      return 2;
    }
    FelixHost.prefetchSystemPackages();
    StartupPreload.start();
    Path home = Home.locate();
    SwitchboardConfig loaded;
    try {
      loaded = ConfigLoader.load(Home.configFile(home, config), System.getenv(), home);
    } catch (ConfigException e) {
      err.println("switchboard: bad configuration: " + e.getMessage());
      err.flush();
      return 2;
    }
    Vertx vertx;
    try {
      vertx = await(SwitchboardServer.createVertx(loaded), 120);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("switchboard: could not join the cluster: " + cause.getMessage() + " (check cluster.host, "
          + "cluster.port and cluster.busPort are free on this machine)");
      err.flush();
      return 1;
    }
    SwitchboardServer server;
    try {
      server = await(SwitchboardServer.start(vertx, loaded), 120);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof ConfigException bad) {
        // Found while starting, e.g. a TLS key that does not fit its certificate.
        err.println("switchboard: bad configuration: " + bad.getMessage());
        err.flush();
        await(vertx.close(), 10);
        return 2;
      }
      err.println("switchboard: could not start: " + cause.getMessage()
          + (cause instanceof java.net.BindException ? " (is another server using http.port or admin.port?)" : ""));
      err.flush();
      await(vertx.close(), 10);
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        await(server.close(), 30);
        await(vertx.close(), 10);
      } catch (Exception e) {
        // Exiting anyway.
      } finally {
        stopped.countDown();
      }
    }, "switchboard-shutdown"));
    server.expelled().onSuccess(v -> {
      // Halted, not closed: the others have removed it and taken its calls, there is nothing to hand over, and its
      // event loops may still be busy with what piled up while it was cut off.
      err.println("switchboard: this member was cut off from its cluster and the others took its calls; it stops "
          + "(exit code 3) and joins as a new member when started again");
      err.flush();
      Runtime.getRuntime().halt(3);
    });
    stopped.await();
    return 0;
  }

  private static <T> T await(Future<T> future, int seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }
}
