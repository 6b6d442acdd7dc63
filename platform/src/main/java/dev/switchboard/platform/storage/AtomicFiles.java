package dev.switchboard.platform.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Files that appear whole or not at all: the content is written beside the target under a hidden name
 * ({@code .<random>.part}, which the deploy folder's watcher ignores) and moved over it in one step. Blocking.
 */
public final class AtomicFiles {

  private AtomicFiles() {
  }

  /** Replaces {@code target} with a copy of {@code source}. */
  public static void copy(Path source, Path target) throws IOException {
    Path part = partFor(target);
    Files.copy(source, part, StandardCopyOption.REPLACE_EXISTING);
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Replaces {@code target} with {@code content}. */
  public static void write(Path target, byte[] content) throws IOException {
    Path part = partFor(target);
    Files.write(part, content);
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static Path partFor(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    return dir.resolve("." + UUID.randomUUID() + ".part");
  }
}
