package dev.switchboard.platform.audit;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * What an admin route handler adds to the audit entry of its request (e.g. the key a request created), so that the
 * entry says more than the method and path. Never a secret.
 */
public final class AuditDetails {

  /** Where in the routing context the details are kept. */
  static final String KEY = "switchboard.audit";

  private AuditDetails() {
  }

  /** Merges {@code details} into the audit entry of the admin request {@code ctx}. */
  public static void add(RoutingContext ctx, JsonObject details) {
    JsonObject existing = ctx.get(KEY);
    ctx.put(KEY, existing == null ? details.copy() : existing.mergeIn(details));
  }
}
