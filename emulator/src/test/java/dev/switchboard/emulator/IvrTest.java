package dev.switchboard.emulator;

import static dev.switchboard.emulator.EmulatorFixture.operation;
import static dev.switchboard.emulator.EmulatorFixture.serviceHosted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.emulator.media.WavInfo;
import dev.switchboard.emulator.media.WavSynth;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** playPrompt, recordResponse, cancelMediaProcessing, subscribeToTone and sendDtmfTones. */
class IvrTest {

  private static final double SPEED = 10;
  private static final String CALLS = "/v1.0/communications/calls/";
  private static EmulatorFixture fx;

  @BeforeAll
  static void start() {
    fx = new EmulatorFixture(SPEED);
    fx.prompts.put("two-seconds.wav", WavSynth.toneThenSilence(2, 0));
    fx.prompts.put("cd-quality.wav", wav(44100, 2, 16, 1.0));
    fx.prompts.put("not-a-wav.wav", Buffer.buffer("<html>nope</html>"));
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @AfterEach
  void reset() {
    fx.reset();
  }

  /** A PCM WAV of the given format and length (silence). */
  static Buffer wav(int rate, int channels, int bits, double seconds) {
    int bytes = (int) (rate * seconds) * channels * bits / 8;
    return Buffer.buffer().appendString("RIFF").appendIntLE(36 + bytes).appendString("WAVE")
        .appendString("fmt ").appendIntLE(16).appendShortLE((short) 1).appendShortLE((short) channels)
        .appendIntLE(rate).appendIntLE(rate * channels * bits / 8).appendShortLE((short) (channels * bits / 8))
        .appendShortLE((short) bits).appendString("data").appendIntLE(bytes).appendBytes(new byte[bytes]);
  }

  private static JsonObject prompts(String... files) {
    JsonArray a = new JsonArray();
    for (String f : files) {
      a.add(new JsonObject().put("@odata.type", "#microsoft.graph.mediaPrompt")
          .put("mediaInfo", new JsonObject().put("uri", fx.promptBase + f)));
    }
    return new JsonObject().put("prompts", a).put("clientContext", "ctx-" + files.length);
  }

  private String call(JsonObject callerBehavior) {
    return fx.answeredIncomingCall(new JsonObject().put("from", "+14255550188").put("behavior", callerBehavior));
  }

  @Test
  void a16kHzMonoPromptCompletesAfterItsDurationDividedByTheClockSpeed() {
    String id = call(new JsonObject());
    int m = fx.mark();
    long start = System.nanoTime();
    EmulatorFixture.Response r = fx.graph("POST", CALLS + id + "/playPrompt", prompts("two-seconds.wav"));
    assertEquals(200, r.status(), r.body());
    JsonObject op = r.json();
    assertEquals("#microsoft.graph.playPromptOperation", op.getString("@odata.type"));
    assertEquals("running", op.getString("status"));
    assertEquals("ctx-1", op.getString("clientContext"));
    assertEquals(fx.emulator.baseUrl() + CALLS + id + "/operations/" + op.getString("id"), r.header("Location"));

    EmulatorFixture.Received done = fx.await(m, operation(id, op.getString("id")));
    long elapsedMs = (done.nanos() - start) / 1_000_000;
    assertTrue(elapsedMs >= 2000 / SPEED - 10 && elapsedMs < 2000, "completed after " + elapsedMs + " ms");
    JsonObject data = done.notification().getJsonObject("resourceData");
    assertEquals("deleted", done.notification().getString("changeType"));
    assertEquals("completed", data.getString("status"));
    assertEquals(200, data.getJsonObject("resultInfo").getInteger("code"));
    assertEquals(0, data.getJsonObject("resultInfo").getInteger("subcode"));
    assertEquals("completed", fx.graph("GET", CALLS + id + "/operations/" + op.getString("id"), null).json().getString("status"));
  }

  @Test
  void a44kHzStereoPromptFailsTheOperationWithAClearResultInfo() {
    String id = call(new JsonObject());
    int m = fx.mark();
    String op = fx.graph("POST", CALLS + id + "/playPrompt", prompts("cd-quality.wav")).json().getString("id");
    JsonObject data = fx.await(m, operation(id, op)).notification().getJsonObject("resourceData");
    assertEquals("failed", data.getString("status"));
    JsonObject result = data.getJsonObject("resultInfo");
    assertEquals(400, result.getInteger("code"));
    assertEquals(8535, result.getInteger("subcode"));
    assertTrue(result.getString("message").contains("44100 Hz") && result.getString("message").contains("2 channels")
        && result.getString("message").contains("16000 Hz"), result.getString("message"));

    m = fx.mark();
    op = fx.graph("POST", CALLS + id + "/playPrompt", prompts("missing.wav")).json().getString("id");
    JsonObject missing = fx.await(m, operation(id, op)).notification().getJsonObject("resourceData").getJsonObject("resultInfo");
    assertEquals(8536, missing.getInteger("subcode"));
    assertTrue(missing.getString("message").contains("HTTP 404"), missing.getString("message"));

    m = fx.mark();
    op = fx.graph("POST", CALLS + id + "/playPrompt", prompts("not-a-wav.wav")).json().getString("id");
    assertEquals(8535, fx.await(m, operation(id, op)).notification().getJsonObject("resourceData")
        .getJsonObject("resultInfo").getInteger("subcode"));
    assertEquals(400, fx.graph("POST", CALLS + id + "/playPrompt", new JsonObject().put("prompts", new JsonArray())).status());
  }

  @Test
  void promptsAreQueuedAndCancelMediaProcessingFailsTheRunningAndQueuedOnes() {
    String id = call(new JsonObject());
    int m = fx.mark();
    String first = fx.graph("POST", CALLS + id + "/playPrompt", prompts("two-seconds.wav", "two-seconds.wav")).json().getString("id");
    String second = fx.graph("POST", CALLS + id + "/recordResponse", new JsonObject()).json().getString("id");
    EmulatorFixture.Response cancel = fx.graph("POST", CALLS + id + "/cancelMediaProcessing", new JsonObject().put("clientContext", "c"));
    assertEquals(200, cancel.status());
    assertEquals("completed", cancel.json().getString("status"));
    assertNotNull(cancel.header("Location"));
    JsonObject a = fx.await(m, operation(id, first)).notification().getJsonObject("resourceData");
    JsonObject b = fx.await(m, operation(id, second)).notification().getJsonObject("resourceData");
    assertEquals("failed", a.getString("status"));
    assertEquals(8508, a.getJsonObject("resultInfo").getInteger("subcode"));
    assertEquals("mediaOperationCanceled", a.getString("completionReason"));
    assertEquals("operationCanceled", b.getString("completionReason"));
    assertEquals("", b.getString("recordingLocation"));
  }

  @Test
  void aCallKeepsItsLatestFinishedOperationsOnly() {
    String id = call(new JsonObject());
    java.util.List<String> ops = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      EmulatorFixture.Response r = fx.graph("POST", CALLS + id + "/cancelMediaProcessing", new JsonObject());
      assertEquals("completed", r.json().getString("status"), r.body());
      ops.add(r.json().getString("id"));
    }
    assertEquals(404, fx.graph("GET", CALLS + id + "/operations/" + ops.get(0), null).status(),
        "the oldest of 40 finished operations is forgotten");
    assertEquals(404, fx.graph("GET", CALLS + id + "/operations/" + ops.get(7), null).status());
    for (String op : ops.subList(8, 40)) {
      assertEquals("completed", fx.graph("GET", CALLS + id + "/operations/" + op, null).json().getString("status"));
    }
  }

