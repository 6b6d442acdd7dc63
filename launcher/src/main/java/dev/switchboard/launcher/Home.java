package dev.switchboard.launcher;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the installation folder (the one holding {@code conf/}, {@code deploy/} and {@code data/}): the
 * {@code switchboard.home} system property (set by {@code bin/switchboard}); else, for
 * {@code java -jar launcher/target/switchboard.jar}, the {@code switchboard/} folder beside the jar; else the
 * parent of the {@code lib/} folder holding the jar; else the working directory.
 */
final class Home {

  private Home() {
  }

  static Path locate() {
    String property = System.getProperty("switchboard.home");
    if (property != null && !property.isBlank()) {
      return Path.of(property).toAbsolutePath().normalize();
    }
    try {
      Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(jar)) {
        Path beside = jar.resolveSibling("switchboard");
        if (Files.isDirectory(beside.resolve("conf"))) {
          return beside;
        }
        Path parent = jar.getParent();
        if (parent != null && parent.getFileName().toString().equals("lib") && parent.getParent() != null) {
          return parent.getParent();
        }
      }
    } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
      // Fall through to the working directory.
    }
    return Path.of("").toAbsolutePath();
  }

  /** The configuration file: {@code explicit} when given, else {@code conf/switchboard.yaml} if present. */
  static Path configFile(Path home, Path explicit) {
    if (explicit != null) {
      return explicit.toAbsolutePath();
    }
    Path file = home.resolve("conf").resolve("switchboard.yaml");
    return Files.exists(file) ? file : null;
  }
}
