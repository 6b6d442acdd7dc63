package dev.switchboard.platform.graph;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.GraphClient;
import dev.switchboard.api.GraphResponse;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/** What plugins get when no bot application is configured: every request fails saying what to configure. */
record UnconfiguredGraphClient(String tenantId) implements GraphClient {

  @Override
  public Future<GraphResponse> request(HttpMethod method, String path, JsonObject body) {
    return Future.failedFuture(new SwitchboardException(ErrorCode.NOT_READY, "graphNotConfigured",
        "Graph is not configured: set graph.tenantId, graph.clientId and graph.clientSecret (or run "
            + "'switchboard emulator' and paste the graph: section it prints)"));
  }
}
