package dev.switchboard.presence;

import dev.switchboard.api.ApiRequest;
import dev.switchboard.api.ApiResponse;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.presence.CachedPresence;
import dev.switchboard.api.presence.CachedPresences;
import dev.switchboard.api.presence.PresenceCommand;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * The presence REST API under {@code /api/v1/presence} (scopes {@code presence:read}, {@code presence:write}): each
 * route builds a {@link PresenceCommand} and answers its reply. Graph's refusals keep Graph's status, code and message.
 */
final class PresenceRoutes {

  private static final String READ = "presence:read";
  private static final String WRITE = "presence:write";

  private final PluginContext context;
  private final PresenceCommands commands;
  private final GraphPresence graph;

  PresenceRoutes(PluginContext context, PresenceCommands commands, GraphPresence graph) {
    this.context = context;
    this.commands = commands;
    this.graph = graph;
  }

  void register() {
    context.route(HttpMethod.GET, "/presence/watches", READ, r -> run(new PresenceCommand.ListWatches()));
    context.route(HttpMethod.POST, "/presence/watches", WRITE, r -> run(new PresenceCommand.Watch(
        userIds(r.bodyAsJson(), "userIds"))));
    context.route(HttpMethod.DELETE, "/presence/watches/:userId", WRITE, r -> run(new PresenceCommand.Unwatch(
        List.of(r.pathParam("userId")))));
    context.route(HttpMethod.POST, "/presence/batch", READ, this::batch);
    context.route(HttpMethod.GET, "/presence/:userId", READ, this::one);
    action("setPresence", (id, b) -> new PresenceCommand.SetPresence(id, string(b, "availability"),
        string(b, "activity"), optional(b, "expirationDuration")));
    action("clearPresence", (id, b) -> new PresenceCommand.ClearPresence(id));
    action("setPreferredPresence", (id, b) -> new PresenceCommand.SetPreferredPresence(id,
        string(b, "availability"), string(b, "activity"), optional(b, "expirationDuration")));
    action("clearPreferredPresence", (id, b) -> new PresenceCommand.ClearPreferredPresence(id));
    action("setStatusMessage", (id, b) -> new PresenceCommand.SetStatusMessage(id, string(b, "message"),
        instant(optional(b, "expiresAt"))));
  }

  /** {@code ?cached=true}: from memory, with {@code ageMs}; else from Graph. */
  private Future<ApiResponse> one(ApiRequest r) {
    String userId = r.pathParam("userId");
    if (!cached(r)) {
      return graph.get(userId).map(p -> ApiResponse.ok(p.toJson()));
    }
    CachedPresences found = commands.cached(List.of(userId));
    if (found.value().isEmpty()) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.NOT_FOUND, "notCached", "User " + userId
          + " is not watched (or not read yet), so nothing is cached; POST /api/v1/presence/watches watches it, or "
          + "leave out cached=true to read Graph."));
    }
    return Future.succeededFuture(ApiResponse.ok(withAge(found.value().get(0))));
  }

  /** {@code {"ids": [...]}}: {@code getPresencesByUserId} in requests of 650 (Graph's limit), or the cache with {@code ?cached=true}. */
  private Future<ApiResponse> batch(ApiRequest r) {
    List<String> ids = userIds(r.bodyAsJson(), "ids");
    if (cached(r)) {
      CachedPresences found = commands.cached(ids);
      return Future.succeededFuture(ApiResponse.ok(new JsonObject()
          .put("value", new JsonArray(found.value().stream().map(PresenceRoutes::withAge).toList()))
          .put("notCached", new JsonArray(found.notCached()))));
    }
    return run(new PresenceCommand.Fetch(ids));
  }

  private void action(String name, Builder builder) {
    context.route(HttpMethod.POST, "/presence/:userId/" + name, WRITE, r -> {
      JsonObject body = r.body().length() == 0 ? new JsonObject() : r.bodyAsJson();
      return commands.run(builder.build(r.pathParam("userId"), body)).map(reply -> ApiResponse.noContent());
    });
  }

  @FunctionalInterface
  private interface Builder {
    PresenceCommand build(String userId, JsonObject body);
  }

  private Future<ApiResponse> run(PresenceCommand command) {
    return commands.run(command).map(ApiResponse::ok);
  }

  private static boolean cached(ApiRequest r) {
    return "true".equalsIgnoreCase(r.queryParam("cached"));
  }

  private static JsonObject withAge(CachedPresence cached) {
    return cached.toJson().put("ageMs", cached.age(Instant.now()).toMillis());
  }

  /** The ids as given (Graph judges their number), after checking that they are strings. */
  private static List<String> userIds(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (!(v instanceof JsonArray array) || array.isEmpty() || !array.stream().allMatch(o -> o instanceof String)) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "'" + field + "' must be a non-empty array of user ids.");
    }
    return array.stream().map(String.class::cast).toList();
  }

  private static String string(JsonObject body, String field) {
    String v = optional(body, field);
    if (v == null || v.isBlank()) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "'" + field + "' is required.");
    }
    return v;
  }

  private static Instant instant(String text) {
    try {
      return text == null ? null : Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "'expiresAt' must be an ISO-8601 instant such as "
          + "2030-01-01T17:00:00Z; got " + text + ".");
    }
  }

  private static String optional(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v != null && !(v instanceof String)) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "'" + field + "' must be a string.");
    }
    return (String) v;
  }
}
