package dev.switchboard.api.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every event and view survives a round trip through JSON, and the documented call model parses. */
class CallEventJsonTest {

  static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

  static CallView call() {
    ParticipantView bot = new ParticipantView("p-bot", new JsonObject("{\"identity\": {\"application\":"
        + " {\"id\": \"app\"}}}"), false, false, true, null);
    ParticipantView adele = new ParticipantView("p-1", new JsonObject("{\"identity\": {\"user\": {\"id\": \"u1\","
        + " \"displayName\": \"Adele\"}}}"), true, false, false,
        new JsonArray("[{\"mediaType\": \"audio\", \"serverMuted\": false}]"));
    OperationView op = new OperationView("op-1", "sendDtmfTonesOperation", "running", "dtmf", null, null, null, null,
        new JsonObject().put("extra", 1));
    return CallView.builder("c1").tenantId("t1").state(CallState.ESTABLISHED).direction(CallDirection.INCOMING)
        .kind(CallKind.PEER_TO_PEER).source(new JsonObject("{\"identity\": {\"user\": {\"id\": \"u1\"}}}"))
        .targets(new JsonArray("[{\"identity\": {\"application\": {\"id\": \"app\"}}}]")).myParticipantId("p-bot")
        .requestedModalities(List.of("audio")).participants(List.of(bot, adele)).claimedBy("my-bot")
        .claim(Claim.ANSWERED).toneSubscribed(true).lastToneSequenceId(3L).pendingOperations(List.of(op))
        .transfer(new TransferView(TransferStatus.REQUESTED, new JsonObject().put("identity", new JsonObject()), true,
            "c2", null))
        .meeting(new MeetingView(null, null, null, null, null, "1234567"))
        .createdAt(T0).updatedAt(T0.plusSeconds(5)).establishedAt(T0.plusSeconds(1)).lastKeepAliveAt(T0)
        .nextKeepAliveAt(T0.plusSeconds(900)).handledBy("0.1.0.SNAPSHOT").build();
  }

  static CallEvent.Header header() {
    return new CallEvent.Header("c1", "t1", T0, "0.1.0.SNAPSHOT", call());
  }

  @Test
  void everyEventRoundTrips() {
    CallEvent.Header h = header();
    ResultInfo ended = new ResultInfo(200, 4521, "ended");
    TransferView transfer = new TransferView(TransferStatus.FAILED, null, false, null, new ResultInfo(500, 7000, null));
    List<CallEvent> events = List.of(
        new CallEvent.Incoming(h, T0, T0.plusSeconds(5)),
        new CallEvent.StateChanged(h, CallState.ESTABLISHED, CallState.ESTABLISHING),
        new CallEvent.StateChanged(h, CallState.ESTABLISHING, null),
        new CallEvent.Established(h),
        new CallEvent.ParticipantsChanged(h, h.call().participants(), List.of("p-1"), List.of(), List.of("p-bot")),
        new CallEvent.ToneReceived(h, Tone.POUND, 4L, true),
        new CallEvent.OperationCompleted(h, new OperationView("op", "recordOperation", "completed", null,
            new ResultInfo(200, 8515, "max"), "maxRecordDurationReached", "https://r", "token", new JsonObject())),
        new CallEvent.TransferAccepted(h, transfer.withStatus(TransferStatus.ACCEPTED)),
        new CallEvent.TransferFailed(h, transfer, transfer.resultInfo(), "the transfer target did not accept"),
        new CallEvent.Terminated(h, ended, "the other participant ended the peer-to-peer call", false));
    for (CallEvent event : events) {
      JsonObject json = event.toJson();
      assertEquals(event.topic().substring("switchboard.calls.".length()), json.getString("type"));
      assertEquals(event, CallEvent.fromJson(new JsonObject(json.encode())), json.encode());
      assertEquals(event, CallEvent.fromJson(json, event.getClass()));
    }
    assertEquals(CallEvent.TOPICS.size(), events.stream().map(CallEvent::topic).distinct().count());
  }

  @Test
  void theDocumentedEventShapesParse() {
    JsonObject terminated = new JsonObject("{\"type\": \"terminated\", \"callId\": \"c1\", \"tenantId\": \"t1\","
        + " \"at\": \"2026-11-28T12:00:00Z\", \"version\": \"0.1.0.SNAPSHOT\", \"call\": {\"id\": \"c1\","
        + " \"state\": \"terminated\"}, \"resultInfo\": {\"code\": 200, \"subcode\": 4521, \"message\": \"x\"},"
        + " \"reason\": \"the other participant ended the peer-to-peer call\", \"unclaimed\": false}");
    CallEvent.Terminated event = CallEvent.fromJson(terminated, CallEvent.Terminated.class);
    assertEquals(4521, event.resultInfo().subcode());
    assertEquals(CallState.TERMINATED, event.call().state());
    JsonObject written = event.toJson();
    written.remove("call");
    JsonObject expected = terminated.copy();
    expected.remove("call");
    assertEquals(expected, written, "the event's own fields are written as documented");
    SwitchboardException wrongType = assertThrows(SwitchboardException.class,
        () -> CallEvent.fromJson(terminated, CallEvent.Incoming.class));
    assertEquals(400, wrongType.status());
  }

