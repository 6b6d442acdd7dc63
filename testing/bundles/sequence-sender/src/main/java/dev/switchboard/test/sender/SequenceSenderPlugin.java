package dev.switchboard.test.sender;

import dev.switchboard.api.ApiRequest;
import dev.switchboard.api.ApiResponse;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test plugin: a load generator of keyed commands inside a cluster, for the sequence recorder
 * ({@code testing/bundles/sequence-recorder-v1}). Installed on every member; a benchmark starts a run on each member
 * and stops it, over REST (scope {@code sequence:write}):
 * <ul>
 *   <li>{@code PUT /api/v1/sequence-sender/runs/{name}} with {@code {"member": i, "next": j, "keys": k, "messages":
 *       m, "rate": r}}: member {@code i} keeps {@code k} keys going at once, {@code m} commands each, {@code r}
 *       commands/s in all on this member (0: as fast as answered). Each key is opened by member {@code j} (its first
 *       command sent there, so that member claims it) and continued from here: {@code m - 1} of {@code m} commands
 *       are forwarded to another member when {@code j != i}. Answered 201 once member {@code j}'s run answers.</li>
 *   <li>{@code DELETE /api/v1/sequence-sender/runs/{name}}: stops starting keys, lets each key in progress end, and
 *       answers every command this member sent (including the keys it opened for another member), with the commands
 *       sent again after a failure and the failures' error ids ({@link SenderRun#report}).</li>
 * </ul>
 */
public class SequenceSenderPlugin implements Plugin {

  private final Map<String, SenderRun> runs = new ConcurrentHashMap<>();
  /** Every run started, stopped or not: each serves its opener until the plugin stops. */
  private final List<SenderRun> started = new ArrayList<>();
  private PluginContext context;

  @Override
  public Future<Void> start(PluginContext context) {
    this.context = context;
    context.route(HttpMethod.PUT, "/sequence-sender/runs/:name", "sequence:write", this::startRun);
    context.route(HttpMethod.DELETE, "/sequence-sender/runs/:name", "sequence:write", this::stopRun);
    return Future.succeededFuture();
  }

  private Future<ApiResponse> startRun(ApiRequest request) {
    String name = request.pathParam("name");
    SenderRun.Settings settings;
    try {
      JsonObject body = request.bodyAsJson();
      settings = new SenderRun.Settings(name, body.getInteger("member"), body.getInteger("next"),
          body.getInteger("keys"), body.getInteger("messages", 10), body.getInteger("rate", 0));
    } catch (RuntimeException e) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidRun", "a run needs integer "
          + "member, next, keys (> 0), messages (> 0) and rate (>= 0): " + e.getMessage()));
    }
    SenderRun run = new SenderRun(context, settings);
    if (runs.putIfAbsent(name, run) != null) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.CONFLICT, "runExists", "run " + name
          + " is going on; DELETE it first"));
    }
    synchronized (started) {
      started.add(run);
    }
    return run.start().map(v -> ApiResponse.created(new JsonObject().put("name", name)));
  }

  private Future<ApiResponse> stopRun(ApiRequest request) {
    SenderRun run = runs.remove(request.pathParam("name"));
    if (run == null) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.NOT_FOUND, "noSuchRun", "no run "
          + request.pathParam("name") + " is going on here"));
    }
    return run.stop().map(ApiResponse::ok);
  }

  @Override
  public Future<Void> stop() {
    List<Future<?>> closed = new ArrayList<>();
    synchronized (started) {
      started.forEach(run -> closed.add(run.close()));
    }
    return Future.join(closed).mapEmpty();
  }
}
