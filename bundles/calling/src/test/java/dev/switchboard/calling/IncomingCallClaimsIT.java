package dev.switchboard.calling;

import static dev.switchboard.calling.CallingHarness.ADELE;
import static dev.switchboard.calling.CallingHarness.ALEX;
import static dev.switchboard.calling.CallingHarness.MEGAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.calls.CallView;
import dev.switchboard.api.calls.CallsClient;
import dev.switchboard.api.calls.Claim;
import dev.switchboard.api.calls.RejectReason;
import dev.switchboard.api.calls.Target;
import dev.switchboard.platform.TestServer;
import dev.switchboard.testkit.Caller;
import dev.switchboard.testkit.SwitchboardKit;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Incoming calls claimed by reject and by redirect, and a call no bot claims rejected busy well before Graph's window:
 * the calling bundle alone in the test kit, on the real clock, the test acting as the bot with typed commands.
 */
class IncomingCallClaimsIT {

  @RegisterExtension
  final SwitchboardKit kit = SwitchboardKit.withBundles().clockSpeed(1);

  @Test
  void rejectRedirectAndAnUnclaimedCallRejectedBusyWellBeforeGraphsWindow() throws Exception {
    Caller rejected = kit.dial(ADELE);
    Caller redirected = kit.dial(ALEX);
    Caller unclaimed = kit.dial("+14255550199");
    rejected.awaitEvent(CallEvent.Incoming.class, e -> true);
    redirected.awaitEvent(CallEvent.Incoming.class, e -> true);
    Instant unclaimedArrived = unclaimed.awaitEvent(CallEvent.Incoming.class, e -> true).receivedAt();
    CallsClient calls = CallsClient.of(kit.vertx().eventBus());

    TestServer.await(calls.send(new CallCommand.Reject(rejected.id(), RejectReason.FORBIDDEN, "gatekeeper")));
    ExecutionException twice = assertThrows(ExecutionException.class, () -> TestServer.await(calls.send(
        CallCommand.Answer.of(rejected.id(), "test-bot", false))));
    assertEquals(409, SwitchboardException.from(twice.getCause()).status(), twice.getCause().getMessage());
    assertEquals("forbidden", body(rejected, "/reject").getString("reason"));
    assertFalse(rejected.awaitEnded().unclaimed());

    CallView redirect = TestServer.await(calls.send(new CallCommand.Redirect(redirected.id(),
        List.of(Target.user(MEGAN), Target.phone("+14255550102")), 30, null)));
    assertEquals(Claim.REDIRECTED, redirect.claim());
    JsonObject sent = body(redirected, "/redirect");
    assertEquals(2, sent.getJsonArray("targets").size());
    assertEquals("+14255550102", sent.getJsonArray("targets").getJsonObject(1).getJsonObject("identity")
        .getJsonObject("phone").getString("id"));
    redirected.awaitEnded();

    CallEvent.Terminated busy = unclaimed.awaitEnded();
    assertTrue(busy.unclaimed(), busy.toString());
    JsonObject rejectRequest = kit.graph().requests("/" + unclaimed.id() + "/reject").get(0);
    assertEquals("busy", rejectRequest.getJsonObject("body").getString("reason"));
    long afterMs = Duration.between(unclaimedArrived, Instant.parse(rejectRequest.getString("time"))).toMillis();
    assertTrue(afterMs >= 4900 && afterMs < 7000, "rejected " + afterMs + " ms after arriving (5 s configured)");
    assertTrue(busy.reason().contains("no bot claimed"), busy.reason());
    assertEquals(7000, unclaimed.emulatorView().getJsonObject("resultInfo").getInteger("subcode"),
        "rejected by the bot, not timed out by Graph (408/1106)");
  }

  /** The body of the bot's one request for {@code caller}'s call whose path ends with {@code action}. */
  private JsonObject body(Caller caller, String action) {
    return kit.graph().requests("/" + caller.id() + action).get(0).getJsonObject("body");
  }
}
