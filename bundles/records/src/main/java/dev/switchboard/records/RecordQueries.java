package dev.switchboard.records;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads stored records: lists, one record in full, and the quality aggregates. Every method runs on the database's workers. */
final class RecordQueries {

  private static final String LIST_COLUMNS = "r.id, r.version, r.type, r.start_time, r.end_time, r.poor,"
      + " r.poor_round_trip, r.poor_packet_loss, r.poor_jitter, r.session_count, r.stream_count";

  private final Database db;

  RecordQueries(Database db) {
    this.db = db;
  }

  /** A page of records, newest first: {@code {"value": [...], "next": cursor or null}}. */
  Future<JsonObject> list(RecordFilter f) {
    return db.read(c -> {
      StringBuilder sql = new StringBuilder("SELECT " + LIST_COLUMNS + " FROM call_records r WHERE 1 = 1");
      List<Object> args = new ArrayList<>();
      range(sql, args, "r.start_time", f.from(), f.to());
      if (f.participant() != null) {
        sql.append(" AND EXISTS (SELECT 1 FROM record_participants p WHERE p.record_id = r.id AND p.participant_id = ?)");
        args.add(f.participant());
      }
      if (f.poorOnly()) {
        sql.append(" AND r.poor = TRUE");
      }
      if (f.type() != null) {
        sql.append(" AND r.type = ?");
        args.add(f.type());
      }
      if (f.cursor() != null) {
        sql.append(" AND (r.start_time < ? OR (r.start_time = ? AND r.id < ?))");
        args.add(RecordStore.ts(f.cursor().start()));
        args.add(RecordStore.ts(f.cursor().start()));
        args.add(f.cursor().id());
      }
      sql.append(" ORDER BY r.start_time DESC, r.id DESC LIMIT ").append(f.limit() + 1);
      JsonArray value = new JsonArray();
      List<String> ids = new ArrayList<>();
      try (PreparedStatement s = prepare(c, sql.toString(), args); ResultSet rs = s.executeQuery()) {
        boolean more = false;
        while (rs.next()) {
          if (value.size() == f.limit()) {
            more = true;
            break;
          }
          JsonObject row = listRow(rs);
          value.add(row);
          ids.add(row.getString("id"));
        }
        addParticipants(c, value, ids);
        String next = null;
        if (more && !value.isEmpty()) {
          JsonObject last = value.getJsonObject(value.size() - 1);
          next = new RecordFilter.Cursor(Instant.parse(last.getString("startDateTime")), last.getString("id")).encode();
        }
        return new JsonObject().put("value", value).put("next", next);
      }
    });
  }

