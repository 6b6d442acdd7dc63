package dev.switchboard.ivr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.media.MediaEvent;
import dev.switchboard.platform.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With two versions of the calling bundle running side by side (a drain update in progress, the live call staying
 * with the old one), the media and ivr plugins, which follow the calls, see each call event once: each key pressed
 * reaches a gather once, each gather ends once, and the flow takes each step once.
 */
class TwoCallingVersionsIT {

  private static final String FLOW = """
      default: true
      nodes:
        first:
          type: gather
          say: Press 1 then 2.
          maxDigits: 2
          timeout: 20s
          branches:
            "12": second
        second:
          type: gather
          say: Press 3.
          timeout: 20s
          branches:
            "3": bye
        bye:
          type: hangup
      """;

  @TempDir
  Path home;

  @Test
  void mediaAndIvrSeeEachCallEventOnceWhileTwoVersionsOfCallingRun() throws Exception {
    try (IvrHarness h = IvrHarness.start(home, FLOW, Map.of("SWITCHBOARD_ROUTING_DRAIN_TIMEOUT", "5m"))) {
      String call = h.call();
      h.await(call, "gathering", e -> "first".equals(e.getString("node")));

      HttpResponse<Buffer> updated = h.t.admin(HttpMethod.PUT, "/admin/bundles/calling?mode=drain",
          Buffer.buffer(TestServer.withBundleVersion(TestServer.bundle("calling"), "0.1.1")));
      assertEquals(200, updated.statusCode(), updated.bodyAsString());
      assertEquals(2, h.t.admin(HttpMethod.GET, "/admin/bundles", null).bodyAsJsonArray().stream()
          .filter(b -> "dev.switchboard.calling".equals(((JsonObject) b).getString("name"))).count(),
          "both versions of calling run while the call lives");

      h.press(call, "12");
      h.await(call, "digits", e -> "second".equals(e.getString("next")));
      h.press(call, "3");
      h.await(call, "digits", e -> "bye".equals(e.getString("next")));
      h.awaitOn(call, CallEvent.Terminated.TOPIC);
      Thread.sleep(500); // a duplicate would come now, if at all

      List<CallEvent> tones = h.events(CallEvent.ToneReceived.TOPIC, call, null).stream()
          .map(CallEvent::fromJson).toList();
      assertEquals(3, tones.size(), "calling reported three keys");
      String first = CallEvent.fromJson(h.events(CallEvent.Established.TOPIC, call, null).get(0)).header().version();
      tones.forEach(t -> assertEquals(first, t.header().version(), "the call stays with the version it began on"));
      assertEquals(1, h.events(CallEvent.Terminated.TOPIC, call, null).size());
      List<MediaEvent.GatherCompleted> gathers = h.events(MediaEvent.GatherCompleted.TOPIC, call, null).stream()
          .map(e -> (MediaEvent.GatherCompleted) MediaEvent.fromJson(e)).toList();
      assertEquals(List.of("12", "3"), gathers.stream().map(MediaEvent.GatherCompleted::digits).toList(),
          "media got each key once and ended each gather once");
      assertEquals(List.of("second", "bye"), h.events(IvrEvents.ADDRESS, call, "digits").stream()
          .map(e -> e.getString("next")).toList(), "ivr took each step once");
      assertEquals(1, h.events(IvrEvents.ADDRESS, call, "flowStarted").size(), "established reached ivr once");
      assertEquals(1, h.events(IvrEvents.ADDRESS, call, "ended").size(), "terminated reached ivr once");
    }
  }
}
