package dev.switchboard.calling;

import static dev.switchboard.calling.CallingHarness.ADELE;
import static dev.switchboard.calling.CallingHarness.ALEX;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.platform.TestServer;
import dev.switchboard.testkit.Caller;
import dev.switchboard.testkit.SwitchboardKit;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The watchdog against the emulator: Graph's notification of a hang-up is dropped (Graph does not retry calling
 * notifications), and the call is still closed, once, with Graph's result, after the quiet time; a live call that
 * is quiet is read, left alone and counted.
 */
class CallWatchdogIT {

  private static final Pattern FOUND = Pattern.compile(
      "switchboard_calls_watchdog_total\\{[^}]*found=\"(\\w+)\"[^}]*} ([0-9.E]+)");

  @RegisterExtension
  final SwitchboardKit kit = SwitchboardKit.withBundles().clockSpeed(1).timeout(Duration.ofSeconds(30))
      .setting("SWITCHBOARD_PLUGINS_CALLING_WATCHDOG_QUIET_FOR", "2s");

  @Test
  void aCallWhoseHangUpNotificationWasDroppedIsClosedOnceAndALiveOneIsLeftAlone() throws Exception {
    Caller leaving = kit.answeredCall(ADELE, "test-bot");
    Caller staying = kit.answeredCall(ALEX, "test-bot");
    kit.graph().fault(new JsonObject().put("type", "drop").put("path", "/communications/calls/" + leaving.id())
        .put("count", 5));
    leaving.hangUp();

    leaving.awaitEnded(); // the call whose hang-up was not heard is closed by the watchdog
    assertEquals("terminated", state(leaving));
    TestServer.awaitUntil("the live call was read again and found live twice", Duration.ofSeconds(30),
        () -> found("live") >= 2);
    assertEquals(1, terminated(leaving), "one terminated event");
    assertEquals("established", state(staying), "the live call goes on");
    assertEquals(0, terminated(staying));
    assertEquals(1.0, found("ended") + found("gone"), "one call found ended");

    staying.hangUp().awaitEnded();
    assertEquals(1, terminated(staying));
  }

  private String state(Caller caller) {
    return kit.http(HttpMethod.GET, "/api/v1/calls/" + caller.id()).bodyAsJsonObject().getString("state");
  }

  private long terminated(Caller caller) {
    return kit.events(CallEvent.Terminated.class).stream().filter(e -> e.callId().equals(caller.id())).count();
  }

  /** What the watchdog counted as {@code what} so far, from {@code /metrics}. */
  private double found(String what) {
    double sum = 0;
    Matcher m = FOUND.matcher(kit.http(HttpMethod.GET, "/metrics").bodyAsString());
    while (m.find()) {
      if (m.group(1).equals(what)) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }
}
