package dev.switchboard.api;

import io.vertx.core.Future;

/**
 * Handles a REST request routed to a plugin under {@code /api/v1}.
 *
 * <p>Called on the plugin's context. The returned future's value is written as the response. A
 * failure with a {@link SwitchboardException} is written as the platform's JSON error with the
 * exception's status and code; any other failure (or a thrown exception) as a 500 whose message tells
 * the client to look at the server log, where the cause is logged once.
 */
@FunctionalInterface
public interface ApiHandler {

  Future<ApiResponse> handle(ApiRequest request);
}
