package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.media.MediaEvent;
import dev.switchboard.api.media.OperationStatus;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A caller who speaks when recorded, and one who stays silent, against an ivr flow that records a message. */
class RecordingIT {

  @BeforeAll
  static void speech() {
    Flows.assumeSpeech();
  }

  private static final String MESSAGE = "Please leave a message.";
  private static final String FLOW = """
      default: true
      nodes:
        message:
          type: record
          say: Please leave a message.
          maxDuration: 20s
          next: bye
        bye:
          type: hangup
          say: Thanks.
      """;

  @RegisterExtension
  static final SwitchboardKit kit = SwitchboardKit.withBundles("calling", "media", "ivr").withFile(Flows.FILE, FLOW)
      .sharedServer();

  @Test
  void aCallerWhoSpeaksForTwoSecondsLeavesAMessageOfTwoSecondsAndTheSilenceAfter() {
    Caller caller = kit.dialSpeaking("+14255550123", Duration.ofSeconds(2));
    caller.awaitPrompt(MESSAGE);
    MediaEvent.RecordCompleted recorded = caller.awaitEvent(MediaEvent.RecordCompleted.class, e -> true);
    assertEquals(OperationStatus.COMPLETED, recorded.outcome().status(), recorded.toString());
    assertEquals("maxSilenceTimeout", recorded.completionReason());
    // Two seconds spoken, then the five seconds of silence that end it.
    assertTrue(recorded.recording().durationMs() >= 6_500 && recorded.recording().durationMs() <= 7_500,
        recorded.recording().toString());
    caller.awaitPrompt("Thanks.");
    caller.awaitEnded();
  }

  @Test
  void aSilentCallerLeavesNoMessage() {
    Caller caller = kit.dialSpeaking("+14255550123", Duration.ZERO);
    caller.awaitPrompt(MESSAGE);
    MediaEvent.RecordCompleted recorded = caller.awaitEvent(MediaEvent.RecordCompleted.class, e -> true);
    assertEquals(OperationStatus.FAILED, recorded.outcome().status(), recorded.toString());
    assertEquals("initialSilenceTimeout", recorded.completionReason(), recorded.toString());
  }
}
