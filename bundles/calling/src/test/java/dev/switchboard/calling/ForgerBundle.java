package dev.switchboard.calling;

import dev.switchboard.calling.forger.ForgingPlugin;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** The bundle of {@link ForgingPlugin}, made from the test classes; it imports what the calling bundle imports. */
final class ForgerBundle {

  private ForgerBundle() {
  }

  static Buffer jar() throws Exception {
    String imports;
    try (JarFile calling = new JarFile(CallingHarness.jar().toFile())) {
      imports = calling.getManifest().getMainAttributes().getValue("Import-Package");
    }
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.putValue("Bundle-ManifestVersion", "2");
    main.putValue("Bundle-SymbolicName", "dev.switchboard.test.forger");
    main.putValue("Bundle-Version", "1.0.0");
    main.putValue("Import-Package", imports);
    main.putValue("Switchboard-Plugin", ForgingPlugin.class.getName() + ";name=forger");
    String entry = ForgingPlugin.class.getName().replace('.', '/') + ".class";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(out, manifest);
        InputStream classFile = ForgingPlugin.class.getClassLoader().getResourceAsStream(entry)) {
      jar.putNextEntry(new JarEntry(entry));
      classFile.transferTo(jar);
      jar.closeEntry();
    }
    return Buffer.buffer(out.toByteArray());
  }
}
