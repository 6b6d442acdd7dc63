package dev.switchboard.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Finds the jars a kit installs: first-party bundles by name, and the bundle under test.
 *
 * <p>A first-party bundle {@code name} is, in this order: {@code <name>.jar} in the folder named by the system
 * property {@value #BUNDLES_DIR} (or {@code test.bundles.dir}, which the project's own modules set), or the
 * resource {@code META-INF/switchboard/bundles/<name>.jar} that the {@code switchboard-testkit} artifact carries.
 *
 * <p>The bundle under test is the jar or classes folder named by the system property {@value #BUNDLE_UNDER_TEST},
 * or else {@code target/classes} when bnd wrote an OSGi manifest there (Maven's {@code process-classes} phase,
 * before the tests run): its classes are wrapped in a jar with that manifest.
 */
final class BundleJars {

  /** A folder of first-party bundle jars named {@code <name>.jar}. */
  static final String BUNDLES_DIR = "switchboard.testkit.bundles.dir";
  /** The bundle under test: a jar, or a classes folder with an OSGi manifest. */
  static final String BUNDLE_UNDER_TEST = "switchboard.testkit.bundle";
  /** Where the switchboard-testkit artifact carries the first-party bundles. */
  static final String RESOURCE_DIR = "META-INF/switchboard/bundles/";

  private BundleJars() {
  }

  /** The jar of first-party bundle {@code name}, copied into {@code work} when it comes from the class path. */
  static Path firstParty(String name, Path work) throws IOException {
    for (String property : List.of(BUNDLES_DIR, "test.bundles.dir")) {
      String dir = System.getProperty(property);
      if (dir != null && Files.isRegularFile(Path.of(dir, name + ".jar"))) {
        return Path.of(dir, name + ".jar");
      }
    }
    try (InputStream in = BundleJars.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name + ".jar")) {
      if (in != null) {
        Path copy = work.resolve(name + ".jar");
        Files.copy(in, copy);
        return copy;
      }
    }
    throw new IllegalStateException("No first-party bundle named '" + name + "' (bundles: calling, media, presence, "
        + "records, meetings, ivr): add the test dependency dev.switchboard:switchboard-testkit, which carries them, "
        + "or put " + name + ".jar in the folder named by -D" + BUNDLES_DIR);
  }

  /**
   * The bundle under test: {@code explicit} if given, else the {@value #BUNDLE_UNDER_TEST} property, else
   * {@code target/classes} when it has an OSGi manifest; {@code null} when there is none. A classes folder is wrapped
   * in a jar in {@code work}.
   */
  static Path underTest(Path explicit, Path work) throws IOException {
    Path given = explicit != null ? explicit
        : System.getProperty(BUNDLE_UNDER_TEST) != null ? Path.of(System.getProperty(BUNDLE_UNDER_TEST)) : null;
    if (given != null && Files.isRegularFile(given)) {
      return given;
    }
    Path classes = given != null ? given : Path.of("target", "classes");
    if (!Files.isDirectory(classes)) {
      if (given != null) {
        throw new IllegalStateException("The bundle under test " + given + " is neither a jar nor a folder: build it "
            + "first (mvn package), or name another with -D" + BUNDLE_UNDER_TEST);
      }
      return null;
    }
    Path manifestFile = classes.resolve("META-INF/MANIFEST.MF");
    if (!Files.isRegularFile(manifestFile)) {
      if (given != null) {
        throw new IllegalStateException(classes + " has no META-INF/MANIFEST.MF: run bnd-maven-plugin's bnd-process "
            + "goal (mvn process-classes) so that it has an OSGi manifest");
      }
      return null;
    }
    Manifest manifest;
    try (InputStream in = Files.newInputStream(manifestFile)) {
      manifest = new Manifest(in);
    }
    if (manifest.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
      return null;
    }
    return wrap(classes, manifest, work.resolve("bundle-under-test.jar"));
  }

  private static Path wrap(Path classes, Manifest manifest, Path jar) throws IOException {
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out, manifest);
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : (Iterable<Path>) files.sorted()::iterator) {
        String name = classes.relativize(file).toString().replace('\\', '/');
        if (name.isEmpty() || name.equals("META-INF/MANIFEST.MF") || name.equals("META-INF")) {
          continue;
        }
        if (Files.isDirectory(file)) {
          zip.putNextEntry(new JarEntry(name + "/"));
        } else {
          zip.putNextEntry(new JarEntry(name));
          Files.copy(file, zip);
        }
        zip.closeEntry();
      }
    }
    return jar;
  }
}
