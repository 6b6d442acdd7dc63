package dev.switchboard.api.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every command survives a round trip through JSON, the documented JSON parses, and bad JSON gets a useful 400. */
class CallCommandJsonTest {

  private static final Target ADELE = Target.user("6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01");

  private static final List<CallCommand<?>> EVERY_COMMAND = List.of(
      CallCommand.Create.to(ADELE, Target.phone("+14255550102").named("Front desk")).withSubject("standup").by("bot"),
      new CallCommand.Create(null, "https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/0", null,
          null, null, "tenant-9", List.of("audio", "video"), List.of(new MediaInfo("https://x/beep.wav", "beep")), null),
      CallCommand.Create.meeting("1234567", "psw123"),
      new CallCommand.ListCalls(CallState.ESTABLISHED),
      new CallCommand.ListCalls(null),
      new CallCommand.Answer("c1", "my-bot", List.of("audio"), List.of(new MediaInfo("https://x/a.wav", null)), true),
      CallCommand.Answer.of("c1", null, false),
      new CallCommand.Reject("c1", RejectReason.FORBIDDEN, "gatekeeper"),
      new CallCommand.Redirect("c1", List.of(ADELE, Target.phone("+14255550102")), 30, "router"),
      new CallCommand.Transfer("c1", ADELE.replacing("c2"), "c2", new JsonObject().put("identity", new JsonObject())),
      new CallCommand.HangUp("c1"),
      new CallCommand.KeepAlive("c1"),
      new CallCommand.Get("c1"),
      new CallCommand.Mute("c1", "self"),
      new CallCommand.Unmute("c1", null),
      new CallCommand.SendDtmfTones("c1", List.of(Tone.TONE5, Tone.STAR, Tone.POUND), 200, "dtmf-1"),
      new CallCommand.SubscribeToTone("c1", null),
      new CallCommand.ListParticipants("c1"),
      new CallCommand.InviteParticipants("c1", List.of(Target.applicationInstance("ai-1")), "add"),
      new CallCommand.MuteParticipant("c1", "p1", null),
      new CallCommand.RemoveParticipant("c1", "p1"));

  @Test
  void everyCommandRoundTrips() {
    for (CallCommand<?> command : EVERY_COMMAND) {
      JsonObject json = command.toJson();
      assertEquals(command.name(), json.getString("command"));
      assertEquals(command, CallCommand.fromJson(json), json.encode());
      assertEquals(json, CallCommand.fromJson(new JsonObject(json.encode())).toJson(), "stable through text");
    }
  }

  @Test
  void theDocumentedJsonParses() {
    CallCommand.Answer answer = (CallCommand.Answer) CallCommand.fromJson(new JsonObject(
        "{\"command\": \"answer\", \"callId\": \"c1\", \"by\": \"my-bot\", \"subscribeToTones\": true}"));
    assertEquals(CallCommand.Answer.of("c1", "my-bot", true), answer);

    CallCommand.Create create = (CallCommand.Create) CallCommand.fromJson(new JsonObject(
        "{\"command\": \"create\", \"targets\": [{\"user\": \"6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01\"}]}"));
    assertEquals(List.of(ADELE), create.targets());
    CallCommand.Create phone = (CallCommand.Create) CallCommand.fromJson(new JsonObject(
        "{\"command\": \"create\", \"targets\": [{\"phone\": \"+14255550102\"}]}"));
    assertEquals(IdentityKind.PHONE, phone.targets().get(0).identity().kind());

    CallCommand.Transfer transfer = (CallCommand.Transfer) CallCommand.fromJson(new JsonObject(
        "{\"command\": \"transfer\", \"callId\": \"c1\", \"target\": {\"user\": \"u3\"}, \"replacesCallId\": \"c2\"}"));
    assertEquals("c2", transfer.replacesCallId());
    CallCommand.SendDtmfTones tones = (CallCommand.SendDtmfTones) CallCommand.fromJson(new JsonObject(
        "{\"command\": \"sendDtmfTones\", \"callId\": \"c1\", \"tones\": [\"tone1\", \"pound\"]}"));
    assertEquals(List.of(Tone.TONE1, Tone.POUND), tones.tones());
    CallCommand.Reject reject = (CallCommand.Reject) CallCommand.fromJson(new JsonObject(
        "{\"command\": \"reject\", \"callId\": \"c1\"}"));
    assertEquals(RejectReason.NONE, reject.reason());
    CallCommand.Redirect redirect = (CallCommand.Redirect) CallCommand.fromJson(new JsonObject(
        "{\"command\": \"redirect\", \"callId\": \"c1\", \"targets\": [{\"user\": \"u3\"}], \"timeout\": 30}"));
    assertEquals(30, redirect.timeoutSeconds());
    CallCommand.InviteParticipants invite = (CallCommand.InviteParticipants) CallCommand.fromJson(new JsonObject(
        "{\"command\": \"inviteParticipants\", \"callId\": \"c1\","
            + " \"participants\": [{\"user\": \"u4\", \"replacesCallId\": \"c9\"}]}"));
    assertEquals("c9", invite.participants().get(0).replacesCallId());
    assertInstanceOf(CallCommand.ListCalls.class, CallCommand.fromJson(new JsonObject("{\"command\": \"list\"}")));
  }

