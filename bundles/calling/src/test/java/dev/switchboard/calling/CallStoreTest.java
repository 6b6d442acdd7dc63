package dev.switchboard.calling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.calls.CallState;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stored form of a call: a round trip, and an entry written before the typed contract still reads. */
class CallStoreTest {

  @Test
  void aCallSurvivesTheStore() throws Exception {
    Call call = NotificationApplierTest.established().withToneSeen(4).withOperationReported("op-1")
        .withSubscribeOnEstablished(true);
    assertEquals(call, CallStore.fromJson(new JsonObject(CallStore.toJson(call).encode())));
  }

  @Test
  void anEntryOfTheUntypedModelReads() {
    JsonObject old = new JsonObject("{\"id\": \"c1\", \"tenantId\": \"t\", \"state\": \"established\","
        + " \"direction\": \"outgoing\", \"kind\": \"peerToPeer\", \"toneSubscribed\": true, \"claimedBy\": null,"
        + " \"participants\": [], \"pendingOperations\": {\"op-9\": {\"id\": \"op-9\", \"type\":"
        + " \"sendDtmfTonesOperation\", \"status\": \"running\"}}, \"createdAt\": \"2026-11-28T10:00:00Z\","
        + " \"internal\": {\"tonesSeen\": [1, 2], \"operationsReported\": [\"op-1\"], \"keepAliveDueAt\": 123,"
        + " \"establishedPublished\": true}}");
    Call call = CallStore.fromJson(old);
    assertEquals(CallState.ESTABLISHED, call.state());
    assertEquals("op-9", call.view().pendingOperations().get(0).id());
    assertEquals(List.of(1L, 2L), call.tonesSeen());
    assertTrue(call.operationsReported().contains("op-1"), "an id the entry lists is still known as reported");
    assertEquals(1, call.operationsReported().size());
    assertTrue(call.view().toneSubscribed());
  }
}
