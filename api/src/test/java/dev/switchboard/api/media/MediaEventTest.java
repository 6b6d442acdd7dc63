package dev.switchboard.api.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.calls.MediaInfo;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events and replies as the media bundle has always published them, read, and written back the same. */
class MediaEventTest {

  private static final Instant AT = Instant.parse("2026-11-28T10:15:30.123Z");

  @Test
  void theJsonOfEachEventParsesAndIsWrittenBackAsItCame() {
    JsonObject gather = new JsonObject("""
        {"type": "gatherCompleted", "callId": "c1", "operationId": "op1", "clientContext": "ivr:3",
         "status": "completed", "reason": null, "callEnded": false, "resultInfo": null,
         "at": "2026-11-28T10:15:30.123Z", "version": "0.1.0.SNAPSHOT", "digits": "12", "endedBy": "terminator"}""");
    MediaEvent.GatherCompleted g = assertInstanceOf(MediaEvent.GatherCompleted.class, MediaEvent.fromJson(gather));
    assertEquals("12", g.digits());
    assertEquals(GatherEnd.TERMINATOR, g.endedBy());
    assertEquals("ivr:3", g.outcome().clientContext());
    assertEquals(MediaEvent.GatherCompleted.TOPIC, g.topic());
    assertEquals(gather, g.toJson());

    JsonObject play = new JsonObject("""
        {"type": "playCompleted", "callId": "c1", "operationId": "op2", "clientContext": null, "status": "failed",
         "reason": "Unsupported media format.", "callEnded": false,
         "resultInfo": {"code": 400, "subcode": 8535, "message": "Unsupported media format."},
         "at": "2026-11-28T10:15:30.123Z", "version": "0.1.0"}""");
    MediaEvent.PlayCompleted p = assertInstanceOf(MediaEvent.PlayCompleted.class, MediaEvent.fromJson(play));
    assertEquals(OperationStatus.FAILED, p.outcome().status());
    assertEquals(8535, (int) p.outcome().resultInfo().subcode());
    assertEquals(play, p.toJson());

    JsonObject record = new JsonObject("""
        {"type": "recordCompleted", "callId": "c1", "operationId": "op3", "clientContext": null,
         "status": "completed", "reason": null, "callEnded": false,
         "resultInfo": {"code": 200, "subcode": 0, "message": "Action completed successfully."},
         "at": "2026-11-28T10:15:30.123Z", "version": "0.1.0", "completionReason": "stopToneDetected",
         "recording": {"id": "op3", "callId": "c1", "durationMs": 2100, "bytes": 67244,
           "path": "recordings/c1/op3.wav", "url": "/api/v1/calls/c1/recordings/op3",
           "downloadedAt": "2026-11-28T10:15:30Z", "downloadAttempts": 3},
         "downloadAttempts": 3}""");
    MediaEvent.RecordCompleted r = assertInstanceOf(MediaEvent.RecordCompleted.class, MediaEvent.fromJson(record));
    assertEquals("stopToneDetected", r.completionReason());
    assertEquals(3, r.recording().downloadAttempts());
    assertEquals(record, r.toJson());
  }

  @Test
  void anOperationThatEndedWithTheCallSaysSo() {
    Outcome ended = new Outcome("c1", "op4", null, OperationStatus.FAILED, "The call ended.", true, null, AT, "1.0.0");
    MediaEvent.RecordCompleted r = new MediaEvent.RecordCompleted(ended, null, null);
    MediaEvent read = MediaEvent.fromJson(r.toJson());
    assertEquals(r, read);
    assertTrue(read.outcome().callEnded());
    assertNull(r.toJson().getValue("recording"));
  }

  @Test
  void notAnEventOrAnUnfinishedOneIsRefused() {
    assertTrue(assertThrows(SwitchboardException.class, () -> MediaEvent.fromJson(new JsonObject()
        .put("type", "toneReceived"))).getMessage().contains("playCompleted, recordCompleted or gatherCompleted"));
    JsonObject running = new MediaEvent.PlayCompleted(new Outcome("c1", "op", null, OperationStatus.COMPLETED, null,
        false, null, AT, null)).toJson().put("status", "running");
    assertTrue(assertThrows(SwitchboardException.class, () -> MediaEvent.fromJson(running)).getMessage()
        .contains("completed, failed or cancelled"));
  }

  @Test
  void repliesSurviveARoundTrip() {
    OperationStarted started = new OperationStarted("op1", "c1", OperationKind.GATHER, OperationStatus.RUNNING,
        List.of("g1"));
    assertEquals(started, OperationStarted.fromJson(started.toJson()));
    assertEquals("gather", started.toJson().getString("kind"));
    Cancelled cancelled = new Cancelled("c1", List.of("op1", "op2"));
    assertEquals(cancelled, Cancelled.fromJson(cancelled.toJson()));
    ResolvedPrompts resolved = new ResolvedPrompts(List.of(new MediaInfo("https://h/p.wav", "r1")));
    assertEquals(resolved, ResolvedPrompts.fromJson(resolved.toJson()));
    MediaStatus status = new MediaStatus("c1", true, false, List.of(new MediaStatus.Operation("op1",
        OperationKind.GATHER, OperationStatus.RUNNING, "ivr:1", List.of(), AT, null)),
        new MediaStatus.Gathering("op1", "1", 3, "#", true));
    assertEquals(status, MediaStatus.fromJson(status.toJson()));
    assertEquals("1", status.toJson().getJsonObject("gather").getString("digits"));
    assertEquals("running", status.toJson().getJsonObject("operations").getJsonObject("op1").getString("status"));
  }
}
