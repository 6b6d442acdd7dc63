package dev.switchboard.calling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallNotifications;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.calls.CallDirection;
import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.calls.CallState;
import dev.switchboard.api.calls.Claim;
import dev.switchboard.api.calls.Identity;
import dev.switchboard.api.calls.IdentityKind;
import dev.switchboard.api.calls.OperationView;
import dev.switchboard.api.calls.ResultInfo;
import dev.switchboard.api.calls.Tone;
import dev.switchboard.api.calls.TransferStatus;
import dev.switchboard.api.calls.TransferView;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The applier fed Graph's own documented notifications (test resources {@code graph-docs-examples/}, copied verbatim
 * from the docs' examples): the call it leaves and the events it decides, without sockets.
 */
class NotificationApplierTest {

  private static final Instant RECEIVED = Instant.parse("2026-11-28T10:00:00Z");
  private static final Instant NOW = RECEIVED.plusMillis(3);
  private static final Duration CLAIM_WINDOW = Duration.ofSeconds(5);
  private static final CallEvent.Header HEADER = new CallEvent.Header("c", "t", NOW, "1.0.0",
      dev.switchboard.api.calls.CallView.builder("c").build());

  /** The first notification of a documented {@code commsNotifications} batch, as the ingress delivers it. */
  static KeyedMessage.Notification example(String name) throws IOException {
    try (InputStream in = NotificationApplierTest.class.getResourceAsStream("/graph-docs-examples/" + name
        + "__notification.json")) {
      JsonObject notification = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .getJsonObject("body").getJsonArray("value").getJsonObject(0);
      String url = notification.getString("resourceUrl");
      String callId = url.substring("/communications/calls/".length()).split("/")[0];
      return new KeyedMessage.Notification(CallNotifications.ADDRESS, callId, "tenant-1", RECEIVED, notification);
    }
  }

  static NotificationApplier.Applied apply(Call call, String example) throws IOException {
    return NotificationApplier.apply(call, example(example), NOW, CLAIM_WINDOW);
  }

  static List<CallEvent> events(NotificationApplier.Applied applied) {
    return applied.events().stream().map(e -> e.complete(HEADER)).toList();
  }

  /** The incoming call of the docs, answered and established. */
  static Call established() throws IOException {
    Call incoming = apply(null, "call-answer__3").call().with(b -> b.claim(Claim.ANSWERED).claimedBy("bot"));
    return apply(incoming, "call-answer__7").call();
  }

  @Test
  void anIncomingCallStartsItsClaimWindow() throws IOException {
    NotificationApplier.Applied applied = apply(null, "call-answer__3");
    assertTrue(applied.incoming());
    assertTrue(applied.changed());
    Call call = applied.call();
    assertEquals("57DAB8B1894C409AB240BD8BEAE78896", call.id());
    assertEquals("tenant-1", call.view().tenantId());
    assertEquals(CallState.INCOMING, call.state());
    assertEquals(CallDirection.INCOMING, call.view().direction());
    assertEquals(new Identity(IdentityKind.USER, "8A34A46B-3D17-4ADC-8DCE-DC4E7D572698", "Test User", null),
        call.view().caller());
    CallEvent.Incoming incoming = assertInstanceOf(CallEvent.Incoming.class, events(applied).get(0));
    assertEquals(RECEIVED, incoming.receivedAt());
    assertEquals(NOW.plus(CLAIM_WINDOW), incoming.claimDeadline());
  }

