package dev.switchboard.calling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The operations a call reported: each id known once reported, the latest 64 kept, the stored form short. */
class ReportedOperationsTest {

  @Test
  void anOperationIsKnownOnceReportedAndTheLatest64AreKept() {
    List<String> ids = new ArrayList<>();
    ReportedOperations reported = ReportedOperations.NONE;
    for (int i = 0; i < Call.REMEMBERED + 10; i++) {
      String id = UUID.randomUUID().toString();
      assertFalse(reported.contains(id));
      reported = reported.with(id);
      assertTrue(reported.contains(id));
      ids.add(id);
    }
    assertEquals(Call.REMEMBERED, reported.size());
    for (int i = 0; i < ids.size(); i++) {
      assertEquals(i >= 10, reported.contains(ids.get(i)), "operation " + i + " of " + ids.size());
    }
    assertEquals(reported, ReportedOperations.ofIds(ids));
  }

  @Test
  void theStoredFormReadsBackAndIsShort() {
    ReportedOperations reported = ReportedOperations.NONE;
    for (int i = 0; i < Call.REMEMBERED; i++) {
      reported = reported.with(UUID.randomUUID().toString());
    }
    String stored = reported.encode();
    assertEquals(reported, ReportedOperations.decode(stored));
    assertTrue(stored.length() < Call.REMEMBERED * 12, stored.length() + " characters for 64 operations");
    assertEquals(ReportedOperations.NONE, ReportedOperations.decode(ReportedOperations.NONE.encode()));
  }

  @Test
  void aDamagedStoredFormIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ReportedOperations.decode("not base64!"));
    assertThrows(IllegalArgumentException.class, () -> ReportedOperations.decode("AAAA"));
    assertEquals(ReportedOperations.NONE, ReportedOperations.decodeOrNone("AAAA"), "a stored call still loads");
  }
}
