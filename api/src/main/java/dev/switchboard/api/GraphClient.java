package dev.switchboard.api;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/**
 * App-only access to Microsoft Graph (or the emulator) for one tenant. The platform owns everything about
 * transport: tokens (one cached token per tenant, renewed before it expires), a {@code client-request-id} on
 * every request, retries of throttled (429) and unavailable (503, 504) requests honouring {@code Retry-After}
 * within a bounded budget, and retries of requests that certainly did not reach Graph.
 *
 * <p>{@code path} is relative to {@code graph.baseUrl} (e.g. {@code /communications/calls}); an absolute URL is
 * accepted only under that base, so a token never leaves for another host. Futures complete on the caller's
 * context. A non-2xx answer fails the future with a {@link GraphException} carrying Graph's status, error code,
 * message and {@code request-id}.
 */
public interface GraphClient {

  /** The tenant this client acts in. */
  String tenantId();

  /**
   * The client id of the bot application this client acts as ({@code graph.clientId}), e.g. the {@code sessionId}
   * Graph's {@code setPresence} wants; {@code null} when no application is configured.
   *
   * @since 2.2.0
   */
  default String clientId() {
    return null;
  }

  Future<GraphResponse> request(HttpMethod method, String path, JsonObject body);

  default Future<GraphResponse> get(String path) {
    return request(HttpMethod.GET, path, null);
  }

  /**
   * Sends an action or creates a resource. Not retried after a failure that may have reached Graph (only when
   * Graph answered 429/503/504, which means it did not process it, or when the connection was refused).
   */
  default Future<GraphResponse> post(String path, JsonObject body) {
    return request(HttpMethod.POST, path, body);
  }

  default Future<GraphResponse> patch(String path, JsonObject body) {
    return request(HttpMethod.PATCH, path, body);
  }

  default Future<GraphResponse> delete(String path) {
    return request(HttpMethod.DELETE, path, null);
  }
}
