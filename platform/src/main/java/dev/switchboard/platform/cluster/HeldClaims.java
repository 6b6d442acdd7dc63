package dev.switchboard.platform.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The claims this member had made on keys when its lease last lapsed: their keys' work (queued messages, timers that
 * come due) is held, not handled, until the claims are read back from the ownership map once the lease is confirmed
 * again. A key goes on here only if its claim there is still the very one held ({@code <member id>#<n>}, not only
 * this member's id): any other claim, or none, means the key moved (or was claimed afresh) meanwhile. Not thread-safe:
 * used on the key router's context.
 */
final class HeldClaims {

  private final Map<String, String> claims = new HashMap<>();

  /** Holds every claim of {@code owned} and empties it; how many. */
  int holdAll(Map<String, String> owned) {
    int count = owned.size();
    claims.putAll(owned);
    owned.clear();
    return count;
  }

  boolean contains(String key) {
    return claims.containsKey(key);
  }

  boolean isEmpty() {
    return claims.isEmpty();
  }

  int size() {
    return claims.size();
  }

  /** Forgets {@code key} (this member holds nothing of it any more). */
  void forget(String key) {
    claims.remove(key);
  }

  /** The held claims now, to read back from the map. */
  Map<String, String> snapshot() {
    return new HashMap<>(claims);
  }

  /** Lets go of every held key (a leaving member gives their work away); their keys. */
  List<String> releaseAll() {
    List<String> keys = new ArrayList<>(claims.keySet());
    claims.clear();
    return keys;
  }

  /**
   * Settles the held keys of {@code snapshot} against their claims in the map now, {@code current} (absent: no
   * claim): a key whose claim there is still the held one goes to {@code stillOurs} (key, claim) and goes on here, any
   * other to {@code moved}, and its held work to the key's owner now. A key forgotten or held again with another claim
   * since the snapshot was taken is skipped (a later settling decides it). Returns {@code {still ours, moved}}.
   */
  int[] settle(Map<String, String> snapshot, Map<String, String> current, BiConsumer<String, String> stillOurs,
      Consumer<String> moved) {
    int[] counts = new int[2];
    for (Map.Entry<String, String> held : snapshot.entrySet()) {
      String key = held.getKey();
      String claim = held.getValue();
      if (!claim.equals(claims.get(key))) {
        continue;
      }
      claims.remove(key);
      if (claim.equals(current.get(key))) {
        counts[0]++;
        stillOurs.accept(key, claim);
      } else {
        counts[1]++;
        moved.accept(key);
      }
    }
    return counts;
  }
}
