package dev.switchboard.records;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;

/**
 * What {@code GET /api/v1/records} asks for: records whose start is in {@code [from, to)}, with a participant, poor
 * ones only, of a type; newest first, {@code limit} at a time, after {@code cursor}.
 */
record RecordFilter(Instant from, Instant to, String participant, boolean poorOnly, String type, Cursor cursor,
    int limit) {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 1000;
  private static final List<String> TYPES = List.of("peerToPeer", "groupCall", "unknown");

  /** Where a page ended: the last record's start and id (the list's order). */
  record Cursor(Instant start, String id) {

    String encode() {
      return Base64.getUrlEncoder().withoutPadding().encodeToString((start + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String text) {
      try {
        String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
        int bar = plain.indexOf('|');
        return new Cursor(Instant.parse(plain.substring(0, bar)), plain.substring(bar + 1));
      } catch (IllegalArgumentException | DateTimeParseException | StringIndexOutOfBoundsException e) {
        throw bad("cursor", "is not a cursor this API gave (use the 'next' value of a previous page)", text);
      }
    }
  }

  static RecordFilter of(String from, String to, String participant, String poor, String type, String cursor,
      String limit) {
    if (type != null && !TYPES.contains(type)) {
      throw bad("type", "must be one of " + String.join(", ", TYPES), type);
    }
    if (poor != null && !poor.equals("true") && !poor.equals("false")) {
      throw bad("poor", "must be true or false", poor);
    }
    int n = DEFAULT_LIMIT;
    if (limit != null) {
      try {
        n = Integer.parseInt(limit);
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 1 || n > MAX_LIMIT) {
        throw bad("limit", "must be a whole number from 1 to " + MAX_LIMIT, limit);
      }
    }
    Instant f = time("from", from);
    Instant t = time("to", to);
    if (f != null && t != null && !t.isAfter(f)) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidRange", "'to' (" + to + ") must be after 'from' ("
          + from + ")");
    }
    return new RecordFilter(f, t, participant == null || participant.isBlank() ? null : participant.trim(),
        "true".equals(poor), type, cursor == null ? null : Cursor.decode(cursor), n);
  }

  /**
   * A date-time query parameter: ISO-8601 with an offset ({@code 2026-11-28T10:00:00Z}) or a date
   * ({@code 2026-11-28}, midnight UTC); {@code null} when absent.
   */
  static Instant time(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      if (value.length() == 10) {
        return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw bad(name, "must be an ISO-8601 date-time with an offset (2026-11-28T10:00:00Z) or a date (2026-11-28)",
          value);
    }
  }

  static SwitchboardException bad(String parameter, String rule, String value) {
    return new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidParameter",
        "Query parameter '" + parameter + "' " + rule + "; got '" + value + "'");
  }
}
