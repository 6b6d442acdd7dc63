package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.media.MediaEvent;
import dev.switchboard.api.media.OperationStatus;
import dev.switchboard.emulator.media.WavInfo;
import dev.switchboard.emulator.media.WavSynth;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ivr flow that records a message (its silence timeout: 5 s), after asking for a key: callers who speak for a time,
 * stay silent, or say what the test gives them ({@link Caller#say}) in the middle of the call, before the recording
 * starts.
 */
class RecordingIT {

  @BeforeAll
  static void speech() {
    Flows.assumeSpeech();
  }

  private static final String MENU = "Press 1 to leave a message.";
  private static final String MESSAGE = "Please leave a message.";
  private static final String FLOW = """
      default: true
      nodes:
        menu:
          type: gather
          say: Press 1 to leave a message.
          timeout: 10s
          branches:
            "1": message
        message:
          type: record
          say: Please leave a message.
          maxDuration: 30s
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
    caller.awaitPrompt(MENU);
    caller.press("1");
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
    caller.awaitPrompt(MENU);
    caller.press("1");
    caller.awaitPrompt(MESSAGE);
    MediaEvent.RecordCompleted recorded = caller.awaitEvent(MediaEvent.RecordCompleted.class, e -> true);
    assertEquals(OperationStatus.FAILED, recorded.outcome().status(), recorded.toString());
    assertEquals("initialSilenceTimeout", recorded.completionReason(), recorded.toString());
  }

  @Test
  void theMessageTheBotStoresIsTheAudioTheCallerSaid(@TempDir Path dir) throws Exception {
    byte[] said = noise(1.5);
    Path file = Files.write(dir.resolve("hello.wav"), said);
    Caller caller = kit.dial("+14255550123");
    caller.awaitPrompt(MENU);
    caller.say(file).press("1");
    caller.awaitPrompt(MESSAGE);
    byte[] stored = storedMessage(caller);

    WavInfo wav = WavInfo.parse(Buffer.buffer(stored));
    assertTrue(wav.isGraphPromptFormat(), wav.describe());
    assertEquals(6_500, wav.durationMillis(), 1, "1.5 s said, then the 5 s of silence that end the message");
    byte[] samples = Arrays.copyOfRange(stored, wav.dataOffset(), stored.length);
    byte[] spoken = Arrays.copyOfRange(said, 44, said.length);
    assertArrayEquals(spoken, Arrays.copyOf(samples, spoken.length), "the message begins with what was said");
    assertArrayEquals(new byte[samples.length - spoken.length], Arrays.copyOfRange(samples, spoken.length,
        samples.length), "then silence");
    caller.awaitPrompt("Thanks.");
    caller.awaitEnded();
  }

  @Test
  void aCallerWhoSaysFourSecondsLeavesAMessageOfFourSecondsAndTheSilenceAfter() {
    Caller caller = kit.dialSpeaking("+14255550123", Duration.ZERO);
    caller.awaitPrompt(MENU);
    caller.say(Duration.ofSeconds(4)).press("1");
    WavInfo wav = WavInfo.parse(Buffer.buffer(storedMessage(caller)));
    assertEquals(9_000, wav.durationMillis(), 1, "4 s said (not the behavior's silence), then 5 s of silence");
  }

  @Test
  void audioInAFormatGraphDoesNotRecordIsRefusedWithWhatItIs() {
    Caller caller = kit.dial("+14255550123");
    caller.awaitPrompt(MENU);
    AssertionError refused = assertThrows(AssertionError.class,
        () -> caller.say(WavSynth.silence(44100, 2, 1).getBytes()));
    assertTrue(refused.getMessage().contains("44100 Hz") && refused.getMessage().contains("16000 Hz"),
        refused.getMessage());
    // nothing was queued: the message is the caller's 3 s (the emulator's default behavior)
    caller.press("1");
    assertEquals(8_000, WavInfo.parse(Buffer.buffer(storedMessage(caller))).durationMillis(), 1);
  }

  /** Waits for the bot's recording of the message and fetches the file it stored. */
  private static byte[] storedMessage(Caller caller) {
    MediaEvent.RecordCompleted recorded = caller.awaitEvent(MediaEvent.RecordCompleted.class, e -> true);
    assertEquals(OperationStatus.COMPLETED, recorded.outcome().status(), recorded.toString());
    HttpResponse<Buffer> file = kit.http(HttpMethod.GET, recorded.recording().url());
    assertEquals(200, file.statusCode(), file.bodyAsString());
    return file.body().getBytes();
  }

  /** A WAV (Graph's format) of random samples: nothing the emulator could make up itself. */
  private static byte[] noise(double seconds) {
    byte[] samples = new byte[(int) Math.round(seconds * WavSynth.SAMPLE_RATE) * 2];
    new Random(17).nextBytes(samples);
    return WavSynth.samplesThenSilence(Buffer.buffer(samples), 0).getBytes();
  }
}
