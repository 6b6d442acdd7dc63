package dev.switchboard.presence;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.GraphClient;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.presence.PresenceCommand;
import dev.switchboard.api.presence.Presence;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Graph's presence operations (graph-reference §6), as the bot application. Graph's refusals pass through unchanged
 * as {@link dev.switchboard.api.GraphException}s (its status, code and message).
 */
final class GraphPresence {

  private final GraphClient graph;
  private final String sessionId;

  /** @param sessionId the {@code setPresence} session id (the application's client id), or {@code null} if unknown */
  GraphPresence(GraphClient graph, String sessionId) {
    this.graph = graph;
    this.sessionId = sessionId;
  }

  /** One user's presence ({@code GET /users/{id}/presence}). */
  Future<Presence> get(String userId) {
    return graph.get(user(userId)).map(r -> fromGraph(r.body()));
  }

  /** One {@code getPresencesByUserId}, exactly as asked: Graph refuses more than 650 ids. */
  Future<List<Presence>> batch(List<String> userIds) {
    return graph.post("/communications/getPresencesByUserId", new JsonObject().put("ids", new JsonArray(userIds)))
        .map(r -> {
          List<Presence> out = new ArrayList<>();
          for (Object o : r.body().getJsonArray("value", new JsonArray())) {
            out.add(fromGraph((JsonObject) o));
          }
          return out;
        });
  }

  /**
   * Any number of users, in requests of 650 (Graph's limit), one after another (Graph's rate limit is per app); the
   * presences in the order asked. A refusal of any request fails the whole.
   */
  Future<List<Presence>> all(List<String> userIds) {
    List<Presence> out = new ArrayList<>(userIds.size());
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < userIds.size(); from += PresenceCommand.MAX_IDS) {
      List<String> chunk = userIds.subList(from, Math.min(userIds.size(), from + PresenceCommand.MAX_IDS));
      chain = chain.compose(v -> batch(chunk).map(out::addAll).mapEmpty());
    }
    return chain.map(v -> out);
  }

  Future<Void> set(PresenceCommand.SetPresence c) {
    return Future.<Void>succeededFuture().compose(v -> action(c.userId(), "setPresence", new JsonObject()
        .put("sessionId", session()).put("availability", c.availability()).put("activity", c.activity())
        .put("expirationDuration", c.expirationDuration())));
  }

  Future<Void> clear(PresenceCommand.ClearPresence c) {
    return Future.<Void>succeededFuture().compose(v -> action(c.userId(), "clearPresence", new JsonObject()
        .put("sessionId", session())));
  }

  Future<Void> setPreferred(PresenceCommand.SetPreferredPresence c) {
    return action(c.userId(), "setUserPreferredPresence", new JsonObject().put("availability", c.availability())
        .put("activity", c.activity()).put("expirationDuration", c.expirationDuration()));
  }

  Future<Void> clearPreferred(PresenceCommand.ClearPreferredPresence c) {
    return action(c.userId(), "clearUserPreferredPresence", new JsonObject());
  }

  Future<Void> setStatusMessage(PresenceCommand.SetStatusMessage c) {
    JsonObject status = new JsonObject().put("message", new JsonObject().put("content", c.message())
        .put("contentType", "text"));
    if (c.expiresAt() != null) {
      status.put("expiryDateTime", new JsonObject().put("dateTime", c.expiresAt().toString()).put("timeZone", "UTC"));
    }
    return action(c.userId(), "setStatusMessage", new JsonObject().put("statusMessage", status));
  }

  private Future<Void> action(String userId, String action, JsonObject body) {
    // Graph's defaults apply to fields left out, never to a null.
    body.getMap().values().removeIf(v -> v == null);
    return graph.post(user(userId) + "/" + action, body).mapEmpty();
  }

  private String session() {
    String id = sessionId != null ? sessionId : graph.clientId();
    if (id == null) {
      throw new SwitchboardException(ErrorCode.NOT_READY, "noSessionId", "setPresence needs the application's client"
          + " id as its sessionId; set graph.clientId (or plugins.presence.sessionId).");
    }
    return id;
  }

  private static String user(String userId) {
    return "/users/" + URLEncoder.encode(userId, StandardCharsets.UTF_8) + "/presence";
  }

  /** A presence resource as Graph serves it (also the decrypted resource data of a rich notification). */
  static Presence fromGraph(JsonObject json) {
    JsonObject status = json.getJsonObject("statusMessage");
    JsonObject message = status == null ? null : status.getJsonObject("message");
    return new Presence(json.getString("id"), json.getString("availability", "PresenceUnknown"),
        json.getString("activity", "PresenceUnknown"), message == null ? null : message.getString("content"));
  }
}
