package dev.switchboard.emulator.presence;

import dev.switchboard.emulator.world.Directory;
import dev.switchboard.emulator.world.EmulatedClock;
import dev.switchboard.emulator.world.EmulatedTimers;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every user's presence as Graph models it (graph-reference §6): presence sessions, the user's
 * preferred presence and status message, and the presence the user shows, computed from them.
 *
 * <p>Sessions: the app's session (id = the app's client id, from {@code setPresence}) and the user's
 * own Teams client (what the control API reports through {@link Directory#setPresence} or a
 * registration; it neither idles nor expires). The shown presence is, in order:
 * <ol>
 *   <li>no session: {@code Offline/Offline} once the user ever had one, else none ({@code null});
 *   <li>the preferred presence, while it has not expired;
 *   <li>the session that ranks highest: DoNotDisturb &gt; Busy &gt; BusyIdle &gt; Available &gt;
 *       AvailableIdle &gt; BeRightBack &gt; Away &gt; Offline &gt; PresenceUnknown.
 * </ol>
 * An app session set {@code Available} shows {@code AvailableIdle/Inactive} {@link #IDLE_AFTER} after
 * it was set and {@code Away/Away} {@link #AWAY_AFTER} after it was set; a session ends at its
 * expiration. Times are on the emulated clock; a timer recomputes the user at the next of them, and
 * every change of what a user shows goes to {@link Directory#showPresence}, which tells the
 * subscriptions.
 *
 * <p>Not thread-safe: used only on the emulator's event-loop context.
 */
public final class PresenceBook {

  /** An Available app session shows AvailableIdle this long after it was set (graph-reference §6: 5 min). */
  public static final Duration IDLE_AFTER = Duration.ofMinutes(5);
  /** ... and Away this long after it was set (another 5 min). */
  public static final Duration AWAY_AFTER = Duration.ofMinutes(10);

  private static final List<String> RANK = List.of("DoNotDisturb", "Busy", "BusyIdle", "Available", "AvailableIdle",
      "BeRightBack", "Away", "Offline", "PresenceUnknown");

  /** A presence session or a preferred presence: a pair and until when it holds ({@code null}: never ends). */
  record Held(String availability, String activity, Instant since, Instant until) {
    boolean over(Instant now) {
      return until != null && !now.isBefore(until);
    }
  }

  private static final class User {
    Held client;
    final Map<String, Held> sessions = new LinkedHashMap<>();
    Held preferred;
    JsonObject statusMessage;
    boolean everShown;
    long timer = -1;
  }

  private final EmulatedTimers timers;
  private final EmulatedClock clock;
  private final Directory directory;
  private final Map<String, User> users = new HashMap<>();

  public PresenceBook(EmulatedTimers timers, Directory directory) {
    this.timers = timers;
    this.clock = timers.clock();
    this.directory = directory;
    directory.presenceModel(this::reported);
  }

  /** Forgets every session, preferred presence and status message, and stops every timer. */
  public void reset() {
    users.values().forEach(u -> timers.cancelTimer(u.timer));
    users.clear();
  }

  /** Opens or replaces an app's presence session of a user, then shows the result. */
  void setSession(String userId, String sessionId, String availability, String activity, Duration expiration) {
    Instant now = clock.now();
    user(userId).sessions.put(sessionId, new Held(availability, activity, now, now.plus(expiration)));
    refresh(userId);
  }

  /** Ends an app's session; returns false when the user has no such (live) session. */
  boolean clearSession(String userId, String sessionId) {
    User u = users.get(userId);
    Held s = u == null ? null : u.sessions.get(sessionId);
    if (s == null || s.over(clock.now())) {
      return false;
    }
    u.sessions.remove(sessionId);
    refresh(userId);
    return true;
  }

  void setPreferred(String userId, String availability, String activity, Duration expiration) {
    Instant now = clock.now();
    user(userId).preferred = new Held(availability, activity, now, now.plus(expiration));
    refresh(userId);
  }

  void clearPreferred(String userId) {
    User u = users.get(userId);
    if (u != null && u.preferred != null) {
      u.preferred = null;
      refresh(userId);
    }
  }

  void setStatusMessage(String userId, JsonObject statusMessage) {
    user(userId).statusMessage = statusMessage.copy();
  }

  /** The user's status message as set, or empty. */
  Optional<JsonObject> statusMessage(String userId) {
    User u = users.get(userId);
    return Optional.ofNullable(u == null || u.statusMessage == null ? null : u.statusMessage.copy());
  }

  /** The directory's hook: the user's Teams client reports {@code presence} (null: no news); returns what to show. */
  private JsonObject reported(String userId, JsonObject presence) {
    if (!known(userId)) {
      forget(userId); // a new registration: a removed user's sessions do not come back with the id
    }
    User u = user(userId);
    if (presence != null) {
      u.client = new Held(presence.getString("availability"), presence.getString("activity"), clock.now(), null);
    }
    return computeAndArm(userId, u);
  }

  private void refresh(String userId) {
    directory.showPresence(userId, computeAndArm(userId, user(userId)));
  }

  /** What the user shows now; arms the timer for the next change of it. */
  private JsonObject computeAndArm(String userId, User u) {
    Instant now = clock.now();
    u.sessions.values().removeIf(s -> s.over(now));
    if (u.preferred != null && u.preferred.over(now)) {
      u.preferred = null;
    }
    List<Held> live = new ArrayList<>();
    u.sessions.values().forEach(s -> live.add(shownNow(s, now)));
    if (u.client != null) {
      live.add(u.client);
    }
    JsonObject shown;
    if (live.isEmpty()) {
      shown = u.everShown ? pair("Offline", "Offline") : null;
    } else if (u.preferred != null) {
      shown = pair(u.preferred.availability(), u.preferred.activity());
    } else {
      Held top = live.stream().min(Comparator.comparingInt(h -> RANK.indexOf(h.availability()))).orElseThrow();
      shown = pair(top.availability(), top.activity());
    }
    u.everShown |= shown != null;
    arm(userId, u, now);
    return shown;
  }

  /** An app session as it shows at {@code now}: an Available one idles, then turns Away. */
  private static Held shownNow(Held s, Instant now) {
    if (!s.availability().equals("Available")) {
      return s;
    }
    if (!now.isBefore(s.since().plus(AWAY_AFTER))) {
      return new Held("Away", "Away", s.since(), s.until());
    }
    if (!now.isBefore(s.since().plus(IDLE_AFTER))) {
      return new Held("AvailableIdle", "Inactive", s.since(), s.until());
    }
    return s;
  }

  private void arm(String userId, User u, Instant now) {
    timers.cancelTimer(u.timer);
    u.timer = -1;
    Instant next = null;
    List<Instant> moments = new ArrayList<>();
    for (Held s : u.sessions.values()) {
      moments.add(s.until());
      if (s.availability().equals("Available")) {
        moments.add(s.since().plus(IDLE_AFTER));
        moments.add(s.since().plus(AWAY_AFTER));
      }
    }
    if (u.preferred != null) {
      moments.add(u.preferred.until());
    }
    for (Instant m : moments) {
      if (m != null && m.isAfter(now) && (next == null || m.isBefore(next))) {
        next = m;
      }
    }
    if (next != null) {
      // one emulated millisecond late, so that the moment has passed when the timer recomputes
      u.timer = timers.setTimer(Duration.between(now, next).plusMillis(1), t -> {
        u.timer = -1;
        if (users.get(userId) != u) {
          return;
        }
        if (known(userId)) {
          refresh(userId);
        } else {
          forget(userId);
        }
      });
    }
  }

  private boolean known(String userId) {
    return directory.find(userId).filter(d -> userId.equals(d.id())).isPresent();
  }

  private void forget(String userId) {
    User u = users.remove(userId);
    if (u != null) {
      timers.cancelTimer(u.timer);
    }
  }

  private User user(String userId) {
    return users.computeIfAbsent(userId, k -> new User());
  }

  static JsonObject pair(String availability, String activity) {
    return new JsonObject().put("availability", availability).put("activity", activity);
  }
}
