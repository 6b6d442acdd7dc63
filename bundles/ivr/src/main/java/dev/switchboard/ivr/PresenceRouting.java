package dev.switchboard.ivr;

import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.presence.CachedPresence;
import dev.switchboard.api.presence.CachedPresences;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses the target of a presence-routed transfer ({@link Step.Routing}) from the presence bundle's cache, and says
 * why in a sentence for the transcript, e.g. "agent1 is Busy (InACall) since 10:02:13; transferring to agent2
 * (Available since 09:58:40)". A user counts as available when Graph shows {@code Available} (not
 * {@code AvailableIdle}); a user the cache does not know counts as unavailable.
 */
final class PresenceRouting {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  /**
   * @param target the chosen target, or {@code null}: go to the fallback
   * @param reason why, for the transcript
   */
  record Decision(JsonObject target, String reason) {
  }

  private PresenceRouting() {
  }

  /** The user ids of the targets, in order. */
  static List<String> userIds(Step.Routing routing) {
    return routing.targets().stream().map(t -> t.getString("user")).toList();
  }

  static Decision choose(Step.Routing routing, CachedPresences cached) {
    Map<String, CachedPresence> byUser = new HashMap<>();
    cached.value().forEach(c -> byUser.put(c.userId(), c));
    List<JsonObject> available = routing.targets().stream()
        .filter(t -> byUser.containsKey(t.getString("user")) && byUser.get(t.getString("user")).presence().available())
        .toList();
    JsonObject chosen;
    if (available.isEmpty()) {
      chosen = null;
    } else if (Step.Routing.LONGEST_AVAILABLE.equals(routing.strategy())) {
      chosen = available.stream().min(Comparator.comparing(t -> byUser.get(t.getString("user")).availabilitySince()))
          .orElseThrow();
    } else {
      chosen = available.get(0);
    }
    // Who was passed over: everyone else for longestAvailable, those before the chosen one for firstAvailable.
    boolean longest = Step.Routing.LONGEST_AVAILABLE.equals(routing.strategy());
    int end = chosen == null || longest ? routing.targets().size() : routing.targets().indexOf(chosen);
    List<String> others = new ArrayList<>();
    for (JsonObject t : routing.targets().subList(0, end)) {
      if (t != chosen) {
        others.add(describe(t, byUser.get(t.getString("user"))));
      }
    }
    String before = String.join("; ", others);
    if (chosen == null) {
      return new Decision(null, "nobody is available (" + before + "); going to " + fallback(routing));
    }
    CachedPresence c = byUser.get(chosen.getString("user"));
    String choice = "transferring to " + name(chosen) + " (" + c.presence().availability() + " since "
        + TIME.format(c.availabilitySince()) + (longest ? ", the longest" : "") + ")";
    return new Decision(chosen, before.isEmpty() ? choice : before + "; " + choice);
  }

  /** The presence bundle did not answer (not installed, or too slow): nobody can be chosen. */
  static Decision unanswered(Step.Routing routing, Throwable failure) {
    return new Decision(null, "the presence bundle did not answer within " + routing.presenceTimeoutMs() + " ms ("
        + SwitchboardException.from(failure).getMessage() + "); going to " + fallback(routing));
  }

  private static String describe(JsonObject target, CachedPresence c) {
    if (c == null) {
      return name(target) + "'s presence is unknown (not watched by the presence bundle)";
    }
    return name(target) + " is " + c.presence().availability() + " (" + c.presence().activity() + ") since "
        + TIME.format(c.availabilitySince());
  }

  private static String fallback(Step.Routing routing) {
    return routing.fallback() == null ? "hangup" : routing.fallback();
  }

  static String name(JsonObject target) {
    String name = target.getString("displayName");
    return name != null ? name : target.getString("user");
  }

  /** For tests: the instant formatted as the reasons show it. */
  static String time(Instant at) {
    return TIME.format(at);
  }
}