  @Test
  void recordingCapturesTheCallersSpeechAndIsServedOnlyWithItsAccessToken() {
    String id = call(new JsonObject().put("speakSeconds", 2));
    int m = fx.mark();
    EmulatorFixture.Response r = fx.graph("POST", CALLS + id + "/recordResponse", new JsonObject()
        .put("maxRecordDurationInSeconds", 10).put("maxSilenceTimeoutInSeconds", 1).put("playBeep", false));
    assertEquals(200, r.status());
    assertEquals("#microsoft.graph.recordOperation", r.json().getString("@odata.type"));
    assertTrue(r.json().containsKey("recordingLocation"));
    JsonObject data = fx.await(m, operation(id, r.json().getString("id"))).notification().getJsonObject("resourceData");
    assertEquals("completed", data.getString("status"));
    assertEquals("maxSilenceTimeout", data.getString("completionReason"));
    String location = data.getString("recordingLocation");
    String token = data.getString("recordingAccessToken");

    assertEquals(401, fx.getAbsolute(location, null).status());
    assertEquals(401, fx.getAbsolute(location, "Bearer wrong").status());
    WavInfo wav = WavInfo.parse(Buffer.buffer(fx.bytes(location, "Bearer " + token)));
    assertTrue(wav.isGraphPromptFormat());
    assertEquals(3000, wav.durationMillis(), 1, "2 s of speech then 1 s of silence");
  }

