package dev.switchboard.presence;

import dev.switchboard.api.presence.Presence;
import dev.switchboard.api.presence.PresenceEvent.PresenceChanged;
import dev.switchboard.platform.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Presence changes of random watched users, made through the emulator's control API at a steady rate paced by this
 * class's own thread (the requests are sent without waiting for their answers), and the record of what was changed,
 * per user and in order, to compare with the {@link PresenceChanged} events seen ({@link #check}).
 *
 * <p>A user may change again and again, as often as the random draw picks it, with one rule: not while the emulator
 * has not yet answered the user's previous change. (Two control requests in flight for one user could reach the
 * emulator in either order, and then what the user went through is not the order they were sent in.) Each change is a
 * real one: a user goes through Busy/InACall, Away/Away, DoNotDisturb/Presenting, Available/Available in turn, and all
 * start Available. Used by {@code PresenceWatchIT} and {@code bench/presence.sh} ({@link PresenceBenchmark}).
 */
final class PacedChanges {

  private static final String[][] STATES = {{"Busy", "InACall"}, {"Away", "Away"}, {"DoNotDisturb", "Presenting"},
      {"Available", "Available"}};

  private final PresenceHarness h;
  private final Random random;
  /** How many times each user was changed (the next state), across every run of this object. */
  private final Map<String, Integer> counts = new ConcurrentHashMap<>();
  /** Per user, each change in the order sent ("availability/activity"). */
  private final Map<String, List<String>> made = new ConcurrentHashMap<>();
  /** Per user, when each change not yet matched to an event was sent (System.nanoTime). */
  private final Map<String, ConcurrentLinkedDeque<Long>> sentAt = new ConcurrentHashMap<>();
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicInteger failed = new AtomicInteger();
  private int total;

  PacedChanges(PresenceHarness h, long seed) {
    this.h = h;
    this.random = new Random(seed);
  }

  /**
   * Changes random users of {@code users} at {@code rate} per second for {@code seconds}, and waits until the emulator
   * answered every change.
   *
   * @param trips if not null, gets the round trip (ms) of each control request
   * @return how many changes were made
   */
  int run(List<String> users, int rate, int seconds, List<Double> trips) throws Exception {
    long period = 1_000_000_000L / rate;
    long start = System.nanoTime();
    int count = rate * seconds;
    AtomicInteger answered = new AtomicInteger();
    for (int i = 0; i < count; i++) {
      long wait = start + i * period - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      String user;
      do {
        user = users.get(random.nextInt(users.size()));
      } while (!inFlight.add(user));
      String chosen = user;
      long t0 = System.nanoTime();
      send(chosen, t0).onComplete(ar -> {
        inFlight.remove(chosen);
        if (ar.failed() || ar.result().statusCode() != 200) {
          failed.incrementAndGet();
        } else if (trips != null) {
          trips.add((System.nanoTime() - t0) / 1e6);
        }
        answered.incrementAndGet();
      });
    }
    TestServer.awaitUntil("the emulator answered every change", Duration.ofSeconds(60),
        () -> answered.get() == count);
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " control requests that change a presence failed");
    }
    total += count;
    return count;
  }

  /** Changes one user and waits until the emulator answered. */
  void changeNow(String user) throws Exception {
    HttpResponse<Buffer> response = TestServer.await(send(user, System.nanoTime()));
    if (response.statusCode() != 200) {
      throw new IllegalStateException("Changing " + user + ": " + response.bodyAsString());
    }
    total++;
  }

  private Future<HttpResponse<Buffer>> send(String user, long t0) {
    String[] next = STATES[(counts.merge(user, 1, Integer::sum) - 1) % STATES.length];
    made.computeIfAbsent(user, u -> Collections.synchronizedList(new ArrayList<>()))
        .add(next[0] + "/" + next[1]);
    sentAt.computeIfAbsent(user, u -> new ConcurrentLinkedDeque<>()).addLast(t0);
    return h.emulated.control.postAbs(h.emulated.emulator.baseUrl() + "/emulator/users/" + user + "/presence")
        .sendJsonObject(new JsonObject().put("availability", next[0]).put("activity", next[1]));
  }

  /** Every change made so far. */
  int total() {
    return total;
  }

  /**
   * The time from sending the change of this event's user to the event, in ms, matching the user's changes and events
   * in order; null when no change of the user is waiting for its event. Call from one thread.
   */
  Double latency(PresenceChanged event, long arrivedNanos) {
    ConcurrentLinkedDeque<Long> pending = sentAt.get(event.userId());
    Long at = pending == null ? null : pending.pollFirst();
    return at == null ? null : (arrivedNanos - at) / 1e6;
  }

  /** Per user, the changes made, in order. */
  Map<String, List<String>> made() {
    Map<String, List<String>> out = new HashMap<>();
    made.forEach((user, list) -> out.put(user, List.copyOf(list)));
    return out;
  }

  /** Per user, the presences these events carry, in the order given. */
  static Map<String, List<String>> seen(Collection<PresenceChanged> events) {
    Map<String, List<String>> out = new HashMap<>();
    for (PresenceChanged e : events) {
      Presence p = e.presence();
      out.computeIfAbsent(e.userId(), u -> new ArrayList<>()).add(p.availability() + "/" + p.activity());
    }
    return out;
  }

  /**
   * What differs between the changes made and these events, per user: missing, extra or out-of-order events; empty
   * when every change arrived once, in order per user.
   */
  Map<String, String> check(Collection<PresenceChanged> events) {
    Map<String, List<String>> made = made();
    Map<String, List<String>> seen = seen(events);
    Map<String, String> wrong = new TreeMap<>();
    made.forEach((user, changes) -> {
      List<String> got = seen.getOrDefault(user, List.of());
      if (!changes.equals(got)) {
        wrong.put(user, "made " + changes + ", seen " + got);
      }
    });
    seen.forEach((user, got) -> {
      if (!made.containsKey(user)) {
        wrong.put(user, "made nothing, seen " + got);
      }
    });
    return wrong;
  }

  /** How many users were changed more than once. */
  long repeated() {
    return made.values().stream().filter(l -> l.size() > 1).count();
  }
}
