package dev.switchboard.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.emulator.EmulatorOptions;
import dev.switchboard.platform.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The media watchdog against the emulator: the notification of a play's completion is dropped (Graph does not retry
 * it), and the play still ends, once, as Graph says, once the watchdog reads the operation again.
 */
class OperationWatchdogIT {

  @TempDir
  Path home;

  @Test
  void aPlayWhoseCompletionWasDroppedEndsOnceWhenTheWatchdogReadsIt() throws Exception {
    try (MediaHarness h = MediaHarness.start(home, new EmulatorOptions().setClockSpeed(5),
        Map.of("SWITCHBOARD_PLUGINS_MEDIA_WATCHDOG_QUIET_FOR_MS", "1500"))) {
      String call = h.answeredCall(null);
      h.emulated.post("/emulator/faults", new JsonObject().put("type", "drop")
          .put("path", "/communications/calls/" + call + "/operations/*").put("count", 1));

      HttpResponse<Buffer> r = h.rest(HttpMethod.POST, "/calls/" + call + "/play", new JsonObject().put("prompts",
          new JsonArray().add(new JsonObject().put("uri", h.emulated.emulator.baseUrl()
              + "/emulator/samples/prompt.wav?seconds=1"))));
      assertEquals(202, r.statusCode(), r.bodyAsString());
      String op = r.bodyAsJsonObject().getString("operationId");

      JsonObject done = h.awaitOperation("playCompleted", call, op);
      assertEquals("completed", done.getString("status"), done.encodePrettily());
      TestServer.awaitUntil("the watchdog counted what it found", Duration.ofSeconds(20),
          () -> metrics(h).contains("switchboard_media_watchdog_total{found=\"finished\""));
      assertEquals(1, h.events("playCompleted", call).stream()
          .filter(e -> op.equals(e.getString("operationId"))).count(), "one playCompleted");
      assertTrue(h.emulated.requests("/operations/").size() >= 1, "the operation was read from Graph");
    }
  }

  private static String metrics(MediaHarness h) {
    try {
      return h.t.http(HttpMethod.GET, "/metrics").bodyAsString();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
