package dev.switchboard.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.media.OperationKind;
import dev.switchboard.api.media.OperationStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallStateTest {

  private static final Instant T0 = Instant.parse("2026-11-29T05:00:00Z");

  @Test
  void keepsEveryRunningOperationAndOnlyTheLatestEndedOnes() {
    CallState call = CallState.begin("call-1", "tenant-1", true)
        .with(Operation.started("running-first", OperationKind.PLAY, null));
    for (int i = 1; i <= 10; i++) {
      call = call.with(ended("gather-" + i, T0.plusSeconds(i)));
    }
    call = call.with(Operation.started("running-last", OperationKind.RECORD, null));

    assertEquals(List.of("running-first", "gather-7", "gather-8", "gather-9", "gather-10", "running-last"),
        List.copyOf(call.operations().keySet()), "the running ones, and the last " + CallState.FINISHED_KEPT
            + " ended, in the order they started");
  }

  @Test
  void anOperationThatEndsLastIsKeptInItsPlace() {
    CallState call = CallState.begin("call-1", "tenant-1", true)
        .with(Operation.started("long-play", OperationKind.PLAY, null));
    for (int i = 1; i <= 5; i++) {
      call = call.with(ended("gather-" + i, T0.plusSeconds(i)));
    }
    Operation play = call.operation("long-play");
    call = call.with(new Operation(play.id(), play.kind(), OperationStatus.CANCELLED, null, List.of(), play.createdAt(),
        T0.plusSeconds(60), true, null));

    assertEquals(List.of("long-play", "gather-3", "gather-4", "gather-5"), List.copyOf(call.operations().keySet()),
        "the ones that ended last, in the order they started");
  }

  private static Operation ended(String id, Instant endedAt) {
    return new Operation(id, OperationKind.GATHER, OperationStatus.COMPLETED, null, List.of(), T0, endedAt, false, null);
  }
}
