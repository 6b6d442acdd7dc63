package dev.switchboard.platform.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
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
    Path part = newPart(target.toAbsolutePath().getParent());
    Files.copy(source, part, StandardCopyOption.REPLACE_EXISTING);
    moveOver(part, target);
  }

  /** Replaces {@code target} with {@code content}. */
  public static void write(Path target, byte[] content) throws IOException {
    Path part = newPart(target.toAbsolutePath().getParent());
    Files.write(part, content);
    moveOver(part, target);
  }

  /**
   * Replaces {@code target} with {@code content} readable and writable by the owner only (secrets): the file is
   * created with those permissions before anything is written to it. Where the file system has no POSIX
   * permissions (Windows), the folder's own access control applies.
   */
  public static void writeOwnerOnly(Path target, byte[] content) throws IOException {
    Path part = newPart(target.toAbsolutePath().getParent());
    if (part.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(part, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.write(part, content);
    moveOver(part, target);
  }

  /**
   * A new hidden name in {@code dir} (created if needed) to write content under before it is known where it
   * goes; {@link #moveOver} then puts it in place. Nothing is created at that name. The caller deletes it if it
   * never moves it.
   */
  public static Path newPart(Path dir) throws IOException {
    Files.createDirectories(dir);
    return dir.resolve("." + UUID.randomUUID() + ".part");
  }

  /**
   * Deletes the hidden parts left in {@code dir} by writes that never finished (a crash between {@link #newPart}
   * and {@link #moveOver}). Call only when nothing else writes there. A missing folder has none.
   *
   * @return how many were deleted
   */
  public static int removeLeftoverParts(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, ".*.part")) {
      for (Path part : parts) {
        if (Files.isRegularFile(part) && Files.deleteIfExists(part)) {
          removed++;
        }
      }
    }
    return removed;
  }

  /** Moves {@code part}, written in full, over {@code target} in one step; both must be in the same folder. */
  public static void moveOver(Path part, Path target) throws IOException {
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
