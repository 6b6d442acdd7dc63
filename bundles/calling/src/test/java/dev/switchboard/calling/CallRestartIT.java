package dev.switchboard.calling;

import static dev.switchboard.calling.CallingHarness.ADELE;
import static dev.switchboard.calling.CallingHarness.ALEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.platform.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server restarted on its folder while Graph keeps its calls up: live calls continue (tones are handled, keepAlives
 * go on, hang-ups end them), and a call that ended while nobody listened is closed once the server reads it again.
 */
class CallRestartIT {

  @TempDir
  Path home;

  @Test
  void liveCallsContinueAfterARestartAndOneThatEndedMeanwhileIsClosed() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (CallingHarness h = CallingHarness.start(home, 1, Map.of("SWITCHBOARD_HTTP_PORT", Integer.toString(port),
        "SWITCHBOARD_PLUGINS_CALLING_KEEP_ALIVE_INTERVAL", "3s"))) {
      String staying = h.incoming(ADELE);
      String leaving = h.incoming(ALEX);
      for (String id : List.of(staying, leaving)) {
        h.awaitEvent("incoming", id);
        h.command("answer", id, new JsonObject().put("by", "test-bot").put("subscribeToTones", true));
        h.awaitEvent("established", id);
      }
      TestServer.awaitUntil("subscribed to tones", Duration.ofSeconds(10),
          () -> h.call(staying).getBoolean("toneSubscribed", false));

      h.restartServer(() -> h.emulated.post("/emulator/calls/" + leaving + "/hangup", new JsonObject()));
      int keepAlivesBefore = keepAlives(h, staying);

      TestServer.awaitUntil("the call that ended while the server was down is closed", Duration.ofSeconds(15),
          () -> "terminated".equals(h.call(leaving).getString("state")));
      JsonObject ended = h.awaitEvent("terminated", leaving);
      assertTrue(ended.getString("reason").contains("while the server was down"), ended.encode());
      assertEquals("established", h.call(staying).getString("state"), "the live call was read again and goes on");

      h.emulated.post("/emulator/calls/" + staying + "/tones", new JsonObject().put("tones", "7"));
      JsonObject tone = h.awaitEvent("toneReceived", staying);
      assertEquals("tone7", tone.getString("tone"));
      TestServer.awaitUntil("a keepAlive after the restart", Duration.ofSeconds(15),
          () -> keepAlives(h, staying) > keepAlivesBefore);

      h.emulated.post("/emulator/calls/" + staying + "/hangup", new JsonObject());
      h.awaitEvent("terminated", staying);
      assertEquals("terminated", h.call(staying).getString("state"));
    }
  }

  private static int keepAlives(CallingHarness h, String id) {
    try {
      return h.requests("/" + id + "/keepAlive").size();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
