package dev.switchboard.platform.state;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file of one plugin's state: an append-only log of JSON lines, {@code {"k":key,"v":value}} for a put and
 * {@code {"k":key}} for a removal, replayed at start. When the log has grown well past what it holds, it is
 * rewritten as one line per live entry (beside it, then moved over it in one step). Blocking; used by one
 * thread at a time (the stores' writer, or the loader before any write).
 */
final class StateLog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StateLog.class);
  /**
   * Reads values without adding their field names to Jackson's shared symbol table, as Vert.x's own parser does: a
   * plugin's values may have field names that are ids (the media bundle keys operations by id), and every new name
   * grows that table, which each parse that meets a new name then copies whole (it reached ~190 KB at 1,000 live
   * calls, ~5 KB of heap per call).
   */
  private static final ObjectMapper VALUES = new ObjectMapper(JsonFactory.builder()
      .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS); // as Vert.x's parser: a line is one value
  /** A log is rewritten once it is this large and four times larger than its live entries. */
  private static final long COMPACT_AFTER_BYTES = 4L << 20;

  private final Path file;
  private FileChannel channel;
  private long bytes;

  private StateLog(Path file, FileChannel channel, long bytes) {
    this.file = file;
    this.channel = channel;
    this.bytes = bytes;
  }

  /**
   * Opens (creating it if absent) the log at {@code file} and replays it into {@code into}. A last line cut short
   * by a crash during its write is dropped (its write was never acknowledged); an unreadable line elsewhere is
   * skipped with an error naming the file and line, since the entries after it are still good.
   */
  static StateLog open(Path file, Map<String, JsonObject> into) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    long good = 0;
    if (Files.exists(file)) {
      List<String> lines;
      try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        lines = reader.lines().toList();
      }
      boolean endsWithNewline = Files.size(file) == 0 || endsWithNewline(file);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        boolean last = i == lines.size() - 1;
        if (last && !endsWithNewline) {
          LOG.warn("{}: the last entry was cut short (the server stopped while writing it) and is dropped; "
              + "nothing acknowledged is lost", file);
          break;
        }
        good += line.getBytes(StandardCharsets.UTF_8).length + 1;
        if (line.isBlank()) {
          continue;
        }
        try {
          apply(decode(line.getBytes(StandardCharsets.UTF_8)), into);
        } catch (DecodeException | ClassCastException e) {
          LOG.error("{}: line {} is not a state entry and is skipped ({}); the entries around it are kept. "
              + "If the file was edited by hand, restore it from a backup", file, i + 1, e.getMessage());
        }
      }
    }
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    channel.truncate(good);
    channel.position(good);
    return new StateLog(file, channel, good);
  }

  private static boolean endsWithNewline(Path file) throws IOException {
    try (FileChannel read = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer last = ByteBuffer.allocate(1);
      read.read(last, read.size() - 1);
      return last.get(0) == '\n';
    }
  }

  private static void apply(JsonObject entry, Map<String, JsonObject> into) {
    String key = entry.getString("k");
    if (key == null) {
      throw new ClassCastException("no key \"k\"");
    }
    JsonObject value = entry.getJsonObject("v");
    if (value == null) {
      into.remove(key);
    } else {
      into.put(key, value);
    }
  }

  /** A value as {@link #encode} wrote it (or a line); fails with {@link DecodeException} when it is not an object. */
  @SuppressWarnings("unchecked")
  static JsonObject decode(byte[] json) {
    try {
      Map<String, Object> map = VALUES.readValue(json, Map.class);
      if (map == null) {
        throw new DecodeException("not a JSON object: null");
      }
      return new JsonObject(map);
    } catch (IOException e) {
      throw new DecodeException("not a JSON object: " + e.getMessage(), e);
    }
  }

  /** {@code value} as the log writes it (compact JSON, UTF-8). */
  static byte[] encode(JsonObject value) {
    return value.toBuffer().getBytes();
  }

  /**
   * One line: the put of {@code value} (already {@link #encode encoded}) under {@code key}, or its removal when
   * {@code value} is null; the same bytes as {@code {"k":key,"v":value}} encoded as one object.
   */
  static byte[] line(String key, byte[] value) {
    byte[] head = ("{\"k\":" + Json.encode(key) + (value == null ? "}\n" : ",\"v\":")).getBytes(StandardCharsets.UTF_8);
    if (value == null) {
      return head;
    }
    byte[] line = Arrays.copyOf(head, head.length + value.length + 2);
    System.arraycopy(value, 0, line, head.length, value.length);
    line[line.length - 2] = '}';
    line[line.length - 1] = '\n';
    return line;
  }

  /** Appends {@code lines}, and forces them to the disk if {@code force}. */
  void append(List<byte[]> lines, boolean force) throws IOException {
    ByteBuffer[] buffers = new ByteBuffer[lines.size()];
    long total = 0;
    for (int i = 0; i < buffers.length; i++) {
      buffers[i] = ByteBuffer.wrap(lines.get(i));
      total += buffers[i].remaining();
    }
    long written = 0;
    while (written < total) {
      written += channel.write(buffers);
    }
    if (force) {
      channel.force(false);
    }
    bytes += total;
  }

  /** Whether the log is worth rewriting, given that its live entries take about {@code liveBytes}. */
  boolean worthCompacting(long liveBytes) {
    return bytes > COMPACT_AFTER_BYTES && bytes > 4 * liveBytes;
  }

  /** Rewrites the log as {@code entries} (encoded values), which must include every write appended so far. */
  void compact(Map<String, byte[]> entries) throws IOException {
    Path part = file.resolveSibling("." + file.getFileName() + ".part");
    long total = 0;
    try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      for (Map.Entry<String, byte[]> entry : new LinkedHashMap<>(entries).entrySet()) {
        ByteBuffer buffer = ByteBuffer.wrap(line(entry.getKey(), entry.getValue()));
        total += buffer.remaining();
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
      }
      out.force(false);
    }
    channel.close();
    Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    channel = FileChannel.open(file, StandardOpenOption.WRITE);
    channel.position(total);
    bytes = total;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
