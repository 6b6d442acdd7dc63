package dev.switchboard.platform.audit;

import dev.switchboard.platform.config.SwitchboardConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: one JSON object per line in {@code <data.dir>/audit/audit.log}, rotated by size to
 * {@code audit.log.1} ... {@code audit.log.<keepFiles>} (the oldest dropped).
 *
 * <p>{@link #record} never blocks: entries are written by one thread of the log's own, in the order they were
 * recorded, and flushed to the operating system as soon as none are waiting, so an entry recorded before
 * {@link #close()} is never lost. Reads run on the same thread, so they see every entry recorded before them. Entries
 * hold who did what and how it ended, never a credential: callers record names, not secrets.
 */
public final class AuditLog {

  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
  /** Most entries one read returns. */
  public static final int MAX_READ = 10_000;

  private final Vertx vertx;
  private final Path file;
  private final long maxFileBytes;
  private final int keepFiles;
  private final ThreadPoolExecutor writer;
  private BufferedWriter out;
  private long size;
  private volatile boolean closed;

  private AuditLog(Vertx vertx, Path dir, SwitchboardConfig.Audit config) {
    this.vertx = vertx;
    this.file = dir.resolve("audit.log");
    this.maxFileBytes = config.maxFileBytes();
    this.keepFiles = config.keepFiles();
    this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), task -> {
      Thread thread = new Thread(task, "switchboard-audit");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Opens (creating) {@code dir/audit.log} for appending. */
  public static Future<AuditLog> open(Vertx vertx, Path dir, SwitchboardConfig.Audit config) {
    AuditLog log = new AuditLog(vertx, dir, config);
    return log.submit(() -> {
      Files.createDirectories(dir);
      log.openFile();
      return log;
    });
  }

  /**
   * Appends {@code entry} with the current time as {@code time} (unless it has one). Returns at once; the entry is
   * written in order with every other. After {@link #close()} entries are dropped with a warning.
   */
  public void record(JsonObject entry) {
    JsonObject stamped = new JsonObject().put("time", entry.getString("time", Instant.now().toString()))
        .mergeIn(entry);
    String line = stamped.encode() + "\n";
    if (closed) {
      LOG.warn("Audit entry after the audit log was closed, not written: {}", line.strip());
      return;
    }
    try {
      writer.execute(() -> write(line));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.warn("Audit entry after the audit log was closed, not written: {}", line.strip());
    }
  }

  /**
   * The newest entries, newest last: at most {@code limit} (1 to {@value #MAX_READ}), and only those at or after
   * {@code since} when it is given.
   */
  public Future<JsonArray> read(int limit, Instant since) {
    return submit(() -> {
      flush();
      Deque<JsonObject> newest = new ArrayDeque<>();
      for (int i = 0; i <= keepFiles && newest.size() < limit; i++) {
        Path f = i == 0 ? file : rotated(i);
        if (!Files.exists(f)) {
          continue;
        }
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        for (int j = lines.size() - 1; j >= 0 && newest.size() < limit; j--) {
          JsonObject entry = parse(lines.get(j));
          if (entry == null) {
            continue;
          }
          if (since != null && Instant.parse(entry.getString("time")).isBefore(since)) {
            return new JsonArray(List.copyOf(newest));
          }
          newest.addFirst(entry);
        }
      }
      return new JsonArray(List.copyOf(newest));
    });
  }

  /** Adds {@code GET /admin/audit} and the recording of admin actions to the admin API's router (behind its token). */
  public void mountAdmin(Router router) {
    new AdminAudit(vertx, this).mount(router);
  }

  /** Writes what is pending and closes the file. Never fails. */
  public Future<Void> close() {
    closed = true;
    return submit(() -> {
      if (out != null) {
        out.close();
        out = null;
      }
      return null;
    }).transform(ar -> {
      writer.shutdown();
      if (ar.failed()) {
        LOG.error("Could not close the audit log {}: {}", file, ar.cause().getMessage());
      }
      return Future.<Void>succeededFuture();
    });
  }

  private <T> Future<T> submit(Callable<T> task) {
    return Future.fromCompletionStage(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return task.call();
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, writer), vertx.getOrCreateContext());
  }

  private void openFile() throws IOException {
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    size = Files.size(file);
  }

  private Path rotated(int n) {
    return file.resolveSibling(file.getFileName() + "." + n);
  }

  /** On the writer thread. */
  private void write(String line) {
    try {
      if (out == null) {
        return;
      }
      long bytes = line.getBytes(StandardCharsets.UTF_8).length;
      if (size > 0 && size + bytes > maxFileBytes) {
        rotate();
      }
      out.write(line);
      size += bytes;
      if (writer.getQueue().isEmpty()) {
        out.flush();
      }
    } catch (IOException e) {
      LOG.error("Could not write to the audit log {}: {}; entry: {}", file, e.getMessage(), line.strip());
    }
  }

  private void flush() throws IOException {
    if (out != null) {
      out.flush();
    }
  }

  private void rotate() throws IOException {
    out.close();
    Files.deleteIfExists(rotated(keepFiles));
    for (int i = keepFiles - 1; i >= 1; i--) {
      if (Files.exists(rotated(i))) {
        Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
    openFile();
  }

  private static JsonObject parse(String line) {
    if (line.isBlank()) {
      return null;
    }
    try {
      return new JsonObject(line);
    } catch (RuntimeException e) {
      return null; // a line cut short by a crash
    }
  }
}
