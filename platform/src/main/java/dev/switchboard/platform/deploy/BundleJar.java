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
      try (JarFile jar = new JarFile(path.toFile())) {
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

  private static SwitchboardException invalid(String id, String message) {
    return new SwitchboardException(ErrorCode.BAD_REQUEST, id, message);
  }
}
