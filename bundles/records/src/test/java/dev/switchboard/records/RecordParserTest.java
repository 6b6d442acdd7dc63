package dev.switchboard.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.records.QualityReason;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The callRecord of Graph's documentation (get with sessions and segments expanded), and malformed ones. */
class RecordParserTest {

  static JsonObject docsExample() throws IOException {
    try (InputStream in = RecordParserTest.class.getResourceAsStream("/callrecord-expanded.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void graphsDocumentedRecordIsReadWithItsStreamsAndNetworks() throws IOException {
    ParsedRecord r = RecordParser.parse(docsExample());
    assertEquals("e523d2ed-2966-4b6b-925b-754a88034cc5", r.id());
    assertEquals(1, r.version());
    assertEquals("peerToPeer", r.type());
    assertEquals(Instant.parse("2020-02-25T18:52:21.2169889Z"), r.start());
    assertEquals(List.of("821809f5-0000-0000-0000-3b5136c0e777", "f69e2c00-0000-0000-0000-185e5f5f5d8a"),
        r.participants().stream().map(ParsedRecord.Participant::id).toList());
    assertEquals(1, r.sessions().size());
    List<ParsedRecord.Stream> streams = r.streams();
    assertEquals(2, streams.size());
    ParsedRecord.Stream received = streams.get(1);
    assertEquals("calleeToCaller", received.direction());
    assertEquals(7.0, received.jitterMs(), 1e-9);
    assertEquals(64.0, received.roundTripMs(), 1e-9);
    assertEquals(709L, received.packets());
    assertEquals(Set.of(), received.reasons());
    assertFalse(r.poor());
    assertNull(r.raw().getValue("sessions"), "sessions are stored apart from the record's own JSON");
    assertEquals(r.sessions().get(0).callerId(), streams.get(0).participantId());
  }

  @Test
  void aStreamPastAThresholdMakesTheCallPoor() throws IOException {
    JsonObject json = docsExample();
    JsonObject stream = json.getJsonArray("sessions").getJsonObject(0).getJsonArray("segments").getJsonObject(0)
        .getJsonArray("media").getJsonObject(0).getJsonArray("streams").getJsonObject(1);
    stream.put("averageJitter", "PT0.045S").put("averagePacketLossRate", 0.2);
    ParsedRecord r = RecordParser.parse(json);
    assertTrue(r.poor());
    assertEquals(Set.of(QualityReason.PACKET_LOSS, QualityReason.JITTER), r.reasons());
    assertEquals(List.of(QualityReason.PACKET_LOSS, QualityReason.JITTER), r.event().reasons());
  }

  @Test
  void malformedRecordsAreRefusedNamingWhatIsWrong() throws IOException {
    JsonObject noVersion = docsExample();
    noVersion.remove("version");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RecordParser.parse(noVersion)).getMessage()
        .contains("'version'"));
    JsonObject badDate = docsExample().put("startDateTime", "yesterday");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RecordParser.parse(badDate)).getMessage()
        .contains("yesterday"));
    JsonObject badSessions = docsExample().put("sessions", new JsonArray().add("not a session"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RecordParser.parse(badSessions)).getMessage()
        .startsWith("malformed callRecord e523d2ed"));
    JsonObject badJitter = docsExample();
    badJitter.getJsonArray("sessions").getJsonObject(0).getJsonArray("segments").getJsonObject(0)
        .getJsonArray("media").getJsonObject(0).getJsonArray("streams").getJsonObject(0).put("averageJitter", "16ms");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RecordParser.parse(badJitter)).getMessage()
        .contains("'16ms' is not an ISO-8601 duration"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RecordParser.parse(new JsonObject()))
        .getMessage().contains("'id'"));
  }
}
