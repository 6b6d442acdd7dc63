package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the jars a kit deploys: the bundle under test from a classes folder, first-party bundles by name. */
class BundleJarsTest {

  @TempDir
  Path dir;

  @Test
  void aClassesFolderWithAnOsgiManifestIsWrappedInAJarWithThatManifest() throws Exception {
    Path classes = Files.createDirectories(dir.resolve("classes/com/example"));
    Files.writeString(classes.resolve("Bot.class"), "not really a class");
    Files.createDirectories(dir.resolve("classes/META-INF"));
    Files.writeString(dir.resolve("classes/META-INF/MANIFEST.MF"), "Manifest-Version: 1.0\n"
        + "Bundle-SymbolicName: com.example.bot\nSwitchboard-Plugin: com.example.Bot;name=bot\n");
    Path work = Files.createDirectories(dir.resolve("work"));

    Path jar = BundleJars.underTest(dir.resolve("classes"), work);

    try (JarFile wrapped = new JarFile(jar.toFile())) {
      assertEquals("com.example.bot", wrapped.getManifest().getMainAttributes().getValue("Bundle-SymbolicName"));
      assertEquals("com.example.Bot;name=bot", wrapped.getManifest().getMainAttributes()
          .getValue("Switchboard-Plugin"));
      List<String> names = new ArrayList<>();
      wrapped.stream().map(JarEntry::getName).forEach(names::add);
      assertTrue(names.contains("com/example/Bot.class"), names.toString());
      assertEquals(1, names.stream().filter(n -> n.equals("META-INF/MANIFEST.MF")).count(), names.toString());
    }
  }

  @Test
  void aNamedFolderWithoutAManifestIsRefusedWithWhatToDo() throws Exception {
    Files.createDirectories(dir.resolve("plain"));
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> BundleJars.underTest(dir.resolve("plain"), dir));
    assertTrue(refused.getMessage().contains("mvn process-classes"), refused.getMessage());
    IllegalStateException missing = assertThrows(IllegalStateException.class,
        () -> BundleJars.underTest(dir.resolve("nothing-here.jar"), dir));
    assertTrue(missing.getMessage().contains("build it first"), missing.getMessage());
  }

  @Test
  void aFirstPartyBundleComesFromTheKitsArtifactAndAnUnknownNameIsRefusedWithTheNames() throws Exception {
    Path calling = BundleJars.firstParty("calling", dir);
    try (JarFile jar = new JarFile(calling.toFile())) {
      assertEquals("dev.switchboard.calling", jar.getManifest().getMainAttributes().getValue("Bundle-SymbolicName"));
    }
    IllegalStateException unknown = assertThrows(IllegalStateException.class,
        () -> BundleJars.firstParty("nosuch", dir));
    assertTrue(unknown.getMessage().contains("No first-party bundle named 'nosuch'"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("calling, media, presence, records, meetings, ivr"), unknown.getMessage());
  }
}
