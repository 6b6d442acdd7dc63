package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.switchboard.api.calls.CallsClient;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code logging.format: json} with real calls through the emulator: the calling plugin's lines about a call carry
 * its {@code callId}, also those logged after the handler returned: on Graph's answer to what a key timer (the
 * unclaimed-call rejection, the watchdog) asked.
 */
class CallLogIT {

  @TempDir
  Path dir;

  @Test
  void theCallingPluginsLinesAboutACallCarryItsCallId() throws Exception {
    LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger calling = logback.getLogger("plugin.calling");
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    OutputStreamAppender<ILoggingEvent> appender = textAppender(logback, written);
    calling.addAppender(appender); // made JSON by the server's logging.format, as the console's are
    try (InProcessServer s = InProcessServer.start(dir, List.of("calling"), Map.of("SWITCHBOARD_LOGGING_FORMAT", "json",
        "SWITCHBOARD_PLUGINS_CALLING_UNCLAIMED_REJECT_AFTER", "1s",
        "SWITCHBOARD_PLUGINS_CALLING_WATCHDOG_QUIET_FOR", "1s"))) {
      // Nobody claims the first call: its key timer fires, Graph is asked to reject it, the answer is logged.
      String unclaimed = s.incomingCall("+14255550111");
      // The second is answered (logged in the keyed handler itself), then hung up by the caller while Graph's
      // notifications of it are lost: its watchdog (a key timer) reads it again and logs what Graph answered.
      String answered = s.incomingCall("+14255550112");
      s.answer(answered, "log-test");
      CallsClient calls = CallsClient.of(s.vertx.eventBus()).withTimeout(30_000);
      InProcessServer.awaitUntil("call " + answered + " established", Duration.ofSeconds(30), () -> {
        try {
          return "established".equals(InProcessServer.await(calls.get(answered)).state().wireName());
        } catch (Exception e) {
          return false;
        }
      });
      s.emulator("/emulator/faults", new JsonObject().put("type", "drop").put("path", "/communications/calls/"
          + answered + "/**").put("forMs", 600_000));
      s.emulator("/emulator/faults", new JsonObject().put("type", "drop").put("path", "/communications/calls/"
          + answered).put("forMs", 600_000));
      s.emulator("/emulator/calls/" + answered + "/hangup", new JsonObject());

      List<JsonObject> lines = InProcessServer.awaitValue("the unclaimed call rejected and the hung-up call's "
          + "watchdog finding, logged", Duration.ofSeconds(60), () -> {
            List<JsonObject> now = lines(written);
            boolean rejected = now.stream().anyMatch(l -> l.getString("message").startsWith("Incoming call "
                + unclaimed + " was not claimed"));
            boolean watched = now.stream().anyMatch(l -> l.getString("message").contains(answered)
                && l.getString("message").contains("(watchdog)"));
            return rejected && watched ? now : null;
          });

      JsonObject rejected = about(lines, unclaimed).stream()
          .filter(l -> l.getString("message").contains("rejected busy")).findFirst().orElseThrow();
      assertEquals(unclaimed, rejected.getString("callId"), "logged on Graph's answer to a key timer's request: "
          + rejected);
      JsonObject watchdog = about(lines, answered).stream()
          .filter(l -> l.getString("message").contains("(watchdog)")).findFirst().orElseThrow();
      assertEquals(answered, watchdog.getString("callId"), "logged on Graph's answer to the watchdog's read: "
          + watchdog);
      JsonObject claimed = about(lines, answered).stream()
          .filter(l -> l.getString("message").contains("answered by log-test")).findFirst().orElseThrow();
      assertEquals(answered, claimed.getString("callId"), claimed.encode());
      for (String id : List.of(unclaimed, answered)) {
        for (JsonObject line : about(lines, id)) {
          assertEquals(id, line.getString("callId"), line.encode());
          assertEquals("calling", line.getString("plugin"), line.encode());
          assertFalse(line.getString("version", "").isEmpty(), line.encode());
        }
      }
    } finally {
      calling.detachAppender(appender);
      appender.stop();
    }
  }

  /** The lines whose message names call {@code id}. */
  private static List<JsonObject> about(List<JsonObject> lines, String id) {
    List<JsonObject> found = lines.stream().filter(l -> l.getString("message").contains(id)).toList();
    assertTrue(!found.isEmpty(), "no line names call " + id + ": " + lines);
    return found;
  }

  /** Every line written so far, each of which must be one JSON object. */
  private static List<JsonObject> lines(ByteArrayOutputStream written) {
    String text;
    synchronized (written) {
      text = written.toString(StandardCharsets.UTF_8);
    }
    return text.lines().filter(l -> !l.isBlank()).map(JsonObject::new).toList();
  }

  private static OutputStreamAppender<ILoggingEvent> textAppender(LoggerContext logback, ByteArrayOutputStream out) {
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setContext(logback);
    text.setPattern("%msg%n");
    text.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(logback);
    appender.setName("call-log-test");
    appender.setEncoder(text);
    appender.setOutputStream(out);
    appender.start();
    return appender;
  }
}
