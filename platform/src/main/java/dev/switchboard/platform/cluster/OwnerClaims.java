package dev.switchboard.platform.cluster;

import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated map of claims, {@code switchboard.owners}: each live key's claim {@code <member id>#<n>}, made by
 * the member that owns the key. A member id is new at every start, and this member never writes the same claim twice:
 * claiming a key, taking it over and adopting again a key it had let go each write a fresh claim. So a conditional
 * removal of an old claim still under way ({@link #release}) can never delete the claim a key lives on now.
 *
 * <p>Every operation is a blocking Hazelcast call made on a worker; its future completes on the key router's context.
 */
final class OwnerClaims {

  private static final Logger LOG = LoggerFactory.getLogger(OwnerClaims.class);
  static final String MAP = HazelcastSettings.MAP_PREFIX + "owners";

  private final Vertx vertx;
  private final Supplier<Context> routing;
  private final IMap<String, String> owners;
  private final String self;
  /** Claims written so far by this member; only touched on the key router's context. */
  private long written;

  /** @param routing the key router's context, where every future completes */
  OwnerClaims(Vertx vertx, Supplier<Context> routing, IMap<String, String> owners, String self) {
    this.vertx = vertx;
    this.routing = routing;
    this.owners = owners;
    this.self = self;
  }

  /** The member a claim belongs to. */
  static String memberOf(String claim) {
    int hash = claim.lastIndexOf('#');
    return hash < 0 ? claim : claim.substring(0, hash);
  }

  /** The key's claim now, or null if nobody claims it. */
  Future<String> get(String key) {
    return blocking(() -> owners.get(key));
  }

  /** The claims of {@code keys} now; a key nobody claims is absent. */
  Future<Map<String, String>> getAll(Set<String> keys) {
    return blocking(() -> owners.getAll(keys));
  }

  /** Claims a key nobody claims: this member's new claim, or null if another claim was there first. */
  Future<String> claim(String key) {
    String mine = next();
    return blocking(() -> owners.putIfAbsent(key, mine) == null ? mine : null);
  }

  /** Replaces {@code claim} with a new claim of this member's: the new claim, or null if the key's claim changed. */
  Future<String> replace(String key, String claim) {
    String mine = next();
    return blocking(() -> owners.replace(key, claim, mine) ? mine : null);
  }

  /**
   * Removes {@code claim} if it is still the key's claim: whether it was. A failure leaves the claim (it moves when its
   * member goes) and is only logged: nobody need wait for this.
   */
  Future<Boolean> release(String key, String claim) {
    return blocking(() -> owners.remove(key, claim)).onFailure(e -> LOG.debug("Claim on key {} stays in {}: {}", key,
        MAP, e.getMessage()));
  }

  /** The claims, by key, for which {@code wanted} (key, claim) holds: a scan of the whole map. */
  Future<Map<String, String>> find(BiPredicate<String, String> wanted) {
    return blocking(() -> {
      Map<String, String> found = new HashMap<>();
      owners.entrySet().forEach(e -> {
        if (wanted.test(e.getKey(), e.getValue())) {
          found.put(e.getKey(), e.getValue());
        }
      });
      return found;
    });
  }

  private String next() {
    return self + "#" + (++written);
  }

  private <T> Future<T> blocking(Callable<T> work) {
    Promise<T> result = Promise.promise();
    vertx.executeBlocking(work, false).onComplete(ar -> routing.get().runOnContext(v -> result.handle(ar)));
    return result.future();
  }
}
