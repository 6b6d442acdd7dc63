package dev.switchboard.platform.deploy;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;
import org.osgi.framework.Version;

/**
 * An uploaded jar checked to be an OSGi bundle: a zip with a manifest naming the bundle. Says precisely
 * what is wrong otherwise.
 *
 * @param path where the jar is
 * @param symbolicName its {@code Bundle-SymbolicName} (without directives)
 * @param version its {@code Bundle-Version}
 */
record BundleJar(Path path, String symbolicName, Version version) {

  private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
  /** OSGi's symbolic-name grammar: dot-separated tokens of letters, digits, '_' and '-'; also a safe file name. */
  private static final java.util.regex.Pattern SYMBOLIC_NAME = java.util.regex.Pattern.compile(
      "[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
  /** Bounds on what the jar says it holds once inflated: a zip bomb is refused before anything reads it. */
  static final long MAX_INFLATED_BYTES = 512L * 1024 * 1024;
  static final int MAX_ENTRIES = 65_536;
  static final long MAX_MANIFEST_BYTES = 1024 * 1024;

  /**
   * Reads and checks {@code path}.
   *
   * @throws SwitchboardException {@link ErrorCode#BAD_REQUEST} when it is not a bundle jar
   */
  static BundleJar read(Path path) {
    try {
      if (Files.size(path) == 0) {
        throw invalid("emptyBody", "The request body is empty; send the bundle jar as the body");
      }
      byte[] head = new byte[4];
      try (InputStream in = Files.newInputStream(path)) {
        if (in.readNBytes(head, 0, 4) < 4 || !java.util.Arrays.equals(head, ZIP_MAGIC)) {
          throw invalid("notAJar", "The request body is not a jar (zip) file; send the bundle jar itself, "
              + "e.g. curl --data-binary @target/my-bundle.jar");
        }
      }
      Manifest manifest;
      try (JarFile jar = new JarFile(path.toFile(), false)) {
        checkEntries(jar);
        manifest = jar.getManifest();
      }
      if (manifest == null) {
        throw invalid("notABundle", "The jar has no META-INF/MANIFEST.MF; build it as a bundle with bnd");
      }
      Attributes main = manifest.getMainAttributes();
      String bsn = main.getValue("Bundle-SymbolicName");
      if (bsn == null || bsn.isBlank()) {
        throw invalid("notABundle", "The jar's manifest has no Bundle-SymbolicName, so it is not an OSGi bundle; "
            + "build it with bnd (bnd-maven-plugin)");
      }
      int semi = bsn.indexOf(';');
      String name = (semi < 0 ? bsn : bsn.substring(0, semi)).trim();
      if (!SYMBOLIC_NAME.matcher(name).matches()) {
        throw invalid("invalidManifest", "The jar's Bundle-SymbolicName '" + printable(name) + "' is not an OSGi "
            + "symbolic name (dot-separated letters, digits, '_' and '-')");
      }
      Version version;
      try {
        version = Version.parseVersion(main.getValue("Bundle-Version"));
      } catch (IllegalArgumentException e) {
        throw invalid("invalidManifest", "The jar's Bundle-Version '" + main.getValue("Bundle-Version")
            + "' is not an OSGi version (major.minor.micro.qualifier)");
      }
      return new BundleJar(path, name, version);
    } catch (ZipException e) {
      throw invalid("notAJar", "The request body is not a readable jar: " + e.getMessage());
    } catch (IOException e) {
      throw new SwitchboardException(ErrorCode.INTERNAL, "storageError", "Cannot read the uploaded jar: " + e, e);
    }
  }

  /**
   * Refuses entries that would land outside a folder they were extracted to ({@code ../}, absolute, drive or
   * backslash paths: Felix extracts embedded jars) and jars that inflate beyond the bounds (a zip bomb), from the
   * central directory alone, before any entry is read.
   */
  private static void checkEntries(JarFile jar) {
    long inflated = 0;
    int count = 0;
    for (var entries = jar.entries(); entries.hasMoreElements(); ) {
      var entry = entries.nextElement();
      String name = entry.getName();
      if (++count > MAX_ENTRIES) {
        throw tooLarge("The jar has more than " + MAX_ENTRIES + " entries");
      }
      if (name.startsWith("/") || name.contains("\\") || name.contains(":") || name.indexOf('\0') >= 0
          || java.util.Arrays.asList(name.split("/")).contains("..")) {
        throw invalid("unsafeEntry", "The jar has an entry named '" + printable(name) + "', which points outside "
            + "the jar's own folder; rebuild it without absolute or '..' paths");
      }
      long size = entry.getSize();
      if (size < 0 || size > MAX_INFLATED_BYTES - inflated) {
        throw tooLarge("The jar inflates to more than " + MAX_INFLATED_BYTES / (1024 * 1024) + " MiB");
      }
      inflated += size;
      if (name.equalsIgnoreCase(JarFile.MANIFEST_NAME) && size > MAX_MANIFEST_BYTES) {
        throw tooLarge("The jar's manifest is larger than " + MAX_MANIFEST_BYTES / 1024 + " KiB");
      }
    }
  }

  private static String printable(String text) {
    String cut = text.length() > 200 ? text.substring(0, 200) + "..." : text;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  private static SwitchboardException tooLarge(String why) {
    return new SwitchboardException(ErrorCode.PAYLOAD_TOO_LARGE, "jarTooLarge", why
        + "; a bundle this large is refused as a likely zip bomb");
  }

  private static SwitchboardException invalid(String id, String message) {
    return new SwitchboardException(ErrorCode.BAD_REQUEST, id, message);
  }
}
