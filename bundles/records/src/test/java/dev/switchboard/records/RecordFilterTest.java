package dev.switchboard.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.SwitchboardException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordFilterTest {

  @Test
  void datesTimesAndCursorsRoundTrip() {
    RecordFilter f = RecordFilter.of("2026-11-28", "2026-11-28T12:00:00+01:00", " +14255550123 ", "true",
        "groupCall", new RecordFilter.Cursor(Instant.parse("2026-11-28T10:00:00Z"), "abc").encode(), "10");
    assertEquals(Instant.parse("2026-11-28T00:00:00Z"), f.from());
    assertEquals(Instant.parse("2026-11-28T11:00:00Z"), f.to());
    assertEquals("+14255550123", f.participant());
    assertTrue(f.poorOnly());
    assertEquals(new RecordFilter.Cursor(Instant.parse("2026-11-28T10:00:00Z"), "abc"), f.cursor());
    assertEquals(10, f.limit());
  }

  @Test
  void badParametersAre400sThatSayWhatIsExpected() {
    SwitchboardException date = assertThrows(SwitchboardException.class,
        () -> RecordFilter.of("28/11/2026", null, null, null, null, null, null));
    assertEquals(400, date.status());
    assertTrue(date.getMessage().contains("'from' must be an ISO-8601 date-time"), date.getMessage());
    assertEquals(400, assertThrows(SwitchboardException.class,
        () -> RecordFilter.of("2026-11-29", "2026-11-28", null, null, null, null, null)).status());
    assertEquals(400, assertThrows(SwitchboardException.class,
        () -> RecordFilter.of(null, null, null, "yes", null, null, null)).status());
    assertEquals(400, assertThrows(SwitchboardException.class,
        () -> RecordFilter.of(null, null, null, null, "conference", null, null)).status());
    assertEquals(400, assertThrows(SwitchboardException.class,
        () -> RecordFilter.of(null, null, null, null, null, "!!", null)).status());
    assertEquals(400, assertThrows(SwitchboardException.class,
        () -> RecordFilter.of(null, null, null, null, null, null, "0")).status());
  }
}
