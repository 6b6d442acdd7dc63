package dev.switchboard.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.switchboard.api.PluginContext;
import dev.switchboard.api.media.GatherEnd;
import dev.switchboard.api.media.MediaCommand;
import dev.switchboard.api.media.MediaEvent;
import dev.switchboard.api.media.OperationKind;
import dev.switchboard.api.media.OperationStatus;
import dev.switchboard.api.media.PromptRef;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A gather's keys and timers, without sockets: the plugin context (key timers) and Graph are stubbed. */
class GatheringTest {

  private final PluginContext context = mock(PluginContext.class);

  {
    org.mockito.Mockito.when(context.meters()).thenCallRealMethod(); // meters that count nothing
  }
  private final GraphMedia graph = mock(GraphMedia.class);
  private final Gathering gathering = new Gathering(context, null, graph, null, new Outcomes("1.2.3"));

  private static Step gathering(MediaCommand.Gather command) {
    Operation op = Operation.started("g1", OperationKind.GATHER, "mine");
    return Step.of(CallState.begin("c1", "t1", true).with(op).withGather(GatherState.of("g1", command)));
  }

  private Step keys(Step step, String... keys) {
    for (String key : keys) {
      step = gathering.key(step, key, null).result();
    }
    return step;
  }

  private static MediaEvent.GatherCompleted only(Step step) {
    assertEquals(1, step.events().size(), step.events().toString());
    return (MediaEvent.GatherCompleted) step.events().get(0);
  }

  @Test
  void keysAreCollectedUntilMaxDigitsWithAnInterDigitTimerAfterEach() {
    Step step = keys(gathering(MediaCommand.Gather.of("c1").withMaxDigits(3).withTimeouts(2_000, 9_000)), "1", "2");
    assertEquals("12", step.state().gather().digits());
    verify(context, times(2)).keyTimer(CallMedia.ADDRESS, "c1", Gathering.INTER_DIGIT_TIMEOUT,
        Duration.ofMillis(2_000), new JsonObject().put("operationId", "g1"));

    MediaEvent.GatherCompleted done = only(keys(step, "3"));
    assertEquals("123", done.digits());
    assertEquals(GatherEnd.MAX_DIGITS, done.endedBy());
    assertEquals(OperationStatus.COMPLETED, done.outcome().status());
    assertEquals("mine", done.outcome().clientContext());
    assertEquals("1.2.3", done.outcome().version());
    verify(context).cancelKeyTimer(CallMedia.ADDRESS, "c1", Gathering.TIMEOUT);
    verify(context).cancelKeyTimer(CallMedia.ADDRESS, "c1", Gathering.INTER_DIGIT_TIMEOUT);
  }

  @Test
  void theTerminatorEndsTheGatherAndIsNotADigit() {
    Step step = keys(gathering(MediaCommand.Gather.of("c1").withMaxDigits(5).withTerminator("#")), "4", "#");
    MediaEvent.GatherCompleted done = only(step);
    assertEquals("4", done.digits());
    assertEquals(GatherEnd.TERMINATOR, done.endedBy());
    assertNull(step.state().gather());
    assertEquals(OperationStatus.COMPLETED, step.state().operation("g1").status());
  }

  @Test
  void aTimerOfAGatherThatAlreadyEndedChangesNothing() {
    Step step = gathering(MediaCommand.Gather.of("c1").withMaxDigits(2));
    assertSame(step, gathering.timer(step, Gathering.TIMEOUT, new JsonObject().put("operationId", "an-older-one")));
    MediaEvent.GatherCompleted done = only(gathering.timer(step, Gathering.INTER_DIGIT_TIMEOUT,
        new JsonObject().put("operationId", "g1")));
    assertEquals(GatherEnd.INTER_DIGIT_TIMEOUT, done.endedBy());
  }

  @Test
  void theFirstKeyCutsThePromptShortAndStartsTheOverallTimeout() {
    when(graph.cancelMediaProcessing(any(), any())).thenReturn(Future.succeededFuture());
    Step step = gathering(MediaCommand.Gather.of("c1").withMaxDigits(2).withTimeouts(3_000, 7_000)
        .withPrompts(List.of(PromptRef.text("Menu."))));
    Step after = keys(step, "1");
    assertTrue(after.state().gather().promptDone());
    verify(graph).cancelMediaProcessing(any(), eq("switchboard-media-barge-in"));
    verify(context).keyTimer(CallMedia.ADDRESS, "c1", Gathering.TIMEOUT, Duration.ofMillis(7_000),
        new JsonObject().put("operationId", "g1"));
    keys(after, "2");
    verify(graph).cancelMediaProcessing(any(), any()); // once: the prompt was already cut
  }

  @Test
  void theEndOfTheCallEndsTheGatherAsFailed() {
    MediaEvent.GatherCompleted done = only(gathering.finish(gathering(MediaCommand.Gather.of("c1")),
        GatherEnd.CALL_ENDED));
    assertEquals(OperationStatus.FAILED, done.outcome().status());
    assertTrue(done.outcome().callEnded());
    verify(context, never()).keyTimer(any(), any(), any(), any(), any());
  }
}
