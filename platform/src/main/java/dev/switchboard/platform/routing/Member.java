package dev.switchboard.platform.routing;

import dev.switchboard.api.KeyedHandler;
import io.vertx.core.Context;
import io.vertx.core.Promise;

/**
 * One plugin instance's consumption of one keyed address. Counters are written only on the address's
 * routing context and may be read anywhere.
 */
public final class Member {

  /** How a member takes part in routing. */
  public enum State {
    /** Gets new keys (when it is the newest) and its own keys' messages. */
    ACTIVE,
    /** Gets no new keys; keeps its keys until they are released. */
    DRAINING,
    /** Gets nothing more; each of its keys moves to the newest member once its in-flight message is done. */
    HANDING_OVER
  }

  final String address;
  final String pluginName;
  final String version;
  final long bundleId;
  final long sequence;
  final Context context;
  final KeyedHandler handler;
  volatile State state = State.ACTIVE;
  volatile int ownedKeys;
  int inFlight;
  /** Completed when the member owns no key and has nothing in flight, after drain or hand-over began. */
  final Promise<Void> emptied = Promise.promise();

  Member(String address, String pluginName, String version, long bundleId, long sequence, Context context,
      KeyedHandler handler) {
    this.address = address;
    this.pluginName = pluginName;
    this.version = version;
    this.bundleId = bundleId;
    this.sequence = sequence;
    this.context = context;
    this.handler = handler;
  }

  public String address() {
    return address;
  }

  public String pluginName() {
    return pluginName;
  }

  /** The version of the plugin instance (its bundle's version). */
  public String version() {
    return version;
  }

  public long bundleId() {
    return bundleId;
  }

  public State state() {
    return state;
  }

  /** How many keys it owns now. */
  public int ownedKeys() {
    return ownedKeys;
  }
}