  @Test
  void theDocumentedCallModelParsesAndRoundTrips() {
    JsonObject documented = new JsonObject("{ \"id\": \"c1\", \"tenantId\": \"t1\", \"state\": \"established\","
        + " \"direction\": \"incoming\", \"kind\": \"peerToPeer\","
        + " \"source\": { \"identity\": { \"user\": { \"id\": \"u1\" } } }, \"targets\": [ ], \"myParticipantId\": \"p\","
        + " \"participants\": [ { \"id\": \"p\", \"info\": { \"identity\": { } }, \"isMuted\": false,"
        + " \"isInLobby\": false, \"isBot\": true } ],"
        + " \"claimedBy\": \"my-bot\", \"claim\": \"answered\", \"toneSubscribed\": true, \"lastToneSequenceId\": 3,"
        + " \"pendingOperations\": [ { \"id\": \"o\", \"type\": \"sendDtmfTonesOperation\", \"status\": \"running\" } ],"
        + " \"transfer\": null, \"resultInfo\": null, \"reason\": null,"
        + " \"createdAt\": \"2026-11-28T12:00:00Z\", \"establishedAt\": \"2026-11-28T12:00:01Z\", \"terminatedAt\": null,"
        + " \"lastKeepAliveAt\": \"2026-11-28T12:00:02Z\", \"nextKeepAliveAt\": \"2026-11-28T12:15:02Z\","
        + " \"handledBy\": \"0.1.0.SNAPSHOT\" }");
    CallView call = CallView.fromJson(documented);
    assertEquals(new Identity(IdentityKind.USER, "u1", null, null), call.caller());
    assertEquals(Claim.ANSWERED, call.claim());
    assertEquals("sendDtmfTonesOperation", call.pendingOperations().get(0).type());
    assertEquals(call, CallView.fromJson(call.toJson()));
    assertEquals(call(), CallView.fromJson(call().toJson()));
    assertEquals(call(), call().toBuilder().build());
  }

  /** Reading a call takes its nested objects in place, but the view keeps copies: the JSON may change afterwards. */
  @Test
  void aCallReadSharesNothingWithItsJson() {
    JsonObject json = call().toJson();
    json.put("source", new JsonObject().put("identity", new JsonObject().put("user", new JsonObject().put("id", "u1"))))
        .put("targets", new JsonArray().add(new JsonObject().put("id", "t")))
        .put("incomingContext", new JsonObject().put("observedParticipantId", "p"));
    json.getJsonArray("participants").add(new JsonObject().put("id", "p2").put("info", new JsonObject().put("x", 1))
        .put("mediaStreams", new JsonArray().add(new JsonObject().put("mediaType", "audio"))));
    CallView read = CallView.fromJson(json);
    CallView again = CallView.fromJson(json.copy());
    json.getJsonObject("source").getJsonObject("identity").getJsonObject("user").put("id", "changed");
    json.getJsonArray("targets").getJsonObject(0).put("id", "changed");
    json.getJsonObject("incomingContext").put("observedParticipantId", "changed");
    JsonObject participant = json.getJsonArray("participants").getJsonObject(json.getJsonArray("participants").size() - 1);
    participant.getJsonObject("info").put("x", 2);
    participant.getJsonArray("mediaStreams").getJsonObject(0).put("mediaType", "video");
    assertEquals(again, read);
    assertEquals(again.toJson(), read.toJson());
  }

  /** The invite examples write {@code Running}, real Graph sends {@code running}: both read the same. */
  @Test
  void graphsStatusAndStateAreReadInEitherCase() {
    for (String status : List.of("Completed", "completed")) {
      OperationView op = OperationView.fromGraph(new JsonObject().put("@odata.type",
          "#microsoft.graph.inviteParticipantsOperation").put("status", status), "o1");
      assertEquals("completed", op.status());
      assertEquals(true, op.finished(), status);
    }
    assertEquals("notStarted", OperationView.fromGraph(new JsonObject().put("status", "NotStarted"), "o2").status());
    assertEquals(CallState.ESTABLISHED, CallState.fromGraph("Established").orElseThrow());
  }

  @Test
  void aGraphOperationLosesItsNamespaceAndAnnotations() {
    OperationView op = OperationView.fromGraph(new JsonObject("{\"@odata.type\": \"#microsoft.graph.playPromptOperation\","
        + " \"@odata.id\": \"/communications/calls/c/operations/o\", \"@odata.etag\": \"W/\\\"1\\\"\","
        + " \"resultInfo\": {\"@odata.type\": \"#microsoft.graph.resultInfo\", \"code\": 200, \"subcode\": 0,"
        + " \"message\": \"Action completed successfully.\"}, \"clientContext\": \"ctx\", \"status\": \"completed\"}"),
        "o");
    assertEquals(new OperationView("o", "playPromptOperation", "completed", "ctx",
        new ResultInfo(200, 0, "Action completed successfully."), null, null, null, new JsonObject()), op);
    assertEquals(true, op.finished());
  }
}
