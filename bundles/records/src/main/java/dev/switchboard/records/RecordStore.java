package dev.switchboard.records;

import dev.switchboard.api.records.QualityReason;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes call records and PSTN log rows. A record is stored once, at its highest version: {@link #upsert} replaces a
 * stored record only with a higher version, in one transaction that locks the record's row, so two plugin versions
 * (or two notifications) storing the same record at once leave one copy of the highest version.
 */
final class RecordStore {

  /** What {@link #upsert} did. */
  enum Outcome { INSERTED, UPDATED, UNCHANGED }

  private final Database db;

  RecordStore(Database db) {
    this.db = db;
  }

  Future<Outcome> upsert(ParsedRecord record) {
    return db.transaction(c -> write(c, record)).recover(e -> isDuplicateKey(e)
        // Another writer inserted the same record between our read and our insert: read again, it now exists.
        ? db.transaction(c -> write(c, record)) : Future.failedFuture(e));
  }

  private static Outcome write(Connection c, ParsedRecord r) throws SQLException {
    Long stored = null;
    try (PreparedStatement s = c.prepareStatement("SELECT version FROM call_records WHERE id = ? FOR UPDATE")) {
      s.setString(1, r.id());
      try (ResultSet rs = s.executeQuery()) {
        if (rs.next()) {
          stored = rs.getLong(1);
        }
      }
    }
    if (stored != null && stored >= r.version()) {
      return Outcome.UNCHANGED;
    }
    Set<QualityReason> reasons = r.reasons();
    if (stored != null) {
      for (String table : List.of("record_streams", "record_segments", "record_sessions", "record_participants")) {
        try (PreparedStatement d = c.prepareStatement("DELETE FROM " + table + " WHERE record_id = ?")) {
          d.setString(1, r.id());
          d.executeUpdate();
        }
      }
    }
    String sql = stored == null
        ? "INSERT INTO call_records (version, type, start_time, end_time, organizer_id, poor, poor_round_trip,"
            + " poor_packet_loss, poor_jitter, session_count, stream_count, stored_at, raw, id)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        : "UPDATE call_records SET version = ?, type = ?, start_time = ?, end_time = ?, organizer_id = ?, poor = ?,"
            + " poor_round_trip = ?, poor_packet_loss = ?, poor_jitter = ?, session_count = ?, stream_count = ?,"
            + " stored_at = ?, raw = ? WHERE id = ?";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setLong(1, r.version());
      s.setString(2, r.type());
      s.setObject(3, ts(r.start()));
      s.setObject(4, ts(r.end()));
      s.setString(5, r.organizerId());
      s.setBoolean(6, !reasons.isEmpty());
      s.setBoolean(7, reasons.contains(QualityReason.ROUND_TRIP));
      s.setBoolean(8, reasons.contains(QualityReason.PACKET_LOSS));
      s.setBoolean(9, reasons.contains(QualityReason.JITTER));
      s.setInt(10, r.sessions().size());
      s.setInt(11, r.streams().size());
      s.setObject(12, ts(Instant.now()));
      s.setString(13, r.raw().encode());
      s.setString(14, r.id());
      s.executeUpdate();
    }
    writeChildren(c, r);
    return stored == null ? Outcome.INSERTED : Outcome.UPDATED;
  }

  private static void writeChildren(Connection c, ParsedRecord r) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO record_participants (record_id, participant_id, kind,"
        + " display_name) VALUES (?, ?, ?, ?)")) {
      for (ParsedRecord.Participant participant : r.participants()) {
        p.setString(1, r.id());
        p.setString(2, participant.id());
        p.setString(3, participant.kind());
        p.setString(4, participant.displayName());
        p.addBatch();
      }
      p.executeBatch();
    }
    try (PreparedStatement ses = c.prepareStatement("INSERT INTO record_sessions (record_id, session_id, ordinal,"
        + " caller_id, callee_id, start_time, end_time, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        PreparedStatement seg = c.prepareStatement("INSERT INTO record_segments (record_id, session_id, segment_id,"
            + " start_time, end_time) VALUES (?, ?, ?, ?, ?)");
        PreparedStatement str = c.prepareStatement("INSERT INTO record_streams (record_id, session_id, segment_id,"
            + " ordinal, record_start, media_label, audio, stream_id, direction, participant_id, subnet,"
            + " connection_type, packets, jitter_ms, packet_loss_rate, round_trip_ms, poor, reasons)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      int ordinal = 0;
      for (ParsedRecord.Session session : r.sessions()) {
        ses.setString(1, r.id());
        ses.setString(2, session.id());
        ses.setInt(3, ordinal++);
        ses.setString(4, session.callerId());
        ses.setString(5, session.calleeId());
        ses.setObject(6, ts(session.start()));
        ses.setObject(7, ts(session.end()));
        ses.setString(8, session.raw().encode());
        ses.addBatch();
        for (ParsedRecord.Segment segment : session.segments()) {
          seg.setString(1, r.id());
          seg.setString(2, session.id());
          seg.setString(3, segment.id());
          seg.setObject(4, ts(segment.start()));
          seg.setObject(5, ts(segment.end()));
          seg.addBatch();
          int n = 0;
          for (ParsedRecord.Stream stream : segment.streams()) {
            str.setString(1, r.id());
            str.setString(2, session.id());
            str.setString(3, segment.id());
            str.setInt(4, n++);
            str.setObject(5, ts(r.start()));
            str.setString(6, stream.mediaLabel());
            str.setBoolean(7, stream.audio());
            str.setString(8, stream.streamId());
            str.setString(9, stream.direction());
            str.setString(10, stream.participantId());
            str.setString(11, stream.subnet());
            str.setString(12, stream.connectionType());
            setLong(str, 13, stream.packets());
            setDouble(str, 14, stream.jitterMs());
            setDouble(str, 15, stream.packetLossRate());
            setDouble(str, 16, stream.roundTripMs());
            str.setBoolean(17, stream.poor());
            str.setString(18, stream.reasons().stream().map(QualityReason::wire).collect(Collectors.joining(",")));
            str.addBatch();
          }
        }
      }
      ses.executeBatch();
      seg.executeBatch();
      str.executeBatch();
    }
  }

  /** Stores PSTN or Direct Routing log rows ({@code kind} {@code pstn} or {@code directRouting}), replacing rows of the same id. */
  Future<Integer> upsertLogRows(String kind, List<JsonObject> rows) {
    return db.transaction(c -> {
      try (PreparedStatement d = c.prepareStatement("DELETE FROM pstn_calls WHERE kind = ? AND id = ?");
          PreparedStatement i = c.prepareStatement("INSERT INTO pstn_calls (kind, id, start_time, end_time, user_id,"
              + " caller_number, callee_number, call_type, duration_seconds, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (JsonObject row : rows) {
          String id = row.getString("id");
          if (id == null) {
            throw new IllegalArgumentException("a " + kind + " log row without 'id': " + row.encode());
          }
          d.setString(1, kind);
          d.setString(2, id);
          d.addBatch();
          i.setString(1, kind);
          i.setString(2, id);
          i.setObject(3, ts(instant(row.getString("startDateTime"))));
          i.setObject(4, ts(instant(row.getString("endDateTime"))));
          i.setString(5, row.getString("userId"));
          i.setString(6, row.getString("callerNumber"));
          i.setString(7, row.getString("calleeNumber"));
          i.setString(8, row.getString("callType"));
          Object duration = row.getValue("duration");
          if (duration instanceof Number n) {
            i.setInt(9, n.intValue());
          } else {
            i.setNull(9, Types.INTEGER);
          }
          i.setString(10, row.encode());
          i.addBatch();
        }
        d.executeBatch();
        i.executeBatch();
      }
      return rows.size();
    });
  }

  private static Instant instant(String text) {
    return text == null ? null : java.time.OffsetDateTime.parse(text).toInstant();
  }

  /** Timestamps go in as UTC {@code OffsetDateTime}s, which H2 and PostgreSQL map to TIMESTAMP WITH TIME ZONE alike. */
  static java.time.OffsetDateTime ts(Instant instant) {
    return instant == null ? null : instant.atOffset(java.time.ZoneOffset.UTC);
  }

  private static void setLong(PreparedStatement s, int index, Long value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.BIGINT);
    } else {
      s.setLong(index, value);
    }
  }

  private static void setDouble(PreparedStatement s, int index, Double value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.DOUBLE);
    } else {
      s.setDouble(index, value);
    }
  }

  /** SQLSTATE 23505 (unique violation) on H2 and PostgreSQL alike. */
  private static boolean isDuplicateKey(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
