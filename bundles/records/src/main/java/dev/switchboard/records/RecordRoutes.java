package dev.switchboard.records;

import dev.switchboard.api.ApiRequest;
import dev.switchboard.api.ApiResponse;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** The REST face of the stored records, under {@code /api/v1/records} (see {@code docs/records.md}). */
final class RecordRoutes {

  private static final String READ = "records:read";
  private static final String WRITE = "records:write";
  private static final Duration MAX_LOG_RANGE = Duration.ofDays(90);
  private static final List<String> CSV_COLUMNS = List.of("id", "version", "type", "startDateTime", "endDateTime",
      "durationSeconds", "poor", "reasons", "participants", "sessionCount", "streamCount");

  private final RecordQueries queries;
  private final PstnLogs logs;
  private final RecordIngest ingest;

  RecordRoutes(RecordQueries queries, PstnLogs logs, RecordIngest ingest) {
    this.queries = queries;
    this.logs = logs;
    this.ingest = ingest;
  }

  void register(PluginContext context) {
    context.route(HttpMethod.GET, "/records", READ, this::list);
    context.route(HttpMethod.GET, "/records/summary", READ, r -> queries.summary(time(r, "from"), time(r, "to"))
        .map(ApiResponse::ok));
    context.route(HttpMethod.GET, "/records/networks", READ, r -> queries.networks(time(r, "from"), time(r, "to"))
        .map(v -> ApiResponse.ok(new JsonObject().put("value", v))));
    context.route(HttpMethod.GET, "/records/participants", READ, r -> queries.participants(time(r, "from"),
        time(r, "to")).map(v -> ApiResponse.ok(new JsonObject().put("value", v))));
    context.route(HttpMethod.GET, "/records/ingest", READ, r -> Future.succeededFuture(ApiResponse.ok(ingest.status())));
    context.route(HttpMethod.GET, "/records/pstn", READ, r -> queries.logRows(kind(r), time(r, "from"), time(r, "to"))
        .map(v -> ApiResponse.ok(new JsonObject().put("value", v))));
    context.route(HttpMethod.POST, "/records/pstn", WRITE, this::fetchLogs);
    context.route(HttpMethod.GET, "/records/:id", READ, r -> {
      String id = r.pathParam("id");
      return queries.get(id).map(record -> {
        if (record == null) {
          throw new SwitchboardException(ErrorCode.NOT_FOUND, "No call record '" + id + "' is stored; GET "
              + "/api/v1/records lists the stored ones (a record arrives some time after its call ended)");
        }
        return ApiResponse.ok(record);
      });
    });
  }

  private Future<ApiResponse> list(ApiRequest r) {
    RecordFilter filter = RecordFilter.of(r.queryParam("from"), r.queryParam("to"), r.queryParam("participant"),
        r.queryParam("poor"), r.queryParam("type"), r.queryParam("cursor"), r.queryParam("limit"));
    boolean csv = String.valueOf(r.headers().get("Accept")).contains("text/csv");
    return queries.list(filter).map(page -> {
      if (!csv) {
        return ApiResponse.ok(page);
      }
      ApiResponse response = ApiResponse.of(200, "text/csv; charset=utf-8", Buffer.buffer(csv(page.getJsonArray("value"))));
      return page.getString("next") == null ? response : response.withHeader("Next-Cursor", page.getString("next"));
    });
  }

  private Future<ApiResponse> fetchLogs(ApiRequest r) {
    Instant from = time(r, "from");
    Instant to = time(r, "to");
    if (from == null || to == null) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidParameter",
          "POST /api/v1/records/pstn needs 'from' and 'to' (ISO-8601 date-times or dates), at most 90 days apart");
    }
    if (!to.isAfter(from) || Duration.between(from, to).compareTo(MAX_LOG_RANGE) > 0) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidRange",
          "'to' must be after 'from' and at most 90 days later (Graph's limit); got " + from + " to " + to);
    }
    return logs.fetchAndStore(from, to).map(ApiResponse::ok);
  }

  private static Instant time(ApiRequest r, String name) {
    return RecordFilter.time(name, r.queryParam(name));
  }

  private static String kind(ApiRequest r) {
    String kind = r.queryParam("kind");
    if (kind != null && !PstnLogs.KINDS.contains(kind)) {
      throw RecordFilter.bad("kind", "must be one of " + String.join(", ", PstnLogs.KINDS), kind);
    }
    return kind;
  }

  static String csv(JsonArray records) {
    StringBuilder out = new StringBuilder(String.join(",", CSV_COLUMNS)).append("\r\n");
    for (Object o : records) {
      JsonObject record = (JsonObject) o;
      out.append(CSV_COLUMNS.stream().map(column -> cell(switch (column) {
        case "reasons" -> record.getJsonArray("reasons").stream().map(String::valueOf).collect(Collectors.joining(" "));
        case "participants" -> record.getJsonArray("participants").stream()
            .map(p -> ((JsonObject) p).getString("id")).collect(Collectors.joining(" "));
        default -> String.valueOf(record.getValue(column));
      })).collect(Collectors.joining(","))).append("\r\n");
    }
    return out.toString();
  }

  /** RFC 4180 quoting, and a leading quote for cells a spreadsheet would run as a formula. */
  private static String cell(String value) {
    String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 && !value.matches("-?[0-9.]+")
        ? "'" + value : value;
    return safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")
        ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
  }
}
