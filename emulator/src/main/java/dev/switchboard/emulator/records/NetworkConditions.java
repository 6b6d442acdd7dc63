package dev.switchboard.emulator.records;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The network a participant's audio crossed, as the call record's streams report it: averages, from
 * which the maxima are derived. {@link #GOOD} is a healthy wired call; the control API
 * ({@code POST /emulator/calls/{id}/network}) replaces any of the values for a call or one participant.
 *
 * @param packetLossRate average packet loss rate, a fraction (0-1)
 * @param jitterMs average jitter, milliseconds
 * @param roundTripMs average round trip, milliseconds
 * @param concealedRatio average ratio of concealed samples, a fraction (0-1)
 * @param audioDegradation average audio degradation, in MOS points (0-5)
 * @param connectionType the {@code connectionType} of the session's networks: {@code wired}, {@code wifi},
 *     {@code mobile}, {@code tunnel} or {@code unknown}
 * @param subnet the {@code subnet} of the session's networks, an IPv4 address
 */
public record NetworkConditions(double packetLossRate, double jitterMs, double roundTripMs, double concealedRatio,
    double audioDegradation, String connectionType, String subnet) {

  private static final Set<String> FIELDS = Set.of("packetLossRate", "jitterMs", "roundTripMs",
      "concealedRatio", "audioDegradation", "connectionType", "subnet", "participantId");
  private static final Set<String> CONNECTION_TYPES = Set.of("wired", "wifi", "mobile", "tunnel", "unknown");
  private static final java.util.regex.Pattern IPV4 =
      java.util.regex.Pattern.compile("((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])");

  // After the sets above: the constructor reads them.
  /** A good call: well under every threshold of Microsoft's Call Quality Dashboard. */
  public static final NetworkConditions GOOD = new NetworkConditions(0.002, 6, 42, 0.008, 0.25, "wired",
      "10.150.0.0");

  public NetworkConditions {
    check("packetLossRate", packetLossRate, 1);
    check("jitterMs", jitterMs, 10_000);
    check("roundTripMs", roundTripMs, 60_000);
    check("concealedRatio", concealedRatio, 1);
    check("audioDegradation", audioDegradation, 5);
    if (!CONNECTION_TYPES.contains(connectionType)) {
      throw new IllegalArgumentException("connectionType must be one of " + new java.util.TreeSet<>(CONNECTION_TYPES)
          + "; got " + connectionType + ".");
    }
    if (subnet == null || !IPV4.matcher(subnet).matches()) {
      throw new IllegalArgumentException("subnet must be an IPv4 address such as 192.168.1.0; got " + subnet + ".");
    }
  }

  /**
   * These conditions with the values {@code body} gives replaced ({@code participantId} is ignored).
   *
   * @throws IllegalArgumentException for an unknown field, a value that is not a number or out of range
   */
  public NetworkConditions with(JsonObject body) {
    for (String f : body.fieldNames()) {
      if (!FIELDS.contains(f)) {
        throw new IllegalArgumentException("Unknown field '" + f + "'; expected " + FIELDS + ".");
      }
    }
    return new NetworkConditions(number(body, "packetLossRate", packetLossRate), number(body, "jitterMs", jitterMs),
        number(body, "roundTripMs", roundTripMs), number(body, "concealedRatio", concealedRatio),
        number(body, "audioDegradation", audioDegradation), text(body, "connectionType", connectionType),
        text(body, "subnet", subnet));
  }

  public JsonObject toJson() {
    return new JsonObject().put("packetLossRate", packetLossRate).put("jitterMs", jitterMs)
        .put("roundTripMs", roundTripMs).put("concealedRatio", concealedRatio).put("audioDegradation", audioDegradation)
        .put("connectionType", connectionType).put("subnet", subnet);
  }

  private static String text(JsonObject body, String name, String otherwise) {
    Object v = body.getValue(name);
    if (v == null) {
      return otherwise;
    }
    if (!(v instanceof String text)) {
      throw new IllegalArgumentException(name + " must be a string; got " + v + ".");
    }
    return text;
  }

  private static double number(JsonObject body, String name, double otherwise) {
    Object v = body.getValue(name);
    if (v == null) {
      return otherwise;
    }
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException(name + " must be a number; got " + v + ".");
    }
    return n.doubleValue();
  }

  private static void check(String name, double v, double max) {
    if (!(v >= 0 && v <= max)) {
      throw new IllegalArgumentException(name + " must be between 0 and " + max + "; got " + v + ".");
    }
  }
}
