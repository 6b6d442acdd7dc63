package dev.switchboard.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.calls.ResultInfo;
import dev.switchboard.api.media.MediaCommand;
import dev.switchboard.api.media.OperationKind;
import dev.switchboard.api.media.OperationStatus;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A call's media survives the state store: what one version writes, another reads back the same. */
class CallStatesTest {

  @Test
  void aCallWithEveryKindOfOperationAndAGatherIsReadBackAsWritten() {
    Operation play = Operation.started("op-play", OperationKind.PLAY, "mine").withGraphOperation("g1")
        .ended(OperationStatus.COMPLETED);
    Operation record = Operation.started("op-record", OperationKind.RECORD, null).withGraphOperation("g2")
        .downloading(new PendingDownload("https://graph.example/rec", "secret", new ResultInfo(200, 0, "ok"),
            "stopToneDetected"));
    Operation gather = Operation.started("op-gather", OperationKind.GATHER, "ivr:3").cancelling();
    CallState call = CallState.begin("c1", "t1", false).withToneSubscribed().with(play).with(record).with(gather)
        .withGather(GatherState.of("op-gather", MediaCommand.Gather.of("c1").withMaxDigits(3).withTerminator("#"))
            .withDigit("4").withPromptDone());

    JsonObject stored = CallStates.toJson(call);
    CallState read = CallStates.fromJson(new JsonObject(stored.encode()));

    assertEquals(call, read);
    assertEquals(List.of("op-play", "op-record", "op-gather"), List.copyOf(read.operations().keySet()), "in order");
    assertEquals("4", read.view().gather().digits());
  }

  /** Found by ChaosIT: Graph delivered a tone late (reordered), and the digits came out of order. */
  @Test
  void aToneDeliveredLateTakesItsPlaceAmongTheDigitsAndTheOrderIsStored() {
    GatherState g = GatherState.of("g", MediaCommand.Gather.of("c1").withMaxDigits(4))
        .withDigit("1", 1L).withDigit("3", 3L).withDigit("2", 2L).withDigit("4", 4L);
    assertEquals("1234", g.digits());
    assertEquals(List.of(1L, 2L, 3L, 4L), g.sequenceIds());
    assertEquals("12", GatherState.of("g", MediaCommand.Gather.of("c1")).withDigit("1", null).withDigit("2", null)
        .digits(), "without sequence ids, in arrival order");
    CallState call = CallState.begin("c1", "t1", true).withGather(GatherState.of("g", MediaCommand.Gather.of("c1")
        .withMaxDigits(4)).withDigit("3", 3L));
    assertEquals("13", CallStates.fromJson(new JsonObject(CallStates.toJson(call).encode())).gather()
        .withDigit("1", 1L).digits());
  }

  @Test
  void anEndedCallIsForgottenOnlyOnceNoRecordingIsStillDownloading() {
    Operation downloading = Operation.started("op", OperationKind.RECORD, null)
        .downloading(new PendingDownload("https://graph.example/rec", "secret", null, null));
    CallState ended = CallState.begin("c1", "t1", true).with(downloading).withEnded();
    assertFalse(ended.finished());
    assertTrue(ended.with(downloading.ended(OperationStatus.COMPLETED)).finished());
  }
}
