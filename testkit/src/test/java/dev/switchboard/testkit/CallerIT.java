package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.media.MediaEvent;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit's caller against the ivr bundle (with calling and media), one server per test. */
class CallerIT {

  @BeforeAll
  static void speech() {
    Flows.assumeSpeech();
  }

  @RegisterExtension
  final SwitchboardKit kit = SwitchboardKit.withBundles("calling", "media", "ivr").withFile(Flows.FILE, Flows.SALES);

  @Test
  void aCallerHearsTheMenuPressesOneAndIsTransferredToSales() {
    Caller caller = kit.dial("+14255550123");
    assertEquals("ivr", caller.awaitAnswered().call().claimedBy());
    Prompt menu = caller.awaitPrompt(Flows.MENU);
    assertEquals(Flows.MENU, menu.text());
    caller.press("1");
    caller.awaitPrompt(Flows.CONNECTING);
    CallEvent.TransferAccepted transfer = caller.awaitTransferTo(Flows.MEGAN);
    assertTrue(transfer.transfer().target().encode().contains(Flows.MEGAN), transfer.toString());
    caller.awaitEnded();
    assertEquals(List.of(Flows.MENU, Flows.CONNECTING), caller.heard().stream().map(Prompt::text).toList());
    MediaEvent.GatherCompleted keys = caller.awaitEvent(MediaEvent.GatherCompleted.class, e -> true);
    assertEquals("1", keys.digits());
  }

  @Test
  void aPromptIsFoundByItsIdAndAwaitingItAgainWaitsForItToBePlayedAgain() {
    Caller caller = kit.dial("+14255550123");
    Prompt menu = caller.awaitPrompt(Flows.MENU);
    assertEquals(menu, caller.heard().get(0));
    caller.press("7"); // no such branch: the menu is played again
    assertEquals(menu, caller.awaitPrompt(menu.id()));
    caller.hangUp();
    CallEvent.Terminated ended = caller.awaitEnded();
    assertEquals(caller.id(), ended.callId());
  }

  @Test
  void aThrottledPlayPromptIsRetriedAndTheCallerStillHearsTheMenu() {
    kit.graph().throttle("/v1.0/communications/calls/*/playPrompt", 1);
    Caller caller = kit.dial("+14255550123");
    caller.awaitPrompt(Flows.MENU);
    List<Integer> statuses = kit.graph().requests("/playPrompt").stream().map(r -> r.getInteger("status")).toList();
    assertEquals(429, statuses.get(0), statuses.toString());
    assertTrue(statuses.stream().anyMatch(s -> s == 202 || s == 200), statuses.toString());
    caller.hangUp().awaitEnded();
  }

  @Test
  void presenceAndMeetingsAreDrivenFromTheOtherSide() {
    JsonObject user = kit.user(Flows.MEGAN).setPresence("Busy", "InACall");
    assertEquals("Busy", user.getJsonObject("presence").getString("availability"), user.encode());
    Meeting meeting = kit.meeting("6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01");
    meeting.attendeeJoins(Flows.MEGAN);
    JsonObject present = kit.emulatorClient().get("/emulator/meetings/" + meeting.id() + "/participants")
        .toCompletionStage().toCompletableFuture().join();
    assertTrue(present.encode().contains(Flows.MEGAN), present.encode());
  }
}
