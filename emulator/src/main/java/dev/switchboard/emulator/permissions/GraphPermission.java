package dev.switchboard.emulator.permissions;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Microsoft Graph application permissions (app roles) the emulator knows: those its routes
 * check (graph-reference §9) and the first-party bundles need. An access token carries the granted
 * ones, by {@link #scope() name}, in its {@code roles} claim.
 */
public enum GraphPermission {

  CALLS_INITIATE("Calls.Initiate.All"),
  CALLS_INITIATE_GROUP_CALL("Calls.InitiateGroupCall.All"),
  CALLS_JOIN_GROUP_CALL("Calls.JoinGroupCall.All"),
  CALLS_JOIN_GROUP_CALL_AS_GUEST("Calls.JoinGroupCallAsGuest.All"),
  CALLS_ACCESS_MEDIA("Calls.AccessMedia.All"),
  ONLINE_MEETINGS_READ_WRITE("OnlineMeetings.ReadWrite.All"),
  ONLINE_MEETINGS_READ("OnlineMeetings.Read.All"),
  PRESENCE_READ("Presence.Read.All"),
  PRESENCE_READ_WRITE("Presence.ReadWrite.All"),
  CALL_RECORDS_READ("CallRecords.Read.All");

  private final String scope;

  GraphPermission(String scope) {
    this.scope = scope;
  }

  /** The permission's name as Entra ID writes it in the {@code roles} claim, such as {@code Calls.Initiate.All}. */
  public String scope() {
    return scope;
  }

  /** Every permission: what the emulator's application is granted unless told otherwise. */
  public static Set<GraphPermission> all() {
    return EnumSet.allOf(GraphPermission.class);
  }

  /**
   * The permission with this name (ignoring case).
   *
   * @throws IllegalArgumentException naming the valid permissions when there is none
   */
  public static GraphPermission named(String name) {
    String n = name == null ? "" : name.trim();
    return Arrays.stream(values()).filter(p -> p.scope.toLowerCase(Locale.ROOT).equals(n.toLowerCase(Locale.ROOT)))
        .findFirst().orElseThrow(() -> new IllegalArgumentException("Unknown application permission '" + n
            + "'. Valid permissions: " + names(all()) + "."));
  }

  /**
   * The permissions with these names, in declaration order.
   *
   * @throws IllegalArgumentException naming the valid permissions when one is unknown
   */
  public static Set<GraphPermission> named(Collection<String> names) {
    Set<GraphPermission> out = EnumSet.noneOf(GraphPermission.class);
    names.forEach(n -> out.add(named(n)));
    return out;
  }

  /** The names, comma separated, in declaration order (empty text for none). */
  public static String names(Collection<GraphPermission> permissions) {
    return permissions.stream().sorted().map(GraphPermission::scope).collect(Collectors.joining(", "));
  }
}
