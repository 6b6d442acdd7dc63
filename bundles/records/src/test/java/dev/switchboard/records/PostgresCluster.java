package dev.switchboard.records;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests: a new cluster in a temp folder ({@code initdb}), started with
 * {@code pg_ctl} on a free loopback port with trust authentication, stopped and deleted by {@link #close()}. Uses the
 * binaries on {@code PATH} or under {@code /usr/lib/postgresql/<version>/bin}. PostgreSQL refuses to run as root:
 * when the tests run as root, the binaries run as the {@code postgres} OS user (through {@code runuser}), which owns
 * the folder.
 */
final class PostgresCluster implements AutoCloseable {

  private static final Path BIN = findBin();

  private final Path dir;
  private final int port;

  private PostgresCluster(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /**
   * Whether PostgreSQL's binaries were found; a test that needs them is skipped (with {@link #MISSING}) when not, or
   * fails (with {@link #MISSING_ON_CI}) when the environment variable {@code CI} is {@code true}.
   */
  static boolean available() {
    return BIN != null;
  }

  static final String MISSING = "PostgreSQL binaries (initdb, pg_ctl) not found on PATH or under"
      + " /usr/lib/postgresql/*/bin: the PostgreSQL variant is skipped. Install the 'postgresql' package to run it.";

  static final String MISSING_ON_CI = "PostgreSQL binaries (initdb, pg_ctl) not found on PATH or under"
      + " /usr/lib/postgresql/*/bin, and CI=true: the records tests must run on PostgreSQL in CI. Install the"
      + " 'postgresql' package (apt-get install postgresql; .ci/run does it when run as root).";

  static PostgresCluster start() throws Exception {
    Path dir = Files.createTempDirectory("switchboard-pg-");
    if (root()) {
      UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(dir, postgres);
    }
    PostgresCluster cluster = new PostgresCluster(dir, freePort());
    cluster.run("initdb", "-D", dir.resolve("data").toString(), "-A", "trust", "-U", "postgres", "--no-sync",
        "-E", "UTF8");
    cluster.startServer();
    return cluster;
  }

  /** A JDBC URL of a new, empty database in this cluster. */
  String createDatabase(String name) throws Exception {
    try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return url(name);
  }

  String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** Starts the server (again); returns once it accepts connections. */
  void startServer() throws Exception {
    run("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "30",
        "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
  }

  /** Stops the server at once (connections are cut, as when a database goes down). */
  void stopServer() throws Exception {
    run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
  }

  private void run(String tool, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    if (root()) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(BIN.resolve(tool).toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve(tool + ".out").toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(tool + " failed: " + Files.readString(dir.resolve(tool + ".out")));
    }
  }

  @Override
  public void close() throws Exception {
    try {
      stopServer();
    } catch (Exception e) {
      // already stopped
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Path findBin() {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "initdb")) && Files.isExecutable(Path.of(entry, "pg_ctl"))) {
        return Path.of(entry);
      }
    }
    Path base = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(base)) {
      return null;
    }
    try (Stream<Path> versions = Files.list(base)) {
      return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.naturalOrder()).orElse(null);
    } catch (IOException e) {
      return null;
    }
  }
}
