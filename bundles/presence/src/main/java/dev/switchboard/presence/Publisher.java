package dev.switchboard.presence;

import dev.switchboard.api.StateStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Which version of the plugin publishes presence events. During an update two versions run for a moment; both may
 * see the same change (the old one's read in flight, the new one's first read of every user), and an event must be
 * published once. A starting version claims publishing in the state store before it reads anything; a version checks
 * its claim before it applies what it read, and stops publishing for good once another version holds it (that version
 * reads every user again, so nothing is lost).
 */
final class Publisher {

  private static final String KEY = "publisher";

  private final StateStore state;
  private final String version;

  Publisher(StateStore state, String version) {
    this.state = state;
    this.version = version;
  }

  /** Makes this version the publisher. */
  Future<Void> claim() {
    return state.put(KEY, new JsonObject().put("version", version));
  }

  /** Whether this version still publishes. */
  Future<Boolean> stillMine() {
    return state.get(KEY).map(json -> json == null || version.equals(json.getString("version")));
  }

  String version() {
    return version;
  }
}
