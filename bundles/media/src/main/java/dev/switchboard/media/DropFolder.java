package dev.switchboard.media;

import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Imports the {@code .wav} files an operator drops into {@code <data.dir>/prompts}: each is converted and stored under
 * its file name (without {@code .wav}) as the prompt's name. The files are left where they are; a file is imported
 * again when its size or modification time changes. A file that cannot be used is reported with the reason (in
 * {@link #rejected()} and the log) once per version of the file. Blocking: call {@link #scan()} off the event loop.
 */
final class DropFolder {

  private final Path folder;
  private final PromptStore store;
  private final System.Logger log;
  private final Map<String, String> seen = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> rejected = new ConcurrentHashMap<>();

  DropFolder(Path folder, PromptStore store, System.Logger log) {
    this.folder = folder;
    this.store = store;
    this.log = log;
  }

  Path folder() {
    return folder;
  }

  /** The dropped files that could not be imported, by file name, with {@code code} and {@code message}. */
  Map<String, JsonObject> rejected() {
    return Map.copyOf(rejected);
  }

  /** Imports what is new or changed; returns how many files were imported. */
  int scan() throws IOException {
    Files.createDirectories(folder);
    int imported = 0;
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.getFileName().toString().toLowerCase().endsWith(".wav")
          && !f.getFileName().toString().startsWith(".")).toList()) {
        String fileName = file.getFileName().toString();
        FileTime modified = Files.getLastModifiedTime(file);
        String version = Files.size(file) + "@" + modified.toMillis();
        if (version.equals(seen.get(fileName))) {
          continue;
        }
        seen.put(fileName, version);
        String name = fileName.substring(0, fileName.length() - 4);
        try {
          store.store(Files.readAllBytes(file), name, new JsonObject().put("source", "dropFolder"));
          rejected.remove(fileName);
          imported++;
        } catch (SwitchboardException e) {
          rejected.put(fileName, new JsonObject().put("code", e.errorId()).put("message", e.getMessage()));
          log.log(System.Logger.Level.WARNING, "Prompt file {0} was not imported: {1}", file, e.getMessage());
        }
      }
    }
    return imported;
  }
}
