package dev.switchboard.platform.http;

import dev.switchboard.api.ApiResponse;
import dev.switchboard.api.Caller;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * A plugin's REST route called from inside the server (the operator console reads {@code GET /ivr/flows} this way),
 * as {@code caller}, with no body: the same handler, context and errors as over HTTP, without the port.
 */
public final class InternalRequest {

  private InternalRequest() {
  }

  /** {@code GET path} (under {@code /api/v1}); 404 when no plugin serves it. */
  public static Future<ApiResponse> get(RouteTable routes, String path, Caller caller) {
    RouteTable.Match match = routes.find(HttpMethod.GET, path);
    if (!match.found()) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.NOT_FOUND, "notFound",
          "No plugin serves GET " + PublicServer.API_PREFIX + path + "; is the bundle that serves it active?"));
    }
    try {
      return match.target().dispatch(new RoutedRequest(HttpMethod.GET, path, match.params(), MultiMap.caseInsensitiveMultiMap(),
          MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(), caller));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