  @Test
  void maxDurationStopTonesAndInitialSilenceEndARecording() {
    String talker = call(new JsonObject().put("speakSeconds", 30));
    int m = fx.mark();
    String op = fx.graph("POST", CALLS + talker + "/recordResponse", new JsonObject()
        .put("maxRecordDurationInSeconds", 3).put("playBeep", false)).json().getString("id");
    JsonObject full = fx.await(m, operation(talker, op)).notification().getJsonObject("resourceData");
    assertEquals(8515, full.getJsonObject("resultInfo").getInteger("subcode"));
    assertEquals(3000, WavInfo.parse(Buffer.buffer(fx.bytes(full.getString("recordingLocation"),
        "Bearer " + full.getString("recordingAccessToken")))).durationMillis(), 1);

    m = fx.mark();
    op = fx.graph("POST", CALLS + talker + "/recordResponse", new JsonObject().put("maxRecordDurationInSeconds", 60)
        .put("stopTones", new JsonArray().add("#")).put("playBeep", false)).json().getString("id");
    FxSleep.emulated(1000);
    assertEquals(202, fx.control("POST", "/emulator/calls/" + talker + "/tones", new JsonObject().put("tones", "#")).status());
    JsonObject stopped = fx.await(m, operation(talker, op)).notification().getJsonObject("resourceData");
    assertEquals("stopToneDetected", stopped.getString("completionReason"));
    double seconds = WavInfo.parse(Buffer.buffer(fx.bytes(stopped.getString("recordingLocation"),
        "Bearer " + stopped.getString("recordingAccessToken")))).durationMillis() / 1000;
    assertTrue(seconds >= 0.9 && seconds < 20, "stopped after " + seconds + " emulated s");

    String silent = call(new JsonObject().put("speakSeconds", 0));
    m = fx.mark();
    op = fx.graph("POST", CALLS + silent + "/recordResponse", new JsonObject().put("initialSilenceTimeoutInSeconds", 2))
        .json().getString("id");
    JsonObject none = fx.await(m, operation(silent, op)).notification().getJsonObject("resourceData");
    assertEquals("failed", none.getString("status"));
    assertEquals("initialSilenceTimeout", none.getString("completionReason"));
    assertEquals(400, fx.graph("POST", CALLS + silent + "/recordResponse",
        new JsonObject().put("maxRecordDurationInSeconds", 121)).status());
  }

  @Test
  void afterSubscribeToToneEveryKeyPressIsAnUpdatedNotificationWithIncreasingSequenceIds() {
    String id = call(new JsonObject());
    EmulatorFixture.Response sub = fx.graph("POST", CALLS + id + "/subscribeToTone", new JsonObject().put("clientContext", "t"));
    assertEquals(200, sub.status());
    assertEquals("completed", sub.json().getString("status"));
    assertNotNull(sub.header("Location"));
    int m = fx.mark();
    assertEquals(202, fx.control("POST", "/emulator/calls/" + id + "/tones",
        new JsonObject().put("tones", "1*#").put("gapMs", 50)).status());
    fx.await(m, n -> toneNotifications(m).size() == 3);
    List<JsonObject> tones = new ArrayList<>();
    for (JsonObject n : toneNotifications(m)) {
      assertEquals("updated", n.getString("changeType"));
      assertEquals("established", n.getJsonObject("resourceData").getString("state"));
      tones.add(n.getJsonObject("resourceData").getJsonObject("toneInfo"));
    }
    assertEquals(List.of("tone1", "star", "pound"), tones.stream().map(t -> t.getString("tone")).toList());
    assertEquals(List.of(1L, 2L, 3L), tones.stream().map(t -> t.getLong("sequenceId")).toList());
    assertEquals(400, fx.control("POST", "/emulator/calls/" + id + "/tones", new JsonObject().put("tones", "9x")).status());
  }

  @Test
  void sendDtmfTonesRunsThenCompletes() {
    String id = call(new JsonObject());
    int m = fx.mark();
    EmulatorFixture.Response r = fx.graph("POST", CALLS + id + "/microsoft.graph.sendDtmfTones", new JsonObject()
        .put("tones", new JsonArray().add("tone1").add("pound")).put("delayBetweenTonesMs", 100).put("clientContext", "d"));
    assertEquals(200, r.status());
    assertEquals("running", r.json().getString("status"));
    JsonObject done = fx.await(m, operation(id, r.json().getString("id"))).notification().getJsonObject("resourceData");
    assertEquals("completed", done.getString("status"));
    assertEquals("completedSuccessfully", done.getString("completionReason"));
    assertEquals(400, fx.graph("POST", CALLS + id + "/sendDtmfTones", new JsonObject().put("tones", new JsonArray().add("tone12")))
        .status());
  }

  private static List<JsonObject> toneNotifications(int from) {
    List<JsonObject> out = new ArrayList<>();
    for (int i = from; i < fx.received.size(); i++) {
      JsonObject n = fx.received.get(i).notification();
      if (n.getValue("resourceData") instanceof JsonObject d && d.containsKey("toneInfo")) {
        out.add(n);
      }
    }
    return out;
  }

  /** Sleeps an emulated duration at this test's clock speed. */
  static final class FxSleep {
    static void emulated(long ms) {
      EmulatorFixture.sleep((long) (ms / SPEED));
    }
  }
}
