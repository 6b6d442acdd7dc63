package dev.switchboard.emulator.permissions;

import dev.switchboard.emulator.http.PathPattern;
import io.vertx.core.json.JsonObject;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * One row of the {@link PermissionPolicy} table: the requests it covers and what they need.
 *
 * @param method the HTTP method, or {@code null} for any
 * @param path a glob over the request path ({@code *} one segment, {@code **} any)
 * @param refusal how Graph words the 403 in this API area
 * @param requirement what a covered request needs, from its path and its body (read on demand; null
 *     when the body is absent or not a JSON object: the route answers 400 for such a body anyway)
 */
record PermissionRule(String method, PathPattern path, Refusal refusal,
    BiFunction<String, Supplier<JsonObject>, Requirement> requirement) {

  boolean covers(String requestMethod, String requestPath) {
    return (method == null || method.equals(requestMethod)) && path.matches(requestPath);
  }

  @Override
  public String toString() {
    return (method == null ? "*" : method) + " " + path;
  }
}
