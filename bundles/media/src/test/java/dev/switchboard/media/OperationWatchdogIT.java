package dev.switchboard.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.switchboard.api.media.MediaEvent;
import dev.switchboard.api.media.OperationStatus;
import dev.switchboard.platform.TestServer;
import dev.switchboard.testkit.Caller;
import dev.switchboard.testkit.SwitchboardKit;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The media watchdog against the emulator: the notification of a play's completion is dropped (Graph does not retry
 * it), and the play still ends, once, as Graph says, once the watchdog reads the operation again.
 */
class OperationWatchdogIT {

  @RegisterExtension
  final SwitchboardKit kit = SwitchboardKit.withBundles("calling").clockSpeed(5)
      .setting("SWITCHBOARD_PLUGINS_MEDIA_WATCHDOG_QUIET_FOR_MS", "1500");

  @Test
  void aPlayWhoseCompletionWasDroppedEndsOnceWhenTheWatchdogReadsIt() throws Exception {
    Caller caller = kit.answeredCall(MediaHarness.ADELE, "media-test");
    kit.graph().fault(new JsonObject().put("type", "drop")
        .put("path", "/communications/calls/" + caller.id() + "/operations/*").put("count", 1));

    HttpResponse<Buffer> r = kit.http(HttpMethod.POST, "/api/v1/calls/" + caller.id() + "/play", new JsonObject()
        .put("prompts", new JsonArray().add(new JsonObject().put("uri", kit.emulator().baseUrl()
            + "/emulator/samples/prompt.wav?seconds=1"))));
    assertEquals(202, r.statusCode(), r.bodyAsString());
    String op = r.bodyAsJsonObject().getString("operationId");

    MediaEvent.PlayCompleted done = caller.awaitEvent(MediaEvent.PlayCompleted.class,
        e -> e.outcome().operationId().equals(op));
    assertEquals(OperationStatus.COMPLETED, done.outcome().status(), done.toString());
    TestServer.awaitUntil("the watchdog counted what it found", Duration.ofSeconds(20),
        () -> kit.http(HttpMethod.GET, "/metrics").bodyAsString()
            .contains("switchboard_media_watchdog_total{found=\"finished\""));
    assertEquals(1, kit.events(MediaEvent.PlayCompleted.class).stream()
        .filter(e -> e.outcome().operationId().equals(op)).count(), "one playCompleted");
    assertFalse(kit.graph().requests("/operations/").isEmpty(), "the operation was read from Graph");
  }
}
