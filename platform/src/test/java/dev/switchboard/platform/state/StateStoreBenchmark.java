package dev.switchboard.platform.state;

import dev.switchboard.api.StateStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Benchmark (not a test): what a durable write costs, the way keyed owners write (each owner waits for its write
 * before its next message), for four stores in one run: memory only (the baseline), {@link LocalStateStores} (an
 * append-only log, one force per group of writes; and with {@code data.fsync: false}), and H2's MVStore doing the same
 * group commit (put, commit, sync).
 * Run by {@code bench/state.sh}. Arguments: [writes] [concurrent owners] [value bytes].
 */
public final class StateStoreBenchmark {

  public static void main(String[] args) throws Exception {
    int writes = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int owners = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int valueBytes = args.length > 2 ? Integer.parseInt(args[2]) : 600;
    Vertx vertx = Vertx.vertx();
    Path dir = Files.createTempDirectory("state-bench");
    JsonObject value = new JsonObject().put("state", "established").put("pad", "x".repeat(valueBytes));
    System.out.printf("%d writes of ~%d bytes by %d owners, each waiting for its write before the next%n",
        writes, valueBytes, owners);
    Result memory = run("memory (baseline)", new MemoryStore(), writes, owners, value);
    Result log;
    try (LocalStateStores stores = LocalStateStores.open(vertx, dir.resolve("log"), true).toCompletionStage()
        .toCompletableFuture().get()) {
      log = run("LocalStateStores (log, group force)", stores.forPlugin("bench"), writes, owners, value);
    }
    Result os;
    try (LocalStateStores stores = LocalStateStores.open(vertx, dir.resolve("os"), false).toCompletionStage()
        .toCompletableFuture().get()) {
      os = run("LocalStateStores (log, fsync: false)", stores.forPlugin("bench"), writes, owners, value);
    }
    Result mv;
    try (MvStore store = new MvStore(dir.resolve("mv.db"))) {
      mv = run("MVStore (group commit + sync)", store, writes, owners, value);
    }
    System.out.printf("%-38s %10s %9s %9s %12s%n", "store", "writes/s", "p50 ms", "p99 ms", "vs baseline");
    for (Result r : List.of(memory, log, os, mv)) {
      System.out.printf("%-38s %10.0f %9.3f %9.3f %11.3fx%n", r.name, r.perSecond, r.p50, r.p99,
          r.perSecond / memory.perSecond);
    }
    System.out.printf("log / MVStore throughput: %.2fx; p99: %.2fx%n", log.perSecond / mv.perSecond, log.p99 / mv.p99);
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private record Result(String name, double perSecond, double p50, double p99) {
  }

  private static Result run(String name, StateStore store, int writes, int owners, JsonObject value)
      throws InterruptedException {
    long[] latencies = new long[writes];
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(owners);
    long began = System.nanoTime();
    for (int o = 0; o < owners; o++) {
      String key = "call-" + o;
      writeNext(store, key, value, next, writes, latencies, done);
    }
    done.await();
    double seconds = (System.nanoTime() - began) / 1e9;
    Arrays.sort(latencies);
    return new Result(name, writes / seconds, latencies[writes / 2] / 1e6, latencies[writes * 99 / 100] / 1e6);
  }

  private static void writeNext(StateStore store, String key, JsonObject value, AtomicInteger next, int writes,
      long[] latencies, CountDownLatch done) {
    while (true) { // a loop, not recursion, while writes complete at once (the memory store)
      int i = next.getAndIncrement();
      if (i >= writes) {
        done.countDown();
        return;
      }
      long start = System.nanoTime();
      Future<Void> put = store.put(key, value.copy().put("seq", i));
      if (!put.isComplete()) {
        put.onComplete(ar -> {
          latencies[i] = System.nanoTime() - start;
          writeNext(store, key, value, next, writes, latencies, done);
        });
        return;
      }
      latencies[i] = System.nanoTime() - start;
    }
  }

  /** The baseline: a map, nothing on the disk. */
  private static final class MemoryStore implements StateStore {
    private final Map<String, JsonObject> map = new ConcurrentHashMap<>();

    @Override
    public Future<JsonObject> get(String key) {
      return Future.succeededFuture(map.get(key));
    }

    @Override
    public Future<Void> put(String key, JsonObject value) {
      map.put(key, value.copy());
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> remove(String key) {
      map.remove(key);
      return Future.succeededFuture();
    }

    @Override
    public Future<Set<String>> keys() {
      return Future.succeededFuture(Set.copyOf(map.keySet()));
    }
  }

  /** MVStore with the same group commit as the log: one writer thread, put the waiting writes, commit, sync. */
  private static final class MvStore implements StateStore, AutoCloseable {
    private record Write(String key, String value, Promise<Void> done) {
    }

    private final MVStore store;
    private final MVMap<String, String> map;
    private final ExecutorService writer = Executors.newSingleThreadExecutor();
    private List<Write> pending = new ArrayList<>();

    MvStore(Path file) {
      store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
      map = store.openMap("bench");
    }

    @Override
    public Future<JsonObject> get(String key) {
      String v = map.get(key);
      return Future.succeededFuture(v == null ? null : new JsonObject(v));
    }

    @Override
    public Future<Void> put(String key, JsonObject value) {
      Promise<Void> done = Promise.promise();
      synchronized (this) {
        pending.add(new Write(key, value.encode(), done));
        if (pending.size() == 1) {
          writer.execute(this::flush);
        }
      }
      return done.future();
    }

    private void flush() {
      List<Write> batch;
      synchronized (this) {
        batch = pending;
        pending = new ArrayList<>();
      }
      batch.forEach(w -> map.put(w.key(), w.value()));
      store.commit();
      store.sync();
      batch.forEach(w -> w.done().complete());
    }

    @Override
    public Future<Void> remove(String key) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Set<String>> keys() {
      return Future.succeededFuture(Set.copyOf(map.keySet()));
    }

    @Override
    public void close() throws InterruptedException {
      writer.shutdown();
      writer.awaitTermination(10, TimeUnit.SECONDS);
      store.close();
    }
  }
}
