package dev.switchboard.platform.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes that land whole or not at all, and the leftovers of writes a crash interrupted. */
class AtomicFilesTest {

  @TempDir
  Path dir;

  @Test
  void aWriteReplacesTheTargetAndLeavesNoPart() throws Exception {
    Path target = dir.resolve("keys.json");
    AtomicFiles.write(target, "one".getBytes());
    AtomicFiles.write(target, "two".getBytes());
    assertEquals("two", Files.readString(target));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "only the target is left");
    }
  }

  @Test
  void leftoverPartsAreRemovedAndNothingElse() throws Exception {
    Files.write(AtomicFiles.newPart(dir), "half a jar".getBytes());
    Files.write(AtomicFiles.newPart(dir), "another".getBytes());
    Path jar = Files.writeString(dir.resolve("calling.jar"), "a whole jar");
    Path dotted = Files.writeString(dir.resolve(".keep"), "not a part");
    assertEquals(2, AtomicFiles.removeLeftoverParts(dir));
    assertTrue(Files.exists(jar));
    assertTrue(Files.exists(dotted));
    assertEquals(0, AtomicFiles.removeLeftoverParts(dir));
    assertEquals(0, AtomicFiles.removeLeftoverParts(dir.resolve("absent")));
    assertFalse(Files.exists(dir.resolve("absent")));
  }
}
