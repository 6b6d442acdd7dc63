package dev.switchboard.records;

import dev.switchboard.api.GraphClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads from Graph's {@code /communications/callRecords}: a record with all its sessions and their segments (following
 * every {@code sessions@odata.nextLink}), and the PSTN and Direct Routing logs of a range (following
 * {@code @odata.nextLink}). Throttling and unavailability are retried by the platform's {@link GraphClient}; what
 * still fails fails the future with a {@link dev.switchboard.api.GraphException}.
 */
final class GraphRecords {

  /** Graph's record ids are GUIDs; anything that could leave the path is refused before a request is made. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,128}");

  private final GraphClient graph;

  GraphRecords(GraphClient graph) {
    this.graph = graph;
  }

  static boolean isRecordId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** The record with every session and segment, as one JSON object ({@code sessions} holds all pages). */
  Future<JsonObject> record(String id) {
    if (!isRecordId(id)) {
      return Future.failedFuture(new IllegalArgumentException("'" + id + "' is not a callRecord id"));
    }
    return graph.get("/communications/callRecords/" + id + "?$expand=sessions($expand=segments)")
        .compose(r -> {
          JsonObject record = usable(id, r.body());
          if (record.getValue("sessions") == null) {
            record.put("sessions", new JsonArray());
          }
          return morePages(record.getJsonArray("sessions"), (String) record.remove("sessions@odata.nextLink"))
              .map(record);
        });
  }

  /**
   * Graph's answer when it can be paged through: an object with an {@code id}, {@code sessions} an array and
   * {@code sessions@odata.nextLink} a string when present. The platform reads a body that is not JSON as an empty
   * object.
   *
   * @throws IllegalArgumentException saying what is wrong (the record is then dropped, not retried)
   */
  private static JsonObject usable(String id, JsonObject body) {
    if (body.getValue("id") == null) {
      throw new IllegalArgumentException("Graph answered GET callRecords/" + id + " with a body that is no"
          + " callRecord (empty, not JSON, or without 'id')");
    }
    Object sessions = body.getValue("sessions");
    if (sessions != null && !(sessions instanceof JsonArray)) {
      throw new IllegalArgumentException("malformed callRecord " + id + ": 'sessions' must be an array; got "
          + RecordParser.describe(sessions));
    }
    Object next = body.getValue("sessions@odata.nextLink");
    if (next != null && !(next instanceof String)) {
      throw new IllegalArgumentException("malformed callRecord " + id + ": 'sessions@odata.nextLink' must be a"
          + " string; got " + RecordParser.describe(next));
    }
    return body;
  }

  /** Rows of {@code getPstnCalls} or {@code getDirectRoutingCalls} for {@code [from, to]}, every page. */
  Future<List<JsonObject>> logRows(String function, Instant from, Instant to) {
    JsonArray rows = new JsonArray();
    return graph.get("/communications/callRecords/" + function + "(fromDateTime=" + from + ",toDateTime=" + to + ")")
        .compose(r -> {
          rows.addAll(r.body().getJsonArray("value", new JsonArray()));
          return morePages(rows, r.body().getString("@odata.nextLink"));
        })
        .map(v -> {
          List<JsonObject> list = new ArrayList<>();
          rows.forEach(o -> list.add((JsonObject) o));
          return list;
        });
  }

  private Future<Void> morePages(JsonArray into, String next) {
    if (next == null) {
      return Future.succeededFuture();
    }
    return graph.get(next).compose(page -> {
      Object value = page.body().getValue("value");
      Object more = page.body().getValue("@odata.nextLink");
      if (value != null && !(value instanceof JsonArray) || more != null && !(more instanceof String)) {
        return Future.failedFuture(new IllegalArgumentException("malformed page " + next + ": 'value' must be an"
            + " array and '@odata.nextLink' a string; got " + RecordParser.describe(value) + " and "
            + RecordParser.describe(more)));
      }
      into.addAll(value == null ? new JsonArray() : (JsonArray) value);
      return morePages(into, (String) more);
    });
  }
}