  @Test
  void establishedIsPublishedOnceAndALateEstablishingIsIgnored() throws IOException {
    Call incoming = apply(null, "call-answer__3").call();
    NotificationApplier.Applied applied = apply(incoming, "call-answer__7");
    assertTrue(applied.established());
    assertEquals(CallState.ESTABLISHED, applied.call().state());
    assertEquals(NOW, applied.call().view().establishedAt());
    List<CallEvent> events = events(applied);
    assertEquals(new CallEvent.StateChanged(HEADER, CallState.ESTABLISHED, CallState.INCOMING), events.get(0));
    assertInstanceOf(CallEvent.Established.class, events.get(1));

    NotificationApplier.Applied again = apply(applied.call(), "call-answer__7");
    assertFalse(again.changed());
    assertEquals(List.of(), again.events());
    NotificationApplier.Applied late = apply(applied.call(), "call-answer__6");
    assertEquals(CallState.ESTABLISHED, late.call().state(), "establishing after established is stale");
    assertEquals(List.of(), late.events());
  }

  @Test
  void theEndIsPublishedOnceWithItsReasonAndNothingChangesAfterIt() throws IOException {
    Call call = established().with(b -> b.pendingOperations(List.of(new OperationView("op", "playPromptOperation",
        "running", null, null, null, null, null, null))));
    NotificationApplier.Applied ended = apply(call, "call-delete__4");
    assertTrue(ended.call().terminated());
    assertEquals(new ResultInfo(0, null, null), ended.call().view().resultInfo(), "Graph's \"code\": \"0\" reads");
    assertEquals(List.of(), ended.call().view().pendingOperations());
    CallEvent.Terminated terminated = assertInstanceOf(CallEvent.Terminated.class, events(ended).get(1));
    assertEquals("code 0, subcode null", terminated.reason());
    assertFalse(terminated.unclaimed());

    NotificationApplier.Applied after = apply(ended.call(), "call-answer__7");
    assertFalse(after.changed());
    assertEquals(ended.call(), after.call());
  }

  @Test
  void rosterChangesSayWhoJoinedLeftAndChanged() throws IOException {
    Call call = established().with(b -> b.myParticipantId("05491616-385f-44a8-9974-18cc5f9933c1"));
    NotificationApplier.Applied first = apply(call, "application-post-calls__13");
    CallEvent.ParticipantsChanged joined = assertInstanceOf(CallEvent.ParticipantsChanged.class, events(first).get(0));
    assertEquals(List.of("0d7664b6-6432-43ed-8d27-d9e7adec188c", "05491616-385f-44a8-9974-18cc5f9933c1"),
        joined.added());
    assertTrue(first.call().view().participants().get(0).muted());
    assertTrue(first.call().view().participants().get(1).bot(), "the bot is its own participant");
    assertEquals(List.of(), apply(first.call(), "application-post-calls__13").events(), "the same roster again");

    NotificationApplier.Applied unmuted = apply(first.call(), "call-unmute__3");
    CallEvent.ParticipantsChanged replaced = (CallEvent.ParticipantsChanged) events(unmuted).get(0);
    assertEquals(List.of("2765eb15-01f8-47c6-b12b-c32111a4a86f"), replaced.added());
    assertEquals(List.of("05491616-385f-44a8-9974-18cc5f9933c1", "0d7664b6-6432-43ed-8d27-d9e7adec188c"),
        replaced.removed());
    NotificationApplier.Applied muted = apply(unmuted.call(), "call-mute__3");
    CallEvent.ParticipantsChanged changed = (CallEvent.ParticipantsChanged) events(muted).get(0);
    assertEquals(List.of("2765eb15-01f8-47c6-b12b-c32111a4a86f"), changed.changed());
    assertTrue(muted.call().view().participants().get(0).muted());
  }

  @Test
  void aToneIsPublishedOnceAndAnOlderOneIsFlaggedOutOfOrder() throws IOException {
    Call call = established().with(b -> b.lastToneSequenceId(0L));
    NotificationApplier.Applied pressed = apply(call, "call-subscribetotone__3");
    assertEquals(new CallEvent.ToneReceived(HEADER, Tone.TONE1, 1L, false), events(pressed).get(0));
    assertEquals(1L, pressed.call().view().lastToneSequenceId());
    assertEquals(List.of(), apply(pressed.call(), "call-subscribetotone__3").events(), "a duplicate is dropped");

    Call later = pressed.call().withToneSeen(5).with(b -> b.lastToneSequenceId(5L));
    NotificationApplier.Applied old = NotificationApplier.apply(later, withTone(example("call-subscribetotone__3"),
        3), NOW, CLAIM_WINDOW);
    assertEquals(new CallEvent.ToneReceived(HEADER, Tone.TONE1, 3L, true), events(old).get(0));
    assertEquals(5L, old.call().view().lastToneSequenceId());
  }