  /** One record with its participants, sessions, segments and streams (with their verdicts); {@code null} if unknown. */
  Future<JsonObject> get(String id) {
    return db.read(c -> {
      JsonObject record;
      try (PreparedStatement s = prepare(c, "SELECT " + LIST_COLUMNS + ", r.raw FROM call_records r WHERE r.id = ?",
          List.of(id)); ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        record = listRow(rs).put("raw", new JsonObject(rs.getString("raw")));
      }
      JsonArray array = new JsonArray().add(record);
      addParticipants(c, array, List.of(id));
      Map<String, JsonObject> sessions = new LinkedHashMap<>();
      try (PreparedStatement s = prepare(c, "SELECT session_id, caller_id, callee_id, start_time, end_time FROM"
          + " record_sessions WHERE record_id = ? ORDER BY ordinal", List.of(id)); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          sessions.put(rs.getString(1), new JsonObject().put("id", rs.getString(1)).put("callerId", rs.getString(2))
              .put("calleeId", rs.getString(3)).put("startDateTime", text(rs, 4)).put("endDateTime", text(rs, 5))
              .put("segments", new JsonArray()));
        }
      }
      Map<String, JsonObject> segments = new LinkedHashMap<>();
      try (PreparedStatement s = prepare(c, "SELECT session_id, segment_id, start_time, end_time FROM record_segments"
          + " WHERE record_id = ? ORDER BY session_id, segment_id", List.of(id)); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          JsonObject segment = new JsonObject().put("id", rs.getString(2)).put("startDateTime", text(rs, 3))
              .put("endDateTime", text(rs, 4)).put("streams", new JsonArray());
          segments.put(rs.getString(1) + "/" + rs.getString(2), segment);
          sessions.get(rs.getString(1)).getJsonArray("segments").add(segment);
        }
      }
      try (PreparedStatement s = prepare(c, "SELECT session_id, segment_id, media_label, audio, stream_id, direction,"
          + " participant_id, subnet, connection_type, packets, jitter_ms, packet_loss_rate, round_trip_ms, poor,"
          + " reasons FROM record_streams WHERE record_id = ? ORDER BY session_id, segment_id, ordinal", List.of(id));
          ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          segments.get(rs.getString(1) + "/" + rs.getString(2)).getJsonArray("streams").add(new JsonObject()
              .put("mediaLabel", rs.getString(3)).put("audio", rs.getBoolean(4)).put("streamId", rs.getString(5))
              .put("direction", rs.getString(6)).put("participantId", rs.getString(7)).put("subnet", rs.getString(8))
              .put("connectionType", rs.getString(9)).put("packets", rs.getObject(10) == null ? null : rs.getLong(10))
              .put("averageJitterMs", number(rs, 11)).put("averagePacketLossRate", number(rs, 12))
              .put("averageRoundTripMs", number(rs, 13)).put("poor", rs.getBoolean(14))
              .put("reasons", reasons(rs.getString(15))));
        }
      }
      return record.put("sessions", new JsonArray(new ArrayList<>(sessions.values())));
    });
  }

  /**
   * The quality summary of the records that started in {@code [from, to)} (either end open when {@code null}). Its
   * three parts are read at once, each on its own connection.
   */
  Future<JsonObject> summary(Instant from, Instant to) {
    Future<JsonObject> calls = db.read(c -> callCounts(c, from, to));
    Future<JsonObject> byConnection = db.read(c -> byConnectionType(c, from, to));
    Future<JsonObject> percentiles = db.read(c -> percentiles(c, from, to));
    return Future.all(calls, byConnection, percentiles).map(v -> new JsonObject()
        .put("from", from == null ? null : from.toString()).put("to", to == null ? null : to.toString())
        .mergeIn(calls.result()).put("byConnectionType", byConnection.result()).mergeIn(percentiles.result()));
  }

  private static JsonObject callCounts(Connection c, Instant from, Instant to) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT COUNT(*), SUM(CASE WHEN poor THEN 1 ELSE 0 END),"
        + " SUM(CASE WHEN poor_round_trip THEN 1 ELSE 0 END), SUM(CASE WHEN poor_packet_loss THEN 1 ELSE 0 END),"
        + " SUM(CASE WHEN poor_jitter THEN 1 ELSE 0 END) FROM call_records WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    range(sql, args, "start_time", from, to);
    try (PreparedStatement s = prepare(c, sql.toString(), args); ResultSet rs = s.executeQuery()) {
      rs.next();
      long calls = rs.getLong(1);
      long poor = rs.getLong(2);
      return new JsonObject().put("calls", calls).put("poorCalls", poor)
          .put("poorRatio", calls == 0 ? 0.0 : (double) poor / calls)
          .put("byReason", new JsonObject().put("roundTrip", rs.getLong(3)).put("packetLoss", rs.getLong(4))
              .put("jitter", rs.getLong(5)));
    }
  }

  private static JsonObject byConnectionType(Connection c, Instant from, Instant to) throws SQLException {
    JsonObject byConnection = new JsonObject();
    StringBuilder sql = new StringBuilder("SELECT connection_type, COUNT(*), SUM(CASE WHEN poor THEN 1 ELSE 0 END)"
        + " FROM record_streams WHERE audio = TRUE");
    List<Object> args = new ArrayList<>();
    range(sql, args, "record_start", from, to);
    sql.append(" GROUP BY connection_type ORDER BY connection_type");
    try (PreparedStatement s = prepare(c, sql.toString(), args); ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        long streams = rs.getLong(2);
        byConnection.put(rs.getString(1) == null ? "unknown" : rs.getString(1), new JsonObject()
            .put("streams", streams).put("poorStreams", rs.getLong(3))
            .put("poorRatio", streams == 0 ? 0.0 : (double) rs.getLong(3) / streams));
      }
    }
    return byConnection;
  }

  /**
   * p50 and p95 of jitter, loss and round trip over the audio streams, interpolated as SQL's {@code PERCENTILE_CONT}
   * does. Computed here from one scan: H2 sorts each {@code PERCENTILE_CONT} aggregate apart, several times slower.
   */
  private static JsonObject percentiles(Connection c, Instant from, Instant to) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT jitter_ms, packet_loss_rate, round_trip_ms FROM record_streams"
        + " WHERE audio = TRUE");
    List<Object> args = new ArrayList<>();
    range(sql, args, "record_start", from, to);
    Samples[] samples = {new Samples(), new Samples(), new Samples()};
    try (PreparedStatement s = prepare(c, sql.toString(), args)) {
      s.setFetchSize(5_000);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          for (int i = 0; i < 3; i++) {
            double value = rs.getDouble(i + 1);
            if (!rs.wasNull()) {
              samples[i].add(value);
            }
          }
        }
      }
    }
    JsonObject out = new JsonObject();
    String[] names = {"jitterMs", "packetLossRate", "roundTripMs"};
    for (int i = 0; i < 3; i++) {
      out.put(names[i], new JsonObject().put("p50", samples[i].percentile(0.5)).put("p95", samples[i].percentile(0.95)));
    }
    return out;
  }

  /** A growable array of doubles. */
  private static final class Samples {
    private double[] values = new double[1024];
    private int size;
    private boolean sorted;

    void add(double value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
      sorted = false;
    }

    /** Linear interpolation between the closest ranks, as {@code PERCENTILE_CONT}; {@code null} when empty. */
    Double percentile(double p) {
      if (size == 0) {
        return null;
      }
      if (!sorted) {
        Arrays.sort(values, 0, size);
        sorted = true;
      }
      double rank = p * (size - 1);
      int low = (int) Math.floor(rank);
      int high = Math.min(size - 1, low + 1);
      return values[low] + (rank - low) * (values[high] - values[low]);
    }
  }

  /** Audio streams per network (subnet and connection type) of the sender, for records started in the range. */
  Future<JsonArray> networks(Instant from, Instant to) {
    return db.read(c -> {
      StringBuilder sql = new StringBuilder("SELECT subnet, connection_type, COUNT(*), SUM(CASE WHEN poor THEN 1 ELSE"
          + " 0 END), AVG(jitter_ms), AVG(packet_loss_rate), AVG(round_trip_ms) FROM record_streams WHERE audio = TRUE");
      List<Object> args = new ArrayList<>();
      range(sql, args, "record_start", from, to);
      sql.append(" GROUP BY subnet, connection_type ORDER BY subnet, connection_type");
      JsonArray out = new JsonArray();
      try (PreparedStatement s = prepare(c, sql.toString(), args); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(new JsonObject().put("subnet", rs.getString(1)).put("connectionType", rs.getString(2))
              .put("streams", rs.getLong(3)).put("poorStreams", rs.getLong(4)).put("averageJitterMs", number(rs, 5))
              .put("averagePacketLossRate", number(rs, 6)).put("averageRoundTripMs", number(rs, 7)));
        }
      }
      return out;
    });
  }

  /** Calls and poor calls per participant, and the poor audio streams each sent, for records started in the range. */
  Future<JsonArray> participants(Instant from, Instant to) {
    return db.read(c -> {
      StringBuilder sql = new StringBuilder("SELECT p.participant_id, p.kind, MAX(p.display_name), COUNT(*),"
          + " SUM(CASE WHEN r.poor THEN 1 ELSE 0 END) FROM record_participants p JOIN call_records r"
          + " ON r.id = p.record_id WHERE 1 = 1");
      List<Object> args = new ArrayList<>();
      range(sql, args, "r.start_time", from, to);
      sql.append(" GROUP BY p.participant_id, p.kind ORDER BY p.participant_id");
      Map<String, JsonObject> byId = new LinkedHashMap<>();
      try (PreparedStatement s = prepare(c, sql.toString(), args); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          byId.put(rs.getString(1), new JsonObject().put("id", rs.getString(1)).put("kind", rs.getString(2))
              .put("displayName", rs.getString(3)).put("calls", rs.getLong(4)).put("poorCalls", rs.getLong(5))
              .put("poorStreamsSent", 0L));
        }
      }
      sql = new StringBuilder("SELECT participant_id, COUNT(*) FROM record_streams WHERE audio = TRUE AND poor = TRUE");
      args = new ArrayList<>();
      range(sql, args, "record_start", from, to);
      sql.append(" GROUP BY participant_id");
      try (PreparedStatement s = prepare(c, sql.toString(), args); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          JsonObject row = byId.get(rs.getString(1));
          if (row != null) {
            row.put("poorStreamsSent", rs.getLong(2));
          }
        }
      }
      return new JsonArray(new ArrayList<>(byId.values()));
    });
  }

  /** Stored PSTN ({@code pstn}) or Direct Routing ({@code directRouting}) log rows that started in the range. */
  Future<JsonArray> logRows(String kind, Instant from, Instant to) {
    return db.read(c -> {
      StringBuilder sql = new StringBuilder("SELECT kind, raw FROM pstn_calls WHERE 1 = 1");
      List<Object> args = new ArrayList<>();
      if (kind != null) {
        sql.append(" AND kind = ?");
        args.add(kind);
      }
      range(sql, args, "start_time", from, to);
      sql.append(" ORDER BY start_time, id");
      JsonArray out = new JsonArray();
      try (PreparedStatement s = prepare(c, sql.toString(), args); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(new JsonObject().put("kind", rs.getString(1)).put("row", new JsonObject(rs.getString(2))));
        }
      }
      return out;
    });
  }

  private static void addParticipants(Connection c, JsonArray records, List<String> ids) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    Map<String, JsonArray> byRecord = new LinkedHashMap<>();
    for (Object r : records) {
      JsonArray list = new JsonArray();
      ((JsonObject) r).put("participants", list);
      byRecord.put(((JsonObject) r).getString("id"), list);
    }
    String marks = String.join(",", java.util.Collections.nCopies(ids.size(), "?"));
    try (PreparedStatement s = prepare(c, "SELECT record_id, participant_id, kind, display_name FROM"
        + " record_participants WHERE record_id IN (" + marks + ") ORDER BY record_id, participant_id",
        new ArrayList<>(ids)); ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        byRecord.get(rs.getString(1)).add(new JsonObject().put("id", rs.getString(2)).put("kind", rs.getString(3))
            .put("displayName", rs.getString(4)));
      }
    }
  }

  private static JsonObject listRow(ResultSet rs) throws SQLException {
    Instant start = rs.getObject(4, OffsetDateTime.class).toInstant();
    Instant end = rs.getObject(5, OffsetDateTime.class).toInstant();
    JsonArray reasons = new JsonArray();
    if (rs.getBoolean(7)) {
      reasons.add("roundTrip");
    }
    if (rs.getBoolean(8)) {
      reasons.add("packetLoss");
    }
    if (rs.getBoolean(9)) {
      reasons.add("jitter");
    }
    return new JsonObject().put("id", rs.getString(1)).put("version", rs.getLong(2)).put("type", rs.getString(3))
        .put("startDateTime", start.toString()).put("endDateTime", end.toString())
        .put("durationSeconds", Duration.between(start, end).toMillis() / 1000.0).put("poor", rs.getBoolean(6))
        .put("reasons", reasons).put("sessionCount", rs.getInt(10)).put("streamCount", rs.getInt(11));
  }

  private static void range(StringBuilder sql, List<Object> args, String column, Instant from, Instant to) {
    if (from != null) {
      sql.append(" AND ").append(column).append(" >= ?");
      args.add(RecordStore.ts(from));
    }
    if (to != null) {
      sql.append(" AND ").append(column).append(" < ?");
      args.add(RecordStore.ts(to));
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, List<Object> args) throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    for (int i = 0; i < args.size(); i++) {
      s.setObject(i + 1, args.get(i));
    }
    return s;
  }

  private static JsonObject percentiles(ResultSet rs, int column) throws SQLException {
    return new JsonObject().put("p50", number(rs, column)).put("p95", number(rs, column + 1));
  }

  private static Double number(ResultSet rs, int column) throws SQLException {
    Object value = rs.getObject(column);
    return value == null ? null : ((Number) value).doubleValue();
  }

  private static String text(ResultSet rs, int column) throws SQLException {
    OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
    return time == null ? null : time.toInstant().toString();
  }

  private static JsonArray reasons(String text) {
    return text == null || text.isEmpty() ? new JsonArray() : new JsonArray(Arrays.asList((Object[]) text.split(",")));
  }
}
