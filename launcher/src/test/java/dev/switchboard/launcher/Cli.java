package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the built {@code switchboard.jar} as a separate process, as a person would. */
final class Cli {

  /** A finished command: exit code and what it printed. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private Cli() {
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("switchboard.jar", "target/switchboard.jar"));
    if (!Files.exists(jar)) {
      fail(jar + " is missing; run 'mvn verify' from the repository root");
    }
    return jar;
  }

  static Path testBundle(String artifactId) {
    return Path.of(System.getProperty("test.bundles.dir", "target/test-bundles"), artifactId + ".jar");
  }

  /**
   * The distribution's {@code deploy/<name>.jar} under another {@code Bundle-Version}, written to {@code dir}: a
   * "newer" build of a first-party bundle to update to.
   */
  static Path distributionBundle(String name, String version, Path dir) throws IOException {
    Path jar = Path.of(System.getProperty("switchboard.dist", "target/switchboard"), "deploy", name + ".jar");
    Path out = dir.resolve(name + "-" + version + ".jar");
    try (java.util.jar.JarInputStream in = new java.util.jar.JarInputStream(Files.newInputStream(jar))) {
      java.util.jar.Manifest manifest = new java.util.jar.Manifest(in.getManifest());
      manifest.getMainAttributes().putValue("Bundle-Version", version);
      try (java.util.jar.JarOutputStream copy = new java.util.jar.JarOutputStream(Files.newOutputStream(out), manifest)) {
        for (java.util.jar.JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
          copy.putNextEntry(new java.util.jar.JarEntry(e.getName()));
          in.transferTo(copy);
          copy.closeEntry();
        }
      }
    }
    return out;
  }

  static ProcessBuilder command(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(javaBin(), "-jar", jar().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("SWITCHBOARD_"));
    builder.environment().putAll(env);
    return builder;
  }

  /** Runs a command to completion (at most 60 s). */
  static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile("cli", ".out");
    Path err = Files.createTempFile("cli", ".err");
    Process process = command(env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("switchboard " + String.join(" ", args) + " did not finish within 60 s");
    }
    Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    Files.delete(out);
    Files.delete(err);
    return result;
  }

  /** A server started with {@code switchboard run}; stopped (SIGTERM) on close. */
  static final class Server implements AutoCloseable {
    private static final java.util.regex.Pattern READY = java.util.regex.Pattern.compile(
        "Switchboard ready .*public https?://[^:]+:(\\d+), admin https?://[^:]+:(\\d+)");

    final Process process;
    final Path log;
    /** The ports the server reports in its ready line (it may have been given 0: any free port). */
    int httpPort;
    int adminPort;

    Server(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    static Server start(Map<String, String> env, String... args) throws Exception {
      return launch(env, args).awaitReady();
    }

    /** Starts {@code switchboard run} without waiting for it to be ready. */
    static Server launch(Map<String, String> env, String... args) throws Exception {
      Path log = Files.createTempFile("server", ".log");
      List<String> all = new ArrayList<>(List.of("run"));
      all.addAll(List.of(args));
      Process process = command(env, all.toArray(String[]::new)).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      return new Server(process, log);
    }

    /** Waits (up to 60 s) for the ready line, and reads the ports from it. */
    Server awaitReady() throws Exception {
      Server server = this;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        String text = Files.readString(log);
        java.util.regex.Matcher ready = READY.matcher(text);
        if (ready.find()) {
          server.httpPort = Integer.parseInt(ready.group(1));
          server.adminPort = Integer.parseInt(ready.group(2));
          return server;
        }
        if (!server.process.isAlive()) {
          fail("the server exited with " + server.process.exitValue() + ":\n" + text);
        }
        Thread.sleep(50);
      }
      server.close();
      fail("the server did not become ready within 60 s:\n" + Files.readString(log));
      return null;
    }

    String log() throws IOException {
      return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /**
   * A port no listener holds now, for a process started later. It is taken below the system's ephemeral range: a port
   * the OS handed out (ServerSocket(0)) is also what it hands to the next outgoing connection or {@code port: 0}
   * listener, and a cluster test makes many of those between picking a member's port and starting the member.
   * Never the same port twice in this JVM.
   */
  static synchronized int freePort() throws IOException {
    int below = ephemeralRangeStart();
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; below > 12_000 && attempt < 200; attempt++) {
      int port = random.nextInt(10_000, below);
      if (!HANDED_OUT.contains(port) && bindable(port)) {
        HANDED_OUT.add(port);
        return port;
      }
    }
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The first port of the OS's ephemeral range (Linux; 32768 when it cannot be read). */
  private static int ephemeralRangeStart() {
    try {
      return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim()
          .split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
