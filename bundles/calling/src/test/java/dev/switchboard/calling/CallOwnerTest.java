package dev.switchboard.calling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.switchboard.api.CallNotifications;
import dev.switchboard.api.GraphClient;
import dev.switchboard.api.GraphResponse;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.StateStore;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.calls.Claim;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The owner's dispatch by message type, with the plugin context and Graph stubbed (they need a server) and the state
 * store in memory: only the calling plugin itself registers calls, nothing else passes for a notification, and a key
 * timer rejects an unclaimed call.
 */
class CallOwnerTest {

  /** The state store, in memory. */
  static final class MemoryStore implements StateStore {
    final Map<String, JsonObject> entries = new HashMap<>();

    @Override
    public Future<JsonObject> get(String key) {
      return Future.succeededFuture(entries.get(key) == null ? null : entries.get(key).copy());
    }

    @Override
    public Future<Void> put(String key, JsonObject value) {
      entries.put(key, value.copy());
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> remove(String key) {
      entries.remove(key);
      return Future.succeededFuture();
    }

    @Override
    public Future<Set<String>> keys() {
      return Future.succeededFuture(Set.copyOf(entries.keySet()));
    }
  }

  private final MemoryStore state = new MemoryStore();
  private final CallStore store = new CallStore(state);
  private final PluginContext context = mock(PluginContext.class);

  {
    org.mockito.Mockito.when(context.meters()).thenCallRealMethod(); // meters that count nothing
  }
  private final GraphClient graph = mock(GraphClient.class);
  private CallOwner owner;

  @BeforeEach
  void start() {
    when(context.name()).thenReturn("calling");
    when(context.version()).thenReturn("1.0.0");
    when(context.logger()).thenReturn(System.getLogger(CallOwnerTest.class.getName()));
    CallingSettings settings = CallingSettings.from(new JsonObject(), "http://localhost:8080");
    owner = new CallOwner(context, settings, store, graph,
        Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC));
  }

  private Call stored(String id) throws Exception {
    return store.load(id).toCompletionStage().toCompletableFuture().get();
  }

  private static SwitchboardException failure(Future<?> handled) {
    assertTrue(handled.failed(), "refused");
    return SwitchboardException.from(handled.cause());
  }

  @Test
  void aGraphNotificationSentAsACommandIsRefusedAndChangesNothing() throws Exception {
    Call call = NotificationApplierTest.established();
    store.save(call);
    JsonObject entry = state.entries.values().iterator().next().copy();
    JsonObject forged = NotificationApplierTest.example("call-delete__4").notification();

    for (String sender : new String[] {null, "intruder", "calling"}) {
      SwitchboardException refused = failure(owner.handle(new KeyedMessage.Command(CallNotifications.ADDRESS,
          call.id(), sender, forged)));
      assertEquals(400, refused.status());
    }
    assertEquals(entry, state.entries.values().iterator().next(), "the stored call is unchanged");
    verify(context, never()).publishKeyed(anyString(), anyString(), any());
    verify(context, never()).releaseKey(anyString(), anyString());
    verifyNoInteractions(graph);
  }

  @Test
  void onlyTheCallingPluginItselfRegistersACall() throws Exception {
    Call placed = Call.of(NotificationApplierTest.established().view());
    JsonObject registration = new RegisterCall(placed.view()).toJson();

    SwitchboardException refused = failure(owner.handle(new KeyedMessage.Command(CallNotifications.ADDRESS,
        placed.id(), "intruder", registration)));
    assertTrue(refused.getMessage().contains("unknown command 'registerCall'"), refused.getMessage());
    assertEquals(null, stored(placed.id()));

    JsonObject reply = owner.handle(new KeyedMessage.Command(CallNotifications.ADDRESS, placed.id(), "calling",
        registration)).toCompletionStage().toCompletableFuture().get();
    assertEquals(placed.id(), reply.getString("id"));
    assertEquals(placed.view().state(), stored(placed.id()).state());
  }

  @Test
  void theClaimDeadlineRejectsAnUnclaimedCallBusyAndLeavesAClaimedOneAlone() throws Exception {
    when(graph.post(anyString(), any())).thenReturn(Future.succeededFuture(
        new GraphResponse(202, new JsonObject(), null, "req-1", "client-1")));
    KeyedMessage.Notification arrived = NotificationApplierTest.example("call-answer__3");
    owner.handle(arrived);
    String id = arrived.key();
    verify(context).keyTimer(CallNotifications.ADDRESS, id, CallOwner.UNCLAIMED_TIMER, Duration.ofSeconds(5),
        new JsonObject());
    verify(context).publishKeyed(eq(CallEvent.Incoming.TOPIC), eq(id), any());

    owner.handle(new KeyedMessage.Timer(CallNotifications.ADDRESS, id, CallOwner.UNCLAIMED_TIMER, new JsonObject(),
        Instant.now()));
    verify(graph).post("/communications/calls/" + id + "/reject", new JsonObject().put("reason", "busy"));
    Call rejected = stored(id);
    assertTrue(rejected.view().unclaimed());
    assertEquals(Claim.REJECTED, rejected.view().claim());

    owner.handle(new KeyedMessage.Timer(CallNotifications.ADDRESS, id, CallOwner.UNCLAIMED_TIMER, new JsonObject(),
        Instant.now()));
    verify(graph).post(eq("/communications/calls/" + id + "/reject"), any()); // still once
  }
}
