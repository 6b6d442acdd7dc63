package dev.switchboard.calling;

import static dev.switchboard.calling.CallingHarness.ADELE;
import static dev.switchboard.calling.CallingHarness.ALEX;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.platform.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog against the emulator: Graph's notification of a hang-up is dropped (Graph does not retry calling
 * notifications), and the call is still closed, once, with Graph's result, after the quiet time; a live call that
 * is quiet is read, left alone and counted.
 */
class CallWatchdogIT {

  private static final Pattern FOUND = Pattern.compile(
      "switchboard_calls_watchdog_total\\{[^}]*found=\"(\\w+)\"[^}]*} ([0-9.E]+)");

  @TempDir
  Path home;

  @Test
  void aCallWhoseHangUpNotificationWasDroppedIsClosedOnceAndALiveOneIsLeftAlone() throws Exception {
    try (CallingHarness h = CallingHarness.start(home, 1, Map.of(
        "SWITCHBOARD_PLUGINS_CALLING_WATCHDOG_QUIET_FOR", "2s"))) {
      String leaving = h.incoming(ADELE);
      String staying = h.incoming(ALEX);
      for (String id : List.of(leaving, staying)) {
        h.awaitEvent("incoming", id);
        h.command("answer", id, new JsonObject().put("by", "test-bot"));
        h.awaitEvent("established", id);
      }

      h.emulated.post("/emulator/faults", new JsonObject().put("type", "drop")
          .put("path", "/communications/calls/" + leaving).put("count", 5));
      h.emulated.post("/emulator/calls/" + leaving + "/hangup", new JsonObject());

      TestServer.awaitUntil("the call whose hang-up was not heard is closed by the watchdog", Duration.ofSeconds(30),
          () -> "terminated".equals(h.call(leaving).getString("state")));
      TestServer.awaitUntil("the live call was read again and found live twice", Duration.ofSeconds(30),
          () -> found(h, "live") >= 2);
      assertEquals(1, h.events("terminated", leaving).size(), "one terminated event");
      assertEquals("established", h.call(staying).getString("state"), "the live call goes on");
      assertEquals(0, h.events("terminated", staying).size());
      double closed = found(h, "ended") + found(h, "gone");
      assertEquals(1.0, closed, "one call found ended");

      h.emulated.post("/emulator/calls/" + staying + "/hangup", new JsonObject());
      h.awaitEvent("terminated", staying);
      assertEquals(1, h.events("terminated", staying).size());
    }
  }

  /** What the watchdog counted as {@code what} so far, from {@code /metrics}. */
  private static double found(CallingHarness h, String what) {
    try {
      String text = h.t.http(HttpMethod.GET, "/metrics").bodyAsString();
      double sum = 0;
      Matcher m = FOUND.matcher(text);
      while (m.find()) {
        if (m.group(1).equals(what)) {
          sum += Double.parseDouble(m.group(2));
        }
      }
      return sum;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