  @Test
  void aFinishedOperationIsReportedOnceAndLeavesThePendingOnes() throws IOException {
    String id = "0FE0623FD62842EDB4BD8AC290072CC5";
    Call call = established().with(b -> b.pendingOperations(List.of(new OperationView(id, "playPromptOperation",
        "running", "d45324c1-fcb5-430a-902c-f20af696537c", null, null, null, null, null))));
    NotificationApplier.Applied done = apply(call, "call-playprompt__3");
    CallEvent.OperationCompleted completed = assertInstanceOf(CallEvent.OperationCompleted.class,
        events(done).get(0));
    assertEquals(new OperationView(id, "playPromptOperation", "completed", "d45324c1-fcb5-430a-902c-f20af696537c",
        new ResultInfo(200, 0, "Action completed successfully."), null, null, null, new JsonObject()),
        completed.operation());
    assertEquals(List.of(), done.call().view().pendingOperations());
    assertEquals(List.of(), apply(done.call(), "call-playprompt__3").events(), "reported once");

    OperationView recorded = ((CallEvent.OperationCompleted) events(apply(call, "call-record__3")).get(0)).operation();
    assertEquals("recordOperation", recorded.type());
    assertTrue(recorded.recordingLocation().startsWith("https://file.location/"), recorded.toString());
    assertEquals(8515, recorded.resultInfo().subcode());
  }

  @Test
  void aTransferMovesThroughItsStatesAndEndsCompleted() throws IOException {
    Call call = established().with(b -> b.transfer(new TransferView(TransferStatus.REQUESTED, null, false, null, null)));
    Call transferring = apply(call, "call-transfer__3").call();
    assertEquals(TransferStatus.TRANSFERRING, transferring.view().transfer().status());
    NotificationApplier.Applied accepted = apply(transferring, "call-transfer__4");
    assertEquals(TransferStatus.ACCEPTED, ((CallEvent.TransferAccepted) events(accepted).get(1)).transfer().status());
    NotificationApplier.Applied ended = apply(accepted.call(), "call-transfer__5");
    assertEquals(TransferStatus.COMPLETED, ended.call().view().transfer().status());
    assertEquals("the transfer completed", ((CallEvent.Terminated) events(ended).get(1)).reason());
  }

  @Test
  void aFailedTransferReturnsTheCallToEstablished() throws IOException {
    Call call = established().with(b -> b.transfer(new TransferView(TransferStatus.REQUESTED, null, false, null, null)));
    Call transferring = apply(call, "call-transfer__3").call();
    NotificationApplier.Applied failed = apply(transferring, "call-transfer__6");
    assertEquals(CallState.ESTABLISHED, failed.call().state());
    assertFalse(failed.established(), "established only once per call");
    CallEvent.TransferFailed event = (CallEvent.TransferFailed) events(failed).get(1);
    assertEquals(new ResultInfo(500, 7000, "<message>"), event.resultInfo(), "Graph's subCode reads as the subcode");
    assertEquals("the transfer target did not accept", event.reason());
    assertEquals(TransferStatus.FAILED, failed.call().view().transfer().status());
    assertNull(failed.call().view().terminatedAt());
  }

  private static KeyedMessage.Notification withTone(KeyedMessage.Notification n, long sequenceId) {
    JsonObject body = n.notification().copy();
    body.getJsonObject("resourceData").getJsonObject("toneInfo").put("sequenceId", sequenceId);
    return new KeyedMessage.Notification(n.address(), n.key(), n.tenantId(), n.receivedAt(), body);
  }
}
