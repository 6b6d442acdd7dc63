package dev.switchboard.platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Hand-made jars for the bad-input cases no reactor module should build. */
final class TestJars {

  private TestJars() {
  }

  /** A bundle whose only content is a manifest importing {@code missingPackage}. */
  static byte[] importing(String symbolicName, String missingPackage) throws IOException {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.putValue("Bundle-ManifestVersion", "2");
    main.putValue("Bundle-SymbolicName", symbolicName);
    main.putValue("Bundle-Version", "1.0.0");
    main.putValue("Import-Package", missingPackage + ";version=\"[1.0,2)\"");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
      jar.putNextEntry(new JarEntry("readme.txt"));
      jar.write("nothing here".getBytes());
      jar.closeEntry();
    }
    return out.toByteArray();
  }

  /** A valid jar that is not a bundle: no Bundle-SymbolicName. */
  static byte[] plainJar() throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
      jar.putNextEntry(new JarEntry("a.txt"));
      jar.closeEntry();
    }
    return out.toByteArray();
  }
}
