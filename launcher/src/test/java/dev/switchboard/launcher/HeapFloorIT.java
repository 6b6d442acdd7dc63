package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/switchboard run} with a heap below the documented minimum refuses to start with one line. */
class HeapFloorIT {

  @TempDir
  Path dir;

  @Test
  void tooSmallHeapIsRefusedWithOneLine() throws Exception {
    Path dist = Path.of(System.getProperty("switchboard.dist", "target/switchboard")).toAbsolutePath();
    ProcessBuilder builder = new ProcessBuilder("sh", dist.resolve("bin/switchboard").toString(), "run");
    builder.environment().keySet().removeIf(k -> k.startsWith("SWITCHBOARD_"));
    builder.environment().put("SWITCHBOARD_OPTS", "-Xmx32m");
    builder.environment().put("SWITCHBOARD_HTTP_PORT", "0");
    builder.environment().put("SWITCHBOARD_ADMIN_PORT", "0");
    builder.environment().put("SWITCHBOARD_DATA_DIR", dir.resolve("data").toString());
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("switchboard run -Xmx32m was expected to refuse to start, but it is still running");
    }
    String errors = Files.readString(err);
    String result = "exit " + process.exitValue() + "\n--- stdout\n" + Files.readString(out) + "--- stderr\n" + errors;
    assertEquals(2, process.exitValue(), result);
    assertEquals(1, errors.lines().count(), "exactly one line: " + result);
    assertTrue(errors.contains("needs at least 64 MiB: raise -Xmx"), result);
    assertTrue(Files.notExists(dir.resolve("data/state")), "nothing started: " + result);
  }
}
