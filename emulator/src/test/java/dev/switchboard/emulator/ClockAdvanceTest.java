package dev.switchboard.emulator;

import static dev.switchboard.emulator.EmulatorFixture.callState;
import static dev.switchboard.emulator.EmulatorFixture.operation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.emulator.media.WavInfo;
import dev.switchboard.emulator.media.WavSynth;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /emulator/clock/advance} (timers that fall due fire, in order, before it answers) and
 * {@code POST /emulator/calls/{id}/speech} (what the caller says to the next recording). The clock runs at real speed
 * (a tenth of it where a test checks that a timer has not fired yet), so what a test checks comes from its advances.
 */
class ClockAdvanceTest {

  private static final String CALLS = "/v1.0/communications/calls/";
  private static final String MEGAN = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e03";
  private static EmulatorFixture fx;

  @BeforeAll
  static void start() {
    fx = new EmulatorFixture(1);
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @AfterEach
  void reset() {
    fx.reset();
  }

  private static JsonObject advance(double seconds) {
    return fx.advance(seconds);
  }

  private static String state(EmulatorFixture emulator, String callId) {
    return emulator.control("GET", "/emulator/calls/" + callId, null).json().getString("state");
  }

  @Test
  void advancingMovesTheDateAndOnlyForward() {
    Instant before = Instant.parse(fx.control("GET", "/emulator/clock", null).json().getString("now"));
    JsonObject after = advance(3600);
    assertTrue(!Instant.parse(after.getString("now")).isBefore(before.plusSeconds(3600)), after.encode());
    assertTrue(after.getDouble("advancedSeconds") >= 3600, after.encode());
    for (Object bad : new Object[] {-1, 0, "ten", 400L * 24 * 3600}) {
      EmulatorFixture.Response r = fx.control("POST", "/emulator/clock/advance", new JsonObject().put("seconds", bad));
      assertEquals(400, r.status(), String.valueOf(bad));
      assertTrue(r.body().contains("seconds must be"), r.body());
    }
  }

  @Test
  void anUnansweredIncomingCallIsDroppedWhenItsFifteenSecondWindowIsAdvancedPast() {
    // A clock at a tenth of real speed: the second left in the window is ten real seconds, whatever the machine.
    try (EmulatorFixture slow = new EmulatorFixture(0.1)) {
      int m = slow.mark();
      String id = slow.control("POST", "/emulator/calls/incoming", new JsonObject().put("from", "+14255550123"))
          .json().getString("id");
      slow.await(m, n -> n.getString("changeType").equals("created"));
      slow.advance(14);
      assertEquals("incoming", state(slow, id), "14 s into the 15 s window");
      slow.advance(1.5);
      assertEquals("terminated", state(slow, id));
      JsonObject ended = slow.await(m, callState(id, "terminated")).notification().getJsonObject("resourceData");
      assertEquals(408, ended.getJsonObject("resultInfo").getInteger("code"));
    }
  }

  @Test
  void aPresenceSessionExpiresWhenItsExpirationDurationIsAdvancedPast() {
    String session = fx.emulator.graphConfig().getString("clientId");
    assertEquals(200, fx.graph("POST", "/v1.0/users/" + MEGAN + "/presence/setPresence", new JsonObject()
        .put("sessionId", session).put("availability", "Busy").put("activity", "InACall")
        .put("expirationDuration", "PT10M")).status());
    advance(9 * 60);
    assertEquals("Busy", presence(MEGAN));
    advance(61);
    assertEquals("Offline", presence(MEGAN), "the session ended at its expiration");
  }

  private static String presence(String user) {
    return fx.graph("GET", "/v1.0/users/" + user + "/presence", null).json().getString("availability");
  }

  @Test
  void aRecordingHearsTheWavTheCallerSaysAndItsTimersFireWithinOneAdvance() {
    String id = fx.answeredIncomingCall(new JsonObject().put("from", "+14255550188"));
    byte[] said = noise(1.5);
    EmulatorFixture.Response queued = fx.controlBytes("/emulator/calls/" + id + "/speech", said, "audio/wav");
    assertEquals(202, queued.status(), queued.body());
    assertEquals(1.5, queued.json().getDouble("seconds"), 1e-9);
    int m = fx.mark();
    String op = fx.graph("POST", CALLS + id + "/recordResponse", new JsonObject().put("maxSilenceTimeoutInSeconds", 2)
        .put("maxRecordDurationInSeconds", 30)).json().getString("id");
    // the beep (0.5 s), then 1.5 s of speech and 2 s of silence: both timers within one advance
    advance(10);
    JsonObject data = fx.await(m, operation(id, op)).notification().getJsonObject("resourceData");
    assertEquals("maxSilenceTimeout", data.getString("completionReason"), data.encode());
    byte[] recording = fx.bytes(data.getString("recordingLocation"), "Bearer " + data.getString("recordingAccessToken"));
    WavInfo wav = WavInfo.parse(Buffer.buffer(recording));
    assertEquals(3500, wav.durationMillis(), 1, "what was said, then 2 s of silence");
    byte[] samples = Arrays.copyOfRange(recording, wav.dataOffset(), recording.length);
    byte[] spoken = Arrays.copyOfRange(said, 44, said.length);
    assertArrayEquals(spoken, Arrays.copyOf(samples, spoken.length));
    assertTrue(Arrays.equals(new byte[samples.length - spoken.length],
        Arrays.copyOfRange(samples, spoken.length, samples.length)), "silence after the speech");
  }

  @Test
  void utterancesAreHeardOnePerRecordingInOrderThenTheBehaviorAgain() {
    String id = fx.answeredIncomingCall(new JsonObject().put("from", "+14255550188")
        .put("behavior", new JsonObject().put("speakSeconds", 4)));
    assertEquals(1, fx.control("POST", "/emulator/calls/" + id + "/speech", new JsonObject().put("seconds", 0))
        .json().getInteger("waiting"));
    assertEquals(2, fx.control("POST", "/emulator/calls/" + id + "/speech", new JsonObject().put("seconds", 1))
        .json().getInteger("waiting"));
    assertEquals("initialSilenceTimeout", record(id).getString("completionReason"), "said nothing");
    assertEquals(2000, recordedMillis(record(id)), 1, "1 s then 1 s of silence");
    assertEquals(5000, recordedMillis(record(id)), 1, "the behavior's 4 s then 1 s of silence");
  }

  private static JsonObject record(String id) {
    int m = fx.mark();
    String op = fx.graph("POST", CALLS + id + "/recordResponse", new JsonObject().put("maxSilenceTimeoutInSeconds", 1)
        .put("initialSilenceTimeoutInSeconds", 1).put("maxRecordDurationInSeconds", 30).put("playBeep", false))
        .json().getString("id");
    advance(30);
    return fx.await(m, operation(id, op)).notification().getJsonObject("resourceData");
  }

  private static double recordedMillis(JsonObject data) {
    return WavInfo.parse(Buffer.buffer(fx.bytes(data.getString("recordingLocation"),
        "Bearer " + data.getString("recordingAccessToken")))).durationMillis();
  }

  @Test
  void speechInTheWrongFormatOrForAnUnknownCallIsRefused() {
    String id = fx.answeredIncomingCall(new JsonObject().put("from", "+14255550188"));
    EmulatorFixture.Response stereo = fx.controlBytes("/emulator/calls/" + id + "/speech",
        WavSynth.silence(44100, 2, 1).getBytes(), "audio/wav");
    assertEquals(400, stereo.status());
    assertTrue(stereo.body().contains("16000 Hz") && stereo.body().contains("44100 Hz"), stereo.body());
    assertEquals(400, fx.controlBytes("/emulator/calls/" + id + "/speech", "<html/>".getBytes(), "audio/wav").status());
    EmulatorFixture.Response noSeconds = fx.control("POST", "/emulator/calls/" + id + "/speech", new JsonObject());
    assertEquals(400, noSeconds.status());
    assertTrue(noSeconds.body().contains("seconds is required"), noSeconds.body());
    assertEquals(400, fx.control("POST", "/emulator/calls/" + id + "/speech", new JsonObject().put("seconds", 500))
        .status());
    assertEquals(404, fx.control("POST", "/emulator/calls/nosuch/speech", new JsonObject().put("seconds", 1)).status());
    // nothing was queued: the next recording hears the behavior's 3 s
    assertEquals(4000, recordedMillis(record(id)), 1);
  }

  /** A WAV of {@code seconds} of random samples in Graph's format: nothing the emulator could make up itself. */
  private static byte[] noise(double seconds) {
    byte[] samples = new byte[(int) Math.round(seconds * WavSynth.SAMPLE_RATE) * 2];
    new Random(17).nextBytes(samples);
    return WavSynth.samplesThenSilence(Buffer.buffer(samples), 0).getBytes();
  }
}
