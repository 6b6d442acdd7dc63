package dev.switchboard.platform.deploy;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.osgi.framework.Bundle;

/**
 * The Graph application permissions a bundle declares it needs, in its manifest header {@value #HEADER} (a
 * comma-separated list, e.g. {@code Calls.Initiate.All, Calls.AccessMedia.All}), compared with the roles the bot
 * application's Graph token carries: a missing one is reported before the first request it would refuse.
 */
final class GraphPermissions {

  /** The manifest header naming the permissions. */
  static final String HEADER = "Switchboard-Graph-Permissions";

  private GraphPermissions() {
  }

  /** The permissions {@code bundle} declares; empty when it declares none. */
  static List<String> declared(Bundle bundle) {
    String header = bundle.getHeaders("").get(HEADER);
    if (header == null || header.isBlank()) {
      return List.of();
    }
    return Arrays.stream(header.split(",")).map(String::trim).filter(p -> !p.isEmpty()).distinct().toList();
  }

  /**
   * One sentence per permission {@code bundle} declares and {@code granted} lacks (compared ignoring case, as Entra
   * does); empty when all are granted or the granted roles are not known yet ({@code null}).
   */
  static List<String> missing(Bundle bundle, String name, Set<String> granted) {
    if (granted == null) {
      return List.of();
    }
    Set<String> lower = granted.stream().map(String::toLowerCase).collect(java.util.stream.Collectors.toSet());
    return declared(bundle).stream().filter(p -> !lower.contains(p.toLowerCase()))
        .map(p -> name + " needs the Graph application permission " + p + ", which the bot's token does not carry;"
            + " grant it in the app registration (API permissions) and give admin consent")
        .toList();
  }
}
