package dev.switchboard.emulator.permissions;

import dev.switchboard.emulator.http.GraphException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How Graph words a 403 for a token that lacks a permission, which differs by API area. Every
 * message then names what is missing and which roles the token has, in the form Graph's Teams
 * workloads use ("API requires one of '...'. Roles on the request '...'."), and says how to grant it
 * in the emulator.
 */
enum Refusal {

  /**
   * The calling service ({@code /communications/calls}): code {@code 7504}, "Insufficient enterprise
   * tenant permissions, cannot access this API." (what Graph answers a bot whose calling permissions
   * are not consented; microsoft-graph-comms-samples issues 224 and 276).
   */
  CALLING {
    @Override
    GraphException refuse(String method, String path, String missing) {
      return new GraphException(403, "7504", "Insufficient enterprise tenant permissions, cannot access this API. " + missing);
    }
  },

  /**
   * {@code /subscriptions}: code {@code ExtensionError}, "Operation: Create; Exception: [Status Code:
   * Forbidden; Reason: ...]", the form Graph gives the failures of the resource behind a subscription.
   */
  SUBSCRIPTIONS {
    @Override
    GraphException refuse(String method, String path, String missing) {
      return new GraphException(403, "ExtensionError", "Operation: " + subscriptionOperation(method, path)
          + "; Exception: [Status Code: Forbidden; Reason: " + missing + "]");
    }
  },

  /** Presence, online meetings, call records: code {@code Forbidden}, "Missing role permissions on the request. ...". */
  GRAPH {
    @Override
    GraphException refuse(String method, String path, String missing) {
      return new GraphException(403, "Forbidden", missing);
    }
  };

  private static final String HOW_TO_GRANT = " The emulator's application must be granted it (switchboard emulator"
      + " --roles, or POST /emulator/roles/grant) before the token is issued: a token carries the roles granted when it"
      + " was issued, so get a new one.";

  /**
   * The 403 for a request whose token's {@code roles} meet none of the permissions of each of {@code unmet}.
   *
   * @param unmet the clauses not met (each: any one of these would do)
   * @param roles the {@code roles} of the presented token
   */
  GraphException refuse(String method, String path, List<Set<GraphPermission>> unmet, Collection<String> roles) {
    String requires = unmet.stream().map(c -> "one of '" + GraphPermission.names(c) + "'").collect(Collectors.joining(" and "));
    return refuse(method, path, "Missing role permissions on the request. API requires " + requires
        + ". Roles on the request '" + String.join(", ", roles) + "'." + HOW_TO_GRANT);
  }

  abstract GraphException refuse(String method, String path, String missing);

  private static String subscriptionOperation(String method, String path) {
    return switch (method) {
      case "POST" -> path.toLowerCase(Locale.ROOT).endsWith("/reauthorize") ? "Reauthorize" : "Create";
      case "PATCH" -> "Update";
      case "DELETE" -> "Delete";
      default -> "Get";
    };
  }
}
