package dev.switchboard.ivr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.media.MediaEvent;
import dev.switchboard.platform.TestServer;
import dev.switchboard.testkit.Caller;
import dev.switchboard.testkit.SwitchboardKit;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

  @RegisterExtension
  final SwitchboardKit kit = SwitchboardKit.withBundles("calling", "media")
      .withFile("conf/flows/main.yaml", FLOW)
      .setting("SWITCHBOARD_ROUTING_DRAIN_TIMEOUT", "5m")
      .recordEvents(IvrEvents.ADDRESS);

  @Test
  void mediaAndIvrSeeEachCallEventOnceWhileTwoVersionsOfCallingRun() throws Exception {
    Caller caller = kit.dial("+14255550123");
    String call = caller.id();
    ivr(call, "gathering", e -> "first".equals(e.getString("node")));
    caller.awaitPrompt("Press 1 then 2.");

    HttpResponse<Buffer> updated = kit.admin(HttpMethod.PUT, "/admin/bundles/calling?mode=drain",
        Buffer.buffer(TestServer.withBundleVersion(TestServer.bundle("calling"), "0.1.1")));
    assertEquals(200, updated.statusCode(), updated.bodyAsString());
    assertEquals(2, kit.admin(HttpMethod.GET, "/admin/bundles", null).bodyAsJsonArray().stream()
        .filter(b -> "dev.switchboard.calling".equals(((JsonObject) b).getString("name"))).count(),
        "both versions of calling run while the call lives");

    caller.press("12");
    ivr(call, "digits", e -> "second".equals(e.getString("next")));
    caller.awaitPrompt("Press 3.");
    caller.press("3");
    ivr(call, "digits", e -> "bye".equals(e.getString("next")));
    caller.awaitEnded();
    Thread.sleep(500); // a duplicate would come now, if at all

    List<CallEvent.ToneReceived> tones = of(call, kit.events(CallEvent.ToneReceived.class));
    assertEquals(3, tones.size(), "calling reported three keys");
    String first = of(call, kit.events(CallEvent.Established.class)).get(0).header().version();
    tones.forEach(t -> assertEquals(first, t.header().version(), "the call stays with the version it began on"));
    assertEquals(1, of(call, kit.events(CallEvent.Terminated.class)).size());
    List<MediaEvent.GatherCompleted> gathers = kit.events(MediaEvent.GatherCompleted.class).stream()
        .filter(g -> call.equals(g.outcome().callId())).toList();
    assertEquals(List.of("12", "3"), gathers.stream().map(MediaEvent.GatherCompleted::digits).toList(),
        "media got each key once and ended each gather once");
    assertEquals(List.of("second", "bye"), ivrEvents(call, "digits").stream().map(e -> e.getString("next")).toList(),
        "ivr took each step once");
    assertEquals(1, ivrEvents(call, "flowStarted").size(), "established reached ivr once");
    assertEquals(1, ivrEvents(call, "ended").size(), "terminated reached ivr once");
  }

  private static <E extends CallEvent> List<E> of(String call, List<E> events) {
    return events.stream().filter(e -> call.equals(e.callId())).toList();
  }

  private List<JsonObject> ivrEvents(String call, String type) {
    return kit.messages(IvrEvents.ADDRESS).stream().filter(e -> call.equals(e.getString("callId"))
        && type.equals(e.getString("type"))).toList();
  }

  private JsonObject ivr(String call, String type, Predicate<JsonObject> test) {
    return kit.awaitMessage(IvrEvents.ADDRESS, e -> call.equals(e.getString("callId"))
        && type.equals(e.getString("type")) && test.test(e));
  }
}
