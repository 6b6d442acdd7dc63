package dev.switchboard.media;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The converted prompts, on disk under {@code <data.dir>/media/prompts} as {@code <id>.wav} (Graph's format) beside
 * {@code <id>.json} (what it is). Ids are content hashes, so storing the same audio twice stores it once. Every
 * method blocks on the file system: call them off the event loop. Thread-safe; several plugin versions may share the
 * folder (each loads it at start and sees what it stores itself afterwards).
 */
final class PromptStore {

  static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private final Path folder;
  private final PromptConverter converter = new PromptConverter();
  private final Map<String, JsonObject> prompts = new ConcurrentHashMap<>();

  PromptStore(Path folder) {
    this.folder = folder;
  }

  /** Creates the folder and loads what it holds. */
  void load() {
    try {
      Files.createDirectories(folder);
      try (Stream<Path> files = Files.list(folder)) {
        for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
          JsonObject meta = new JsonObject(Files.readString(p));
          if (Files.exists(wav(meta.getString("id")))) {
            prompts.put(meta.getString("id"), meta);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the prompt folder " + folder, e);
    }
  }

  static void checkName(String name) {
    if (name != null && !NAME.matcher(name).matches()) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "badRequest", "A prompt name is 1-100 letters, digits, "
          + "'.', '_' or '-', starting with a letter or digit; got '" + name + "'.");
    }
  }

  /**
   * Converts and stores {@code file}; nothing is stored when it is refused.
   *
   * @param extra more metadata (e.g. {@code source}, {@code text}, {@code voice})
   * @return the prompt's metadata, with {@code created} {@code false} when the same audio was stored already
   * @throws SwitchboardException 415/422 when the file is not usable audio
   */
  JsonObject store(byte[] file, String name, JsonObject extra) {
    checkName(name);
    PromptConverter.Converted converted = converter.convert(file);
    JsonObject existing = prompts.get(converted.id());
    if (existing != null && (name == null || name.equals(existing.getString("name")))) {
      return existing.copy().put("created", false);
    }
    JsonObject meta = new JsonObject().put("id", converted.id()).put("name", name)
        .put("durationMs", converted.durationMillis()).put("bytes", converted.wav().length)
        .put("sourceFormat", converted.sourceFormat()).put("sourceBytes", file.length)
        .put("createdAt", Instant.now().toString()).mergeIn(extra);
    try {
      Files.createDirectories(folder);
      write(wav(converted.id()), converted.wav());
      write(folder.resolve(converted.id() + ".json"), meta.toBuffer().getBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store prompt " + converted.id() + " in " + folder, e);
    }
    prompts.put(converted.id(), meta);
    return meta.copy().put("created", existing == null);
  }

  /** Writes {@code content} to {@code target} in one step (beside it, then an atomic move): never half a file. */
  static void write(Path target, byte[] content) throws IOException {
    Path part = target.resolveSibling("." + UUID.randomUUID() + ".part");
    Files.write(part, content);
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The prompt with this id, or the newest with this name; {@code null} if none. */
  JsonObject find(String idOrName) {
    JsonObject byId = prompts.get(idOrName);
    if (byId != null) {
      return byId.copy();
    }
    return prompts.values().stream().filter(p -> idOrName.equals(p.getString("name")))
        .max(Comparator.comparing(p -> p.getString("createdAt"))).map(JsonObject::copy).orElse(null);
  }

  /** The first prompt whose metadata has {@code field} equal to {@code value}, or {@code null}. */
  JsonObject findBy(String field, String value) {
    return prompts.values().stream().filter(p -> value.equals(p.getString(field))).findFirst().map(JsonObject::copy)
        .orElse(null);
  }

  JsonArray list() {
    List<JsonObject> all = prompts.values().stream().sorted(Comparator.comparing(p -> p.getString("createdAt")))
        .map(JsonObject::copy).toList();
    return new JsonArray(List.copyOf(all));
  }

  /** Deletes a prompt by id or name; whether there was one. */
  boolean delete(String idOrName) {
    JsonObject meta = find(idOrName);
    if (meta == null) {
      return false;
    }
    String id = meta.getString("id");
    prompts.remove(id);
    try {
      Files.deleteIfExists(folder.resolve(id + ".json"));
      Files.deleteIfExists(wav(id));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete prompt " + id, e);
    }
    return true;
  }

  /** The audio of a prompt, or {@code null}. */
  byte[] audio(String id) {
    if (!ID.matcher(id).matches() || !prompts.containsKey(id)) {
      return null;
    }
    try {
      return Files.readAllBytes(wav(id));
    } catch (IOException e) {
      return null;
    }
  }

  private Path wav(String id) {
    return folder.resolve(id + ".wav");
  }
}
