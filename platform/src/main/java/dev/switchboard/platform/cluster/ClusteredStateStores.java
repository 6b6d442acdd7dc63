package dev.switchboard.platform.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.switchboard.api.StateStore;
import dev.switchboard.platform.state.StateStores;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * State stores in cluster mode: each plugin's store is the replicated map {@code switchboard.state.<plugin>} (with
 * {@code cluster.backups} synchronous backups, so a write whose future completed survives the loss of that many
 * members), and so are the platform stores the cluster shares ({@link #REPLICATED}); the other platform stores stay
 * this member's own, in its data folder. Values are stored as JSON text. A member on the minority side of a
 * partition gets failed futures (split-brain protection): it cannot read or write what the majority owns.
 */
final class ClusteredStateStores implements StateStores {

  /** Platform stores every member shares: the key timers' journal, so that a key's next owner arms its timers. */
  static final Set<String> REPLICATED = Set.of("key-timers");

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final StateStores local;

  ClusteredStateStores(Vertx vertx, HazelcastInstance hazelcast, StateStores local) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.local = local;
  }

  @Override
  public StateStore forPlugin(String pluginName) {
    return new MapStore(hazelcast.getMap(HazelcastSettings.MAP_PREFIX + "state." + Objects.requireNonNull(pluginName)));
  }

  @Override
  public StateStore forPlatform(String name) {
    return REPLICATED.contains(name) ? new MapStore(hazelcast.getMap(HazelcastSettings.MAP_PREFIX + "platform." + name))
        : local.forPlatform(name);
  }

  @Override
  public void close() {
    local.close();
  }

  private final class MapStore implements StateStore {
    private final IMap<String, String> map;

    MapStore(IMap<String, String> map) {
      this.map = map;
    }

    @Override
    public Future<JsonObject> get(String key) {
      return onCaller(map.getAsync(Objects.requireNonNull(key, "key"))).map(v -> v == null ? null : new JsonObject(v));
    }

    @Override
    public Future<Void> put(String key, JsonObject value) {
      String text = Objects.requireNonNull(value, "value").encode();
      return onCaller(map.setAsync(Objects.requireNonNull(key, "key"), text)).mapEmpty();
    }

    @Override
    public Future<Void> remove(String key) {
      return onCaller(map.removeAsync(Objects.requireNonNull(key, "key"))).mapEmpty();
    }

    @Override
    public Future<Set<String>> keys() {
      return vertx.executeBlocking(() -> Set.copyOf(map.keySet()), false);
    }
  }

  /**
   * Completes on the caller's context (Hazelcast completes its futures on its own threads). The callback only queues
   * the completion on that context, so it runs on the thread that completes Hazelcast's future ({@code Runnable::run}):
   * Hazelcast runs a plain {@code whenComplete} on its default async executor, which is a new thread per callback
   * when the JVM sees two CPUs or fewer (the common pool's parallelism is then 1) — about a thousand threads started
   * per second per member at ~500 state operations/s (JFR, {@code bench/README.md}).
   */
  private <T> Future<T> onCaller(CompletionStage<T> stage) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    stage.whenCompleteAsync((value, failure) -> context.runOnContext(v -> {
      if (failure != null) {
        promise.fail(failure);
      } else {
        promise.complete(value);
      }
    }), Runnable::run);
    return promise.future();
  }
}
