package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.calls.CallEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code @SwitchboardTest} with one server for the class: each test starts from a reset emulator and no recorded
 * events, whichever runs first.
 */
@SwitchboardTest(bundles = {"calling", "media", "ivr"}, sharedServer = true)
class SharedServerIT {

  private static String server;

  @BeforeAll
  static void flow(SwitchboardKit kit) throws Exception {
    Flows.assumeSpeech();
    Path file = kit.home().resolve(Flows.FILE);
    Files.createDirectories(file.getParent());
    Files.writeString(file, Flows.SALES);
    server = kit.server().publicUrl();
    // The ivr bundle reads its flows folder every second: wait until it serves the flow.
    Await.until(Duration.ofSeconds(10), "the ivr bundle loads " + Flows.FILE, () -> kit.http(HttpMethod.GET,
        "/api/v1/ivr/flows").bodyAsJsonObject().getJsonArray("flows").isEmpty() ? null : true, () -> "");
  }

  @Test
  void oneTest(SwitchboardKit kit) {
    aCallAloneOnTheSameServer(kit);
  }

  @Test
  void anotherTest(SwitchboardKit kit) {
    aCallAloneOnTheSameServer(kit);
  }

  private static void aCallAloneOnTheSameServer(SwitchboardKit kit) {
    assertEquals(server, kit.server().publicUrl(), "the class's server");
    Caller caller = kit.dial("+14255550123");
    caller.awaitPrompt(Flows.MENU);
    assertEquals(1, kit.events(CallEvent.Incoming.class).size(), "only this test's call was recorded");
    assertEquals(1, kit.emulatorClient().get("/emulator/calls").toCompletionStage().toCompletableFuture().join()
        .getJsonArray("value").size(), "the emulator knows only this test's call");
    caller.hangUp().awaitEnded();
  }
}
