package dev.switchboard.emulator.subscriptions;

import dev.switchboard.emulator.http.GraphException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a subscription watches, parsed from its {@code resource} (graph-reference §8.1, §8.5):
 * all call records, one user's presence, or the presence of a list of users.
 *
 * @param kind what kind of resource
 * @param userIds the users whose presence is watched (empty for call records)
 */
record SubscribedResource(Kind kind, Set<String> userIds) {

  /** The resource kinds the emulator accepts subscriptions for. */
  enum Kind {
    /** {@code /communications/callRecords}: 4,230 minutes, created and updated. */
    CALL_RECORDS("callRecord", Duration.ofMinutes(4230), Set.of("created", "updated"), false),
    /** {@code communications/presences/{id}} or {@code /communications/presences?$filter=id in (...)}: 60 minutes, updated. */
    PRESENCE("presence", Duration.ofMinutes(60), Set.of("updated"), true);

    final String label;
    final Duration maxLifetime;
    final Set<String> changeTypes;
    /** Whether its notifications can include resource data (Graph's list of such resources has presence, not callRecords). */
    final boolean resourceData;

    Kind(String label, Duration maxLifetime, Set<String> changeTypes, boolean resourceData) {
      this.label = label;
      this.maxLifetime = maxLifetime;
      this.changeTypes = changeTypes;
      this.resourceData = resourceData;
    }
  }

  /** Graph's limit on the ids of one presence subscription. */
  static final int MAX_PRESENCE_IDS = 650;

  private static final Pattern CALL_RECORDS = Pattern.compile("communications/callRecords/?", Pattern.CASE_INSENSITIVE);
  private static final Pattern ONE_PRESENCE = Pattern.compile("communications/presences/([^/?'\"()\\s]+)",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern PRESENCE_FILTER = Pattern.compile(
      "communications/presences/?\\?\\$filter=\\s*id\\s+in\\s*\\((.*)\\)\\s*", Pattern.CASE_INSENSITIVE);
  private static final Pattern QUOTED_ID = Pattern.compile("\\s*'([^']+)'\\s*");
  private static final String SUPPORTED = "/communications/callRecords, communications/presences/{id} and"
      + " /communications/presences?$filter=id in ('{id1}','{id2}')";

  SubscribedResource {
    userIds = Set.copyOf(userIds);
  }

  /**
   * Parses a subscription's {@code resource}, with or without the leading slash.
   *
   * @throws GraphException 400 naming the supported resources when it is none of them
   */
  static SubscribedResource parse(String resource) {
    String r = resource.startsWith("/") ? resource.substring(1) : resource;
    if (CALL_RECORDS.matcher(r).matches()) {
      return new SubscribedResource(Kind.CALL_RECORDS, Set.of());
    }
    Matcher one = ONE_PRESENCE.matcher(r);
    if (one.matches()) {
      return new SubscribedResource(Kind.PRESENCE, Set.of(one.group(1)));
    }
    Matcher many = PRESENCE_FILTER.matcher(r);
    if (many.matches()) {
      Set<String> ids = new LinkedHashSet<>();
      for (String item : many.group(1).split(",", -1)) {
        Matcher q = QUOTED_ID.matcher(item);
        if (!q.matches()) {
          throw new GraphException(400, "InvalidRequest", "The $filter of resource '" + resource
              + "' must list quoted user ids: id in ('{id1}','{id2}'); '" + item.trim() + "' is not one.");
        }
        ids.add(q.group(1));
      }
      if (ids.size() > MAX_PRESENCE_IDS) {
        throw new GraphException(400, "InvalidRequest", "A presence subscription can watch at most " + MAX_PRESENCE_IDS
            + " users; resource '" + resource + "' lists " + ids.size() + ".");
      }
      return new SubscribedResource(Kind.PRESENCE, ids);
    }
    throw new GraphException(400, "InvalidRequest", "Resource '" + resource + "' is not supported. The emulator"
        + " accepts subscriptions to " + SUPPORTED + ".");
  }

  /**
   * Parses a {@code changeType} list and checks it against what this kind of resource supports.
   *
   * @return the change types, in the given order, without duplicates
   * @throws GraphException 400 for an empty list, an unknown value or one the resource does not support
   */
  List<String> changeTypes(String changeType) {
    List<String> out = new ArrayList<>();
    for (String raw : changeType.split(",", -1)) {
      String t = raw.trim();
      if (!Set.of("created", "updated", "deleted").contains(t)) {
        throw new GraphException(400, "InvalidRequest", "changeType must be a comma-separated list of created, updated"
            + " and deleted; got '" + changeType + "'.");
      }
      if (!kind.changeTypes.contains(t)) {
        throw new GraphException(400, "InvalidRequest", "changeType '" + t + "' is not supported for " + kind.label
            + " subscriptions; they support " + String.join(", ", kind.changeTypes.stream().sorted().toList()) + ".");
      }
      if (!out.contains(t)) {
        out.add(t);
      }
    }
    return out;
  }

  /** Whether a change to the presence of {@code userId} concerns this subscription. */
  boolean watchesPresenceOf(String userId) {
    return kind == Kind.PRESENCE && userIds.contains(userId);
  }
}
