package dev.switchboard.platform.state;

import dev.switchboard.api.StateStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-node state store: one JSON map per plugin name, shared by every version of the plugin, kept in memory
 * and in the data folder ({@code <data.dir>/state/<plugin>.log}, one {@link StateLog} per plugin), so that a
 * restarted server resumes from what its plugins stored.
 *
 * <p>Reads are answered from memory. A write is visible to every version at once and its future completes once it
 * is on the disk (forced; or, with {@code data.fsync: false}, once the operating system has it): writes waiting at the
 * same moment share one force, on the stores' own writer thread, so no event loop waits for the disk. Values are copied in and out so that no version holds another's objects (or
 * classes); memory keeps each as its encoded JSON, a large one deflated against an earlier one ({@link StoredValue}).
 * The clustered store implements the same {@link StateStore} over the cluster manager's maps.
 */
public final class LocalStateStores implements StateStores {

  private static final Logger LOG = LoggerFactory.getLogger(LocalStateStores.class);
  private static final String SUFFIX = ".log";
  private static final String PLATFORM = "platform";

  private final Path dir;
  private final boolean force;
  private final Map<String, Store> stores = new ConcurrentHashMap<>();
  private final Map<String, Store> platformStores = new ConcurrentHashMap<>();
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "switchboard-state-writer");
    thread.setDaemon(true);
    return thread;
  });

  private LocalStateStores(Path dir, boolean force) {
    this.dir = dir;
    this.force = force;
  }

  /**
   * Opens the stores kept in {@code dir} (created if absent), reading every plugin's log on a worker. Fails with a
   * message naming the folder when it cannot be read or written.
   *
   * @param force whether a write completes only once forced to the disk (survives a power cut); otherwise once the
   *     operating system has it (survives the process being killed)
   */
  public static Future<LocalStateStores> open(Vertx vertx, Path dir, boolean force) {
    Objects.requireNonNull(dir, "dir");
    return vertx.executeBlocking(() -> {
      LocalStateStores stores = new LocalStateStores(dir, force);
      try {
        stores.loadAll(dir, stores.stores);
        stores.loadAll(dir.resolve(PLATFORM), stores.platformStores);
      } catch (IOException e) {
        stores.close();
        throw new IOException("Cannot read the plugins' state in " + dir + " (" + e.getMessage()
            + "); check that the data folder exists and that this user may write to it", e);
      }
      int entries = stores.stores.values().stream().mapToInt(s -> s.entries.size()).sum();
      LOG.info("Plugin state: {} entries of {} plugins read from {}", entries, stores.stores.size(), dir);
      return stores;
    }, false);
  }

  private void loadAll(Path folder, Map<String, Store> into) throws IOException {
    Files.createDirectories(folder);
    try (DirectoryStream<Path> logs = Files.newDirectoryStream(folder, "*" + SUFFIX)) {
      for (Path file : logs) {
        String encoded = file.getFileName().toString();
        String name = URLDecoder.decode(encoded.substring(0, encoded.length() - SUFFIX.length()), StandardCharsets.UTF_8);
        Map<String, JsonObject> values = new HashMap<>();
        Store store = new Store(name, file, StateLog.open(file, values));
        values.forEach(store::remember);
        into.put(name, store);
      }
    }
  }

  /** The store of plugin {@code pluginName}; its file is created with its first write. */
  @Override
  public StateStore forPlugin(String pluginName) {
    return store(stores, dir, Objects.requireNonNull(pluginName, "pluginName"));
  }

  /** A store of the platform's own, {@code name}, which no plugin can see whatever its name. */
  @Override
  public StateStore forPlatform(String name) {
    return store(platformStores, dir.resolve(PLATFORM), Objects.requireNonNull(name, "name"));
  }

  private Store store(Map<String, Store> stores, Path folder, String name) {
    return stores.computeIfAbsent(name,
        n -> new Store(n, folder.resolve(URLEncoder.encode(n, StandardCharsets.UTF_8) + SUFFIX), null));
  }

  /** Waits (up to 10 s) for the writes already accepted to reach the disk, then closes the files. Blocking. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.error("Plugin state: writes still pending after 10 s were abandoned; the disk under {} is too slow", dir);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stores.values().forEach(Store::closeLog);
    platformStores.values().forEach(Store::closeLog);
  }

  private record Write(byte[] line, Promise<Void> done, Context context) {
  }

  private final class Store implements StateStore {
    private final String name;
    private final Path file;
    private final Map<String, StoredValue> entries = new ConcurrentHashMap<>();
    /** Writes in the order they were made, waiting for the writer; guarded by {@code this}. */
    private List<Write> pending = new ArrayList<>();
    private long liveBytes;
    private StateLog log;
    /** What this store's large values are deflated against: one of them (see {@link StoredValue}). */
    private volatile byte[] dictionary;

    Store(String name, Path file, StateLog log) {
      this.name = name;
      this.file = file;
      this.log = log;
    }

    void remember(String key, JsonObject value) {
      byte[] json = StateLog.encode(value);
      int size = StateLog.line(key, json).length;
      StoredValue old = entries.put(key, keep(json, size));
      liveBytes += size - (old == null ? 0 : old.logSize());
    }

    /** {@code json} as memory keeps it, perhaps becoming the store's dictionary first. */
    private StoredValue keep(byte[] json, int logSize) {
      byte[] against = dictionary;
      if (StoredValue.betterDictionary(against, json)) {
        synchronized (this) {
          if (StoredValue.betterDictionary(dictionary, json)) {
            dictionary = StoredValue.dictionaryOf(json);
          }
          against = dictionary;
        }
      }
      return StoredValue.of(json, against, logSize);
    }

    @Override
    public Future<JsonObject> get(String key) {
      StoredValue value = entries.get(Objects.requireNonNull(key, "key"));
      return Future.succeededFuture(value == null ? null : StateLog.decode(value.json()));
    }

    @Override
    public Future<Void> put(String key, JsonObject value) {
      Objects.requireNonNull(key, "key");
      byte[] json = StateLog.encode(Objects.requireNonNull(value, "value"));
      byte[] line = StateLog.line(key, json);
      StoredValue kept = keep(json, line.length);
      synchronized (this) {
        StoredValue old = entries.put(key, kept);
        liveBytes += line.length - (old == null ? 0 : old.logSize());
        return enqueue(line);
      }
    }

    @Override
    public Future<Void> remove(String key) {
      Objects.requireNonNull(key, "key");
      synchronized (this) {
        StoredValue old = entries.remove(key);
        if (old == null) {
          return Future.succeededFuture();
        }
        liveBytes -= old.logSize();
        return enqueue(StateLog.line(key, null));
      }
    }

    @Override
    public Future<Set<String>> keys() {
      return Future.succeededFuture(Set.copyOf(entries.keySet()));
    }

    /** Called holding the lock, so that the log receives the writes in the order the map did. */
    private Future<Void> enqueue(byte[] line) {
      Promise<Void> done = Promise.promise();
      pending.add(new Write(line, done, Vertx.currentContext()));
      if (pending.size() == 1) {
        try {
          writer.execute(this::flush);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          pending.clear();
          return Future.failedFuture(new IllegalStateException("the server is stopping; state writes are refused"));
        }
      }
      return done.future();
    }

    /** On the writer: appends every write waiting, forces them once, then completes their futures. */
    private void flush() {
      List<Write> batch;
      synchronized (this) {
        batch = pending;
        pending = new ArrayList<>();
      }
      Throwable failure = null;
      try {
        if (log == null) {
          log = StateLog.open(file, new HashMap<>());
        }
        log.append(batch.stream().map(Write::line).toList(), force);
        if (log.worthCompacting(liveBytes)) {
          Map<String, byte[]> snapshot = new HashMap<>();
          entries.forEach((key, value) -> snapshot.put(key, value.json()));
          log.compact(snapshot);
        }
      } catch (IOException | UncheckedIOException e) {
        // The file may end in a partial line now: reopening it (next write) drops that line before appending.
        closeLog();
        log = null;
        LOG.error("Plugin state of {}: {} writes could not be saved in {} ({}); they stay in memory but would be "
            + "lost by a restart. Free disk space or fix the folder's permissions", name, batch.size(), file,
            e.getMessage());
        failure = e;
      }
      for (Write write : batch) {
        complete(write, failure);
      }
    }

    private void complete(Write write, Throwable failure) {
      Runnable completion = () -> {
        if (failure == null) {
          write.done().complete();
        } else {
          write.done().fail(failure);
        }
      };
      if (write.context() == null) {
        completion.run();
      } else {
        write.context().runOnContext(v -> completion.run());
      }
    }

    void closeLog() {
      if (log != null) {
        try {
          log.close();
        } catch (IOException e) {
          LOG.warn("Plugin state of {}: closing its file failed ({})", name, e.getMessage());
        }
      }
    }
  }
}
