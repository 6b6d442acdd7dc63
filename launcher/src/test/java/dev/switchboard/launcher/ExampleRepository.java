package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A temporary local Maven repository in which this build's published artifacts (the parent POM, api, platform,
 * emulator and the test kit) are "installed", so that the third-party example builds offline against them as a
 * third party would, and nothing is installed into the shared {@code ~/.m2}. Every other artifact (Vert.x, plugins)
 * is a link into the shared repository, which is only read.
 */
final class ExampleRepository {

  private static final String VERSION = "0.1.0-SNAPSHOT";
  /** artifactId → module folder, of what a bundle built against api and the kit needs. */
  private static final Map<String, String> PUBLISHED = Map.of("switchboard-api", "api",
      "switchboard-platform", "platform", "switchboard-emulator", "emulator",
      "switchboard-testkit-core", "testkit/core", "switchboard-testkit", "testkit");

  private ExampleRepository() {
  }

  /** The checkout (the launcher module's parent). */
  static Path root() {
    return Path.of(System.getProperty("switchboard.dist", "target/switchboard")).toAbsolutePath()
        .getParent().getParent().getParent();
  }

  /** Creates the repository in {@code dir}; its path. */
  static Path create(Path dir) throws IOException {
    Path shared = Path.of(System.getProperty("user.home"), ".m2", "repository");
    Path repo = Files.createDirectories(dir.resolve("repository"));
    link(shared, repo, List.of("dev"));
    Path dev = Files.createDirectories(repo.resolve("dev"));
    if (Files.isDirectory(shared.resolve("dev"))) {
      link(shared.resolve("dev"), dev, List.of("switchboard"));
    }
    Path root = root();
    Path group = Files.createDirectories(dev.resolve("switchboard"));
    publish(group, "switchboard-parent", root.resolve("pom.xml"), null);
    for (Map.Entry<String, String> artifact : PUBLISHED.entrySet()) {
      Path module = root.resolve(artifact.getValue());
      Path jar = module.resolve("target").resolve(artifact.getKey() + "-" + VERSION + ".jar");
      assertTrue(Files.isRegularFile(jar), jar + " is built (mvn package from the checkout)");
      publish(group, artifact.getKey(), module.resolve("pom.xml"), jar);
    }
    return repo;
  }

  /** Links every entry of {@code from} but {@code except} into {@code to}. */
  private static void link(Path from, Path to, List<String> except) throws IOException {
    try (Stream<Path> entries = Files.list(from)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        if (!except.contains(entry.getFileName().toString())) {
          Files.createSymbolicLink(to.resolve(entry.getFileName()), entry);
        }
      }
    }
  }

  private static void publish(Path group, String artifactId, Path pom, Path jar) throws IOException {
    Path dir = Files.createDirectories(group.resolve(artifactId).resolve(VERSION));
    Files.copy(pom, dir.resolve(artifactId + "-" + VERSION + ".pom"));
    if (jar != null) {
      Files.copy(jar, dir.resolve(artifactId + "-" + VERSION + ".jar"));
    }
  }

  /** Runs a command in {@code dir}; its output, failing the test unless it exits with {@code expectedExit}. */
  static String run(Path dir, int expectedExit, List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("example-run", ".log");
    try {
      Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(out.toFile()).start();
      if (!process.waitFor(300, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail(String.join(" ", command) + " did not finish within 300 s:\n" + Files.readString(out));
      }
      return checked(command, process.exitValue(), expectedExit, Files.readString(out));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static String checked(List<String> command, int exit, int expectedExit, String output) {
    assertEquals(expectedExit, exit, String.join(" ", command) + " exited with " + exit + ":\n" + output);
    return output;
  }

  /** {@code mvn -o -Dmaven.repo.local=<repo> args...} in {@code dir}. */
  static String mvn(Path dir, Path repo, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("mvn", "-o", "-Dmaven.repo.local=" + repo));
    command.addAll(List.of(args));
    return run(dir, 0, command);
  }
}