  @Test
  void aGraphInvitationParticipantInfoIsATarget() {
    Target target = Target.fromJson(new JsonObject("{\"@odata.type\": \"#microsoft.graph.invitationParticipantInfo\","
        + " \"replacesCallId\": \"a7eb\", \"identity\": {\"@odata.type\": \"#microsoft.graph.identitySet\","
        + " \"user\": {\"@odata.type\": \"#microsoft.graph.identity\", \"id\": \"2784\", \"displayName\": \"Bob\"}}}"));
    assertEquals(new Target(new Identity(IdentityKind.USER, "2784", "Bob", null), "a7eb"), target);
  }

  @Test
  void badCommandsAreRefusedWithAMessageThatSaysWhatIsWrong() {
    assertBad(400, "needs 'command'", "{\"notification\": {\"changeType\": \"updated\"}}");
    assertBad(400, "unknown command 'dance'", "{\"command\": \"dance\"}");
    assertBad(400, "command 'answer' needs 'callId'", "{\"command\": \"answer\"}");
    assertBad(400, "'subscribeToTones' must be true or false", "{\"command\": \"answer\", \"callId\": \"c\","
        + " \"subscribeToTones\": \"yes\"}");
    assertBad(400, "'targets' must be a non-empty array", "{\"command\": \"create\", \"targets\": \"Adele\"}");
    assertBad(400, "exactly one of 'targets'", "{\"command\": \"create\"}");
    assertBad(422, "not a phone number in E.164", "{\"command\": \"create\", \"targets\": [{\"phone\": \"12345\"}]}");
    assertBad(422, "names exactly one of", "{\"command\": \"create\", \"targets\": [{\"name\": \"Adele\"}]}");
    assertBad(400, "'reason' must be one of [none, busy, forbidden]",
        "{\"command\": \"reject\", \"callId\": \"c\", \"reason\": \"later\"}");
    assertBad(400, "'timeout' must be a number of seconds from 15 to 90",
        "{\"command\": \"redirect\", \"callId\": \"c\", \"targets\": [{\"user\": \"u\"}], \"timeout\": 5}");
    assertBad(400, "'tones' must be one of", "{\"command\": \"sendDtmfTones\", \"callId\": \"c\", \"tones\": [\"x\"]}");
    assertBad(400, "'participantId' is required", "{\"command\": \"muteParticipant\", \"callId\": \"c\"}");
    assertBad(400, "'state' must be one of", "{\"command\": \"list\", \"state\": \"happy\"}");
    assertBad(400, "'acceptedModalities' must be", "{\"command\": \"answer\", \"callId\": \"c\","
        + " \"acceptedModalities\": [\"smell\"]}");
  }

  private static void assertBad(int status, String message, String json) {
    SwitchboardException e = assertThrows(SwitchboardException.class, () -> CallCommand.fromJson(new JsonObject(json)));
    assertEquals(status, e.status(), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
