package dev.switchboard.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.media.MediaCommand;
import dev.switchboard.api.media.OperationStarted;
import dev.switchboard.api.media.PromptRef;
import dev.switchboard.platform.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The media bundle against the emulator (which checks Graph's WAV format), with the calling bundle, on a real
 * server; the emulator's clock runs 20 times faster, so prompts and recordings take a twentieth of their length.
 */
class MediaIT {

  @TempDir
  static Path home;

  static MediaHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = MediaHarness.start(home, 5);
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  private static JsonObject upload(byte[] wav, String name) throws Exception {
    HttpResponse<Buffer> r = h.rest(HttpMethod.POST, "/media/prompts" + (name == null ? "" : "?name=" + name), wav);
    assertTrue(r.statusCode() == 201 || r.statusCode() == 200, r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private static String emulatorSample(int seconds) {
    return h.emulated.emulator.baseUrl() + "/emulator/samples/prompt.wav?seconds=" + seconds;
  }

  private static JsonObject play(String callId, JsonArray prompts) throws Exception {
    HttpResponse<Buffer> r = h.rest(HttpMethod.POST, "/calls/" + callId + "/play",
        new JsonObject().put("prompts", prompts));
    assertEquals(202, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private static long storedPrompts() throws Exception {
    Path folder = h.dataDir().resolve("media/prompts");
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.count();
    }
  }

  @Test
  void convertedPromptsAreServedWithCachingHeadersAndTheEmulatorPlaysEveryOne() throws Exception {
    byte[] cd = Signals.wav(Signals.sine(1000, 44_100, 2.0, 0.5), 44_100, 2, 24, 1);
    JsonObject prompt = upload(cd, "welcome");
    String id = prompt.getString("id");
    assertEquals("PCM 24-bit stereo 44100 Hz", prompt.getString("sourceFormat"));
    assertEquals("http://127.0.0.1:" + h.t.server.httpPort() + "/media/prompts/" + id + ".wav", prompt.getString("uri"));
    assertEquals(id, prompt.getString("resourceId"));
    assertEquals(200, h.rest(HttpMethod.POST, "/media/prompts", cd).statusCode(), "the same audio is stored once");

    HttpResponse<Buffer> file = h.rest(HttpMethod.GET, "/media/prompts/" + id + ".wav", null);
    assertEquals(200, file.statusCode());
    assertEquals("audio/wav", file.getHeader("Content-Type"));
    assertEquals("\"" + id + "\"", file.getHeader("ETag"));
    assertEquals(Integer.toString(file.body().length()), file.getHeader("Content-Length"));
    assertTrue(file.getHeader("Cache-Control").contains("max-age="), file.getHeader("Cache-Control"));
    assertEquals(1000.0, Signals.zeroCrossingHz(Signals.pcm16(file.body().getBytes()), 16_000), 0.05);
    HttpResponse<Buffer> cached = TestServer.await(h.t.client.get(h.t.server.httpPort(), "127.0.0.1",
        "/media/prompts/" + id + ".wav").putHeader("If-None-Match", "\"" + id + "\"").send());
    assertEquals(304, cached.statusCode());
    assertEquals(404, h.rest(HttpMethod.GET, "/media/prompts/00000000-0000-0000-0000-000000000000.wav", null)
        .statusCode());

    JsonArray all = new JsonArray().add("welcome");
    for (int[] layout : new int[][] {{8_000, 1, 8}, {11_025, 2, 16}, {22_050, 1, 24}, {32_000, 2, 32},
        {48_000, 2, 16}, {16_000, 1, 16}}) {
      all.add(upload(Signals.wav(Signals.sine(440, layout[0], 0.5, 0.4), layout[0], layout[1], layout[2], 1), null)
          .getString("id"));
    }
    String call = h.answeredCall(null);
    JsonObject op = play(call, all);
    JsonObject done = h.awaitOperation("playCompleted", call, op.getString("operationId"));
    assertEquals("completed", done.getString("status"), done.encodePrettily());
    JsonObject sent = h.requests("/playPrompt").getJsonObject(0).getJsonObject("body");
    assertEquals(7, sent.getJsonArray("prompts").size());
    assertEquals(prompt.getString("uri"), sent.getJsonArray("prompts").getJsonObject(0).getJsonObject("mediaInfo")
        .getString("uri"));

    // The check is real: the emulator fails a prompt in the wrong format, and the event says so.
    JsonObject wrong = play(call, new JsonArray().add(new JsonObject().put("uri",
        h.emulated.emulator.baseUrl() + "/emulator/samples/cd-quality.wav")));
    JsonObject failed = h.awaitOperation("playCompleted", call, wrong.getString("operationId"));
    assertEquals("failed", failed.getString("status"));
    assertEquals(8535, failed.getJsonObject("resultInfo").getInteger("subcode"));

    HttpResponse<Buffer> listed = h.rest(HttpMethod.GET, "/media/prompts", null);
    assertTrue(listed.bodyAsJsonObject().getJsonArray("value").stream()
        .anyMatch(p -> "welcome".equals(((JsonObject) p).getString("name"))));
    assertEquals(id, TestServer.await(h.media().resolvePrompts(java.util.List.of(PromptRef.stored("welcome"))))
        .preFetchMedia().get(0).resourceId());
  }

  @Test
  void unusableUploadsAreRefusedWithWhatIsWrongAndNothingIsStored() throws Exception {
    byte[] good = Signals.wav(Signals.sine(440, 16_000, 0.3, 0.5), 16_000, 1, 16, 1);
    long before = storedPrompts();
    record Case(String what, byte[] body, int status, String code, String says) {
    }
    Case[] cases = {
        new Case("text renamed .wav", "Meeting notes: call Bob\n".getBytes(StandardCharsets.UTF_8), 415, "notWav",
            "Not a WAV file"),
        new Case("truncated header", Arrays.copyOf(good, 20), 422, "corruptWav", "truncated"),
        new Case("ADPCM", Signals.wav(Signals.sine(440, 8_000, 0.3, 0.5), 8_000, 1, 16, 0x11), 415, "compressedWav",
            "IMA ADPCM"),
        new Case("0 bytes", new byte[0], 422, "emptyAudio", "empty"),
        new Case("over plugins.media.maxPromptBytes", new byte[(int) MediaHarness.MAX_PROMPT_BYTES + 1], 413,
            "promptTooLarge", "at most " + MediaHarness.MAX_PROMPT_BYTES),
    };
    for (Case c : cases) {
      HttpResponse<Buffer> r = h.rest(HttpMethod.POST, "/media/prompts?name=x", c.body());
      assertEquals(c.status(), r.statusCode(), c.what() + ": " + r.bodyAsString());
      JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
      assertEquals(c.code(), error.getString("code"), c.what());
      assertTrue(error.getString("message").contains(c.says()), c.what() + ": " + error.getString("message"));
    }
    // Beyond http.maxBodyBytes the platform refuses the body before the plugin sees it.
    assertEquals(413, h.rest(HttpMethod.POST, "/media/prompts", new byte[MediaHarness.MAX_BODY_BYTES + 1])
        .statusCode());
    assertEquals(before, storedPrompts(), "nothing stored");

    // The drop folder: a good file is imported under its name, a bad one reported.
    Files.createDirectories(h.dataDir().resolve("prompts"));
    Files.write(h.dataDir().resolve("prompts/notes.wav"), "just text".getBytes(StandardCharsets.UTF_8));
    Files.write(h.dataDir().resolve("prompts/goodbye.wav"), good);
    TestServer.awaitUntil("the drop folder is scanned", Duration.ofSeconds(10), () -> {
      try {
        JsonObject list = h.rest(HttpMethod.GET, "/media/prompts", null).bodyAsJsonObject();
        return list.getJsonObject("rejected").containsKey("notes.wav") && list.getJsonArray("value").stream()
            .anyMatch(p -> "goodbye".equals(((JsonObject) p).getString("name")));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    JsonObject rejected = h.rest(HttpMethod.GET, "/media/prompts", null).bodyAsJsonObject()
        .getJsonObject("rejected").getJsonObject("notes.wav");
    assertEquals("notWav", rejected.getString("code"));
    assertEquals(200, h.rest(HttpMethod.GET, "/media/prompts/goodbye", null).statusCode());
    assertEquals(204, h.rest(HttpMethod.DELETE, "/media/prompts/goodbye", null).statusCode());
    assertEquals(404, h.rest(HttpMethod.GET, "/media/prompts/goodbye", null).statusCode());
  }

  private static JsonObject gather(String call, JsonObject params) throws Exception {
    HttpResponse<Buffer> r = h.rest(HttpMethod.POST, "/calls/" + call + "/gather", params);
    assertEquals(202, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private static void press(String call, String tones) throws Exception {
    h.emulated.post("/emulator/calls/" + call + "/tones", new JsonObject().put("tones", tones));
  }

  @Test
  void gatherEndsOnTerminatorMaxDigitsInterDigitTimeoutAndOverallTimeout() throws Exception {
    String call = h.answeredCall(null);
    JsonObject a = gather(call, new JsonObject().put("maxDigits", 10).put("terminator", "#")
        .put("prompts", new JsonArray().add(new JsonObject().put("uri", emulatorSample(1)))).put("timeoutMs", 10_000));
    press(call, "12#");
    JsonObject byTerminator = h.awaitOperation("gatherCompleted", call, a.getString("operationId"));
    assertEquals("12", byTerminator.getString("digits"));
    assertEquals("terminator", byTerminator.getString("endedBy"));
    assertEquals(1, h.requests("/subscribeToTone").size(), "tones subscribed once per call");

    JsonObject b = gather(call, new JsonObject().put("maxDigits", 3).put("timeoutMs", 10_000));
    press(call, "4567");
    JsonObject byMax = h.awaitOperation("gatherCompleted", call, b.getString("operationId"));
    assertEquals("456", byMax.getString("digits"));
    assertEquals("maxDigits", byMax.getString("endedBy"));
    Thread.sleep(300); // the 7 arrives outside any gather and is dropped

    JsonObject c = gather(call, new JsonObject().put("maxDigits", 5).put("interDigitTimeoutMs", 400)
        .put("timeoutMs", 10_000));
    long started = System.nanoTime();
    press(call, "9");
    JsonObject byGap = h.awaitOperation("gatherCompleted", call, c.getString("operationId"));
    assertEquals("9", byGap.getString("digits"));
    assertEquals("interDigitTimeout", byGap.getString("endedBy"));
    assertTrue(System.nanoTime() - started >= 400_000_000L);

    JsonObject d = gather(call, new JsonObject().put("maxDigits", 5).put("timeoutMs", 500));
    JsonObject byTimeout = h.awaitOperation("gatherCompleted", call, d.getString("operationId"));
    assertEquals("", byTimeout.getString("digits"));
    assertEquals("timeout", byTimeout.getString("endedBy"));
    assertEquals(1, h.requests("/subscribeToTone").size());
  }

  @Test
  void bargeInCancelsThePromptAtTheFirstKey() throws Exception {
    String call = h.answeredCall(null);
    JsonObject g = gather(call, new JsonObject().put("maxDigits", 2).put("timeoutMs", 5_000)
        .put("prompts", new JsonArray().add(new JsonObject().put("uri", emulatorSample(120)))));
    Thread.sleep(300);
    press(call, "3");
    TestServer.awaitUntil("the prompt is cancelled", Duration.ofSeconds(10), () -> {
      try {
        return h.requests("/calls/" + call + "/cancelMediaProcessing").size() == 1;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    press(call, "4");
    JsonObject done = h.awaitOperation("gatherCompleted", call, g.getString("operationId"));
    assertEquals("34", done.getString("digits"));
    // The emulator reports the prompt cancelled (a 120 s prompt at speed 5 would still be playing).
    h.awaitEvent("operationCompleted", call, e -> "failed".equals(e.getJsonObject("operation").getString("status")));
  }

  @Test
  void cancelStopsAPlayMidway() throws Exception {
    String call = h.answeredCall(null);
    JsonObject op = play(call, new JsonArray().add(new JsonObject().put("uri", emulatorSample(120))));
    Thread.sleep(300);
    HttpResponse<Buffer> r = h.rest(HttpMethod.POST, "/calls/" + call + "/cancel", new JsonObject());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsJsonObject().getJsonArray("cancelled").contains(op.getString("operationId")));
    JsonObject done = h.awaitOperation("playCompleted", call, op.getString("operationId"));
    assertEquals("cancelled", done.getString("status"), done.encodePrettily());
  }

  private static JsonObject record(String call, JsonObject params) throws Exception {
    HttpResponse<Buffer> r = h.rest(HttpMethod.POST, "/calls/" + call + "/record", params);
    assertEquals(202, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  @Test
  void aRecordingIsDownloadedStoredListedAndServedEvenWhenTheFirstDownloadsFail() throws Exception {
    String call = h.answeredCall(new JsonObject().put("answer", "accept").put("speakSeconds", 2));
    h.emulated.post("/emulator/faults", new JsonObject().put("type", "unavailable").put("method", "GET")
        .put("path", "/recordings/*").put("count", 2).put("retryAfterSeconds", 0));
    JsonObject op = record(call, new JsonObject().put("maxSilenceSeconds", 1).put("maxDurationSeconds", 30));
    JsonObject done = h.awaitOperation("recordCompleted", call, op.getString("operationId"));
    assertEquals("completed", done.getString("status"), done.encodePrettily());
    assertEquals(3, done.getInteger("downloadAttempts"), "two failures, then success");
    JsonObject recording = done.getJsonObject("recording");
    assertTrue(recording.getLong("bytes") > 44);
    assertTrue(recording.getLong("durationMs") >= 2000, recording.encode());
    Path file = h.dataDir().resolve("recordings").resolve(call).resolve(op.getString("operationId") + ".wav");
    assertEquals(recording.getLong("bytes"), Files.size(file));

    JsonArray listed = h.rest(HttpMethod.GET, "/calls/" + call + "/recordings", null).bodyAsJsonObject()
        .getJsonArray("value");
    assertEquals(op.getString("operationId"), listed.getJsonObject(0).getString("id"));
    HttpResponse<Buffer> audio = h.rest(HttpMethod.GET, recording.getString("url").substring("/api/v1".length()), null);
    assertEquals(200, audio.statusCode());
    assertEquals("RIFF", audio.body().getString(0, 4));
    assertEquals(Files.size(file), audio.body().length());
    assertEquals(204, h.rest(HttpMethod.DELETE, "/calls/" + call + "/recordings/" + op.getString("operationId"), null)
        .statusCode());
    assertFalse(Files.exists(file));
  }

  @Test
  void aStopToneEndsARecording() throws Exception {
    String call = h.answeredCall(new JsonObject().put("answer", "accept").put("speakSeconds", 100));
    JsonObject op = record(call, new JsonObject().put("maxDurationSeconds", 120).put("stopTones",
        new JsonArray().add("#")).put("beep", false));
    Thread.sleep(500);
    press(call, "#");
    JsonObject done = h.awaitOperation("recordCompleted", call, op.getString("operationId"));
    assertEquals("completed", done.getString("status"), done.encodePrettily());
    assertEquals("stopToneDetected", done.getString("completionReason"));
    assertTrue(done.getJsonObject("recording").getLong("durationMs") < 100_000);
  }

  @Test
  void aTextPromptIsSynthesisedConvertedCachedAndPlayed() throws Exception {
    JsonObject status = h.rest(HttpMethod.GET, "/media/status", null).bodyAsJsonObject();
    Assumptions.assumeTrue(status.getJsonObject("speech").getBoolean("available"),
        "espeak-ng is not installed here: text prompts cannot be tested (.ci/run installs it)");
    JsonObject text = new JsonObject().put("text", "Press one for sales.").put("voice", "en");
    HttpResponse<Buffer> first = h.rest(HttpMethod.POST, "/media/prompts", text);
    assertEquals(201, first.statusCode(), first.bodyAsString());
    JsonObject prompt = first.bodyAsJsonObject();
    assertEquals("speech", prompt.getString("source"));
    assertTrue(prompt.getString("sourceFormat").contains("22050 Hz"), prompt.getString("sourceFormat"));
    assertTrue(prompt.getLong("durationMs") > 500, prompt.encode());
    HttpResponse<Buffer> again = h.rest(HttpMethod.POST, "/media/prompts", text);
    assertEquals(200, again.statusCode(), "cached by text and voice");
    assertEquals(prompt.getString("id"), again.bodyAsJsonObject().getString("id"));
    assertEquals(400, h.rest(HttpMethod.POST, "/media/prompts", new JsonObject().put("text", "x")
        .put("voice", "--help")).statusCode());

    String call = h.answeredCall(null);
    JsonObject op = play(call, new JsonArray().add(new JsonObject().put("text", "Press one for sales.")
        .put("voice", "en")));
    JsonObject done = h.awaitOperation("playCompleted", call, op.getString("operationId"));
    assertEquals("completed", done.getString("status"), done.encodePrettily());
  }

  @Test
  void commandsOnTheBusAndTheirFailures() throws Exception {
    String call = h.answeredCall(null);
    OperationStarted reply = TestServer.await(h.media().play(MediaCommand.Play.of(call,
        PromptRef.hosted(emulatorSample(1)))));
    assertNotNull(reply.operationId());
    h.awaitOperation("playCompleted", call, reply.operationId());
    HttpResponse<Buffer> unknown = h.rest(HttpMethod.POST, "/calls/" + call + "/play",
        new JsonObject().put("prompts", new JsonArray().add("no-such-prompt")));
    assertEquals(404, unknown.statusCode());
    assertEquals("promptNotFound", unknown.bodyAsJsonObject().getJsonObject("error").getString("code"));
    assertEquals(404, h.rest(HttpMethod.POST, "/calls/no-such-call/play",
        new JsonObject().put("prompts", new JsonArray().add(new JsonObject().put("uri", emulatorSample(1)))))
        .statusCode());
    HttpResponse<Buffer> malformed = h.rest(HttpMethod.POST, "/calls/" + call + "/gather",
        new JsonObject().put("maxDigits", 65));
    assertEquals(400, malformed.statusCode());
    assertEquals("'maxDigits' must be from 1 to 64; got 65.", malformed.bodyAsJsonObject().getJsonObject("error")
        .getString("message"));
    // Only the media plugin itself may report a finished download to a call's owner.
    SwitchboardException forged = SwitchboardException.from(assertThrows(ExecutionException.class, () ->
        TestServer.await(h.t.vertx.eventBus().request("switchboard.media.calls", new JsonObject()
            .put("command", "downloadFinished").put("operationId", reply.operationId()),
            new DeliveryOptions().addHeader(KeyedMessage.KEY_HEADER, call)))).getCause());
    assertEquals(400, forged.status(), forged.getMessage());
    TestServer.await(h.calls().hangUp(call));
    h.awaitEvent("terminated", call, e -> true);
  }
}
