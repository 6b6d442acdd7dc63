package dev.switchboard.platform.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import dev.switchboard.platform.storage.AtomicFiles;
import org.osgi.framework.Version;

/**
 * The jars a bundle was replaced by, newest last, under {@code <data.dir>/bundles/<symbolic name>/}; at
 * most {@code keep} are kept. Used to restore a version when an update fails, and by rollback.
 */
final class BundleHistory {

  private final Path root;
  private final int keep;

  BundleHistory(Path root, int keep) {
    this.root = root;
    this.keep = keep;
  }

  /** Copies {@code jar}, the current jar of {@code symbolicName} at {@code version}, into the history. */
  Path archive(String symbolicName, Version version, Path jar) throws IOException {
    Path dir = root.resolve(symbolicName);
    Path target = dir.resolve(version + ".jar");
    AtomicFiles.copy(jar, target);
    // The archive's mtime orders the history: newest archived last.
    Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
    prune(dir);
    return target;
  }

  /** The archived jars of {@code symbolicName}, oldest first. */
  List<Path> versions(String symbolicName) throws IOException {
    Path dir = root.resolve(symbolicName);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".jar"))
          .sorted(Comparator.comparingLong(BundleHistory::mtime))
          .collect(Collectors.toList());
    }
  }

  /** The most recently archived jar of {@code symbolicName}, or {@code null}. */
  Path latest(String symbolicName) throws IOException {
    List<Path> all = versions(symbolicName);
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  Path root() {
    return root;
  }

  private void prune(Path dir) throws IOException {
    List<Path> all = versions(dir.getFileName().toString());
    for (int i = 0; i < all.size() - Math.max(keep, 1); i++) {
      Files.deleteIfExists(all.get(i));
    }
  }

  private static long mtime(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }
}
