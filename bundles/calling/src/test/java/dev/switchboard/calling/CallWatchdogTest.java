package dev.switchboard.calling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.switchboard.api.CallNotifications;
import dev.switchboard.api.GraphClient;
import dev.switchboard.api.GraphException;
import dev.switchboard.api.GraphResponse;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.calls.OperationView;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * The watchdog's decisions, with the plugin context and Graph stubbed and the store in memory: a quiet call is read
 * again, an ended one is closed once with Graph's result, a live one is left alone and watched again, a call that
 * moved recently is not read, and a pending operation whose completion was lost is reported (or failed when Graph no
 * longer knows it).
 */
class CallWatchdogTest {

  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

  private final CallOwnerTest.MemoryStore state = new CallOwnerTest.MemoryStore();
  private final CallStore store = new CallStore(state);
  private final PluginContext context = mock(PluginContext.class);
  private final GraphClient graph = mock(GraphClient.class);
  private CallOwner owner;
  private Call call;

  {
    when(context.meters()).thenCallRealMethod();
  }

  @BeforeEach
  void start() throws Exception {
    when(context.name()).thenReturn("calling");
    when(context.version()).thenReturn("1.0.0");
    when(context.logger()).thenReturn(System.getLogger(CallWatchdogTest.class.getName()));
    CallingSettings settings = CallingSettings.from(new JsonObject().put("watchdog",
        new JsonObject().put("quietFor", "2m")), "http://localhost:8080");
    owner = new CallOwner(context, settings, store, graph, Clock.fixed(NOW, ZoneOffset.UTC));
    call = NotificationApplierTest.established().with(b -> b.updatedAt(NOW.minus(Duration.ofMinutes(3))));
  }

  private void fire() throws Exception {
    owner.handle(new KeyedMessage.Timer(CallNotifications.ADDRESS, call.id(), CallWatchdog.TIMER, new JsonObject(),
        NOW)).toCompletionStage().toCompletableFuture().get();
  }

  private Call stored() throws Exception {
    return store.load(call.id()).toCompletionStage().toCompletableFuture().get();
  }

  private void graphAnswers(String path, JsonObject body) {
    when(graph.get(path)).thenReturn(Future.succeededFuture(new GraphResponse(200, body, null, "r", "c")));
  }

  private void graphForgot(String path) {
    when(graph.get(path)).thenReturn(Future.failedFuture(new GraphException(404, "NotFound", "not found", "r", "c",
        null)));
  }

  private List<CallEvent> published() {
    ArgumentCaptor<JsonObject> events = ArgumentCaptor.forClass(JsonObject.class);
    verify(context, org.mockito.Mockito.atLeast(0)).publishKeyed(anyString(), eq(call.id()), events.capture());
    return events.getAllValues().stream().map(CallEvent::fromJson).toList();
  }

  @Test
  void aCallThatEndedUnheardIsClosedOnceWithGraphsResult() throws Exception {
    store.save(call);
    graphAnswers("/communications/calls/" + call.id(), new JsonObject().put("state", "terminated")
        .put("resultInfo", new JsonObject().put("code", 200).put("subcode", 5001).put("message", "hung up")));

    fire();
    fire(); // a second firing (a crash after handling) finds the call ended and does nothing

    assertTrue(stored().terminated());
    List<CallEvent> terminated = published().stream().filter(e -> e instanceof CallEvent.Terminated).toList();
    assertEquals(1, terminated.size(), "one terminated event: " + published());
    assertEquals(5001, ((CallEvent.Terminated) terminated.get(0)).resultInfo().subcode());
    verify(graph, times(1)).get(anyString());
    verify(context, org.mockito.Mockito.atLeastOnce()).releaseKey(CallNotifications.ADDRESS, call.id());
  }

  @Test
  void aCallGraphNoLongerKnowsEndsWithAReason() throws Exception {
    store.save(call);
    graphForgot("/communications/calls/" + call.id());

    fire();

    CallEvent.Terminated ended = (CallEvent.Terminated) published().stream()
        .filter(e -> e instanceof CallEvent.Terminated).findFirst().orElseThrow();
    assertTrue(ended.reason().contains("watchdog"), ended.reason());
    assertEquals(404, ended.resultInfo().code());
  }

  @Test
  void aLiveCallIsLeftAloneAndWatchedAgain() throws Exception {
    store.save(call);
    graphAnswers("/communications/calls/" + call.id(), new JsonObject().put("state", "established"));

    fire();

    assertEquals(call.state(), stored().state());
    assertTrue(published().isEmpty(), "nothing to say: " + published());
    verify(context).keyTimer(CallNotifications.ADDRESS, call.id(), CallWatchdog.TIMER, Duration.ofMinutes(2),
        new JsonObject());
  }

  @Test
  void aCallThatMovedRecentlyIsNotReadButWatchedForTheRestOfItsQuietTime() throws Exception {
    call = call.with(b -> b.updatedAt(NOW.minus(Duration.ofSeconds(30))));
    store.save(call);

    fire();

    verify(graph, never()).get(anyString());
    verify(context).keyTimer(CallNotifications.ADDRESS, call.id(), CallWatchdog.TIMER, Duration.ofSeconds(90),
        new JsonObject());
  }

  @Test
  void anOperationWhoseCompletionWasLostIsReportedAndOneGraphForgotFails() throws Exception {
    OperationView done = OperationView.fromGraph(new JsonObject().put("status", "running"), "op-done");
    OperationView lost = OperationView.fromGraph(new JsonObject().put("status", "running"), "op-lost");
    OperationView running = OperationView.fromGraph(new JsonObject().put("status", "running"), "op-running");
    call = call.with(b -> b.pendingOperations(List.of(done, lost, running)));
    store.save(call);
    String path = "/communications/calls/" + call.id();
    graphAnswers(path, new JsonObject().put("state", "established"));
    graphAnswers(path + "/operations/op-done", new JsonObject().put("@odata.type",
        "#microsoft.graph.subscribeToToneOperation").put("id", "op-done").put("status", "completed"));
    graphForgot(path + "/operations/op-lost");
    graphAnswers(path + "/operations/op-running", new JsonObject().put("id", "op-running").put("status", "running"));

    fire();
    fire();

    List<OperationView> completed = published().stream().filter(e -> e instanceof CallEvent.OperationCompleted)
        .map(e -> ((CallEvent.OperationCompleted) e).operation()).toList();
    assertEquals(List.of("op-done", "op-lost"), completed.stream().map(OperationView::id).toList(),
        "each reported once");
    assertEquals("completed", completed.get(0).status());
    assertEquals("failed", completed.get(1).status());
    assertEquals(404, completed.get(1).resultInfo().code());
    assertEquals(List.of("op-running"), stored().view().pendingOperations().stream().map(OperationView::id).toList());
    assertTrue(!stored().terminated());
    verify(context, never()).releaseKey(anyString(), anyString());
  }

  @Test
  void itsSettingsAreCheckedAndNamedInTheError() {
    assertEquals(Duration.ofMinutes(2), CallingSettings.from(new JsonObject(), "http://h").watchdogQuietFor());
    assertEquals(Duration.ofSeconds(5), CallingSettings.from(new JsonObject().put("watchdogQuietFor", "5s"),
        "http://h").watchdogQuietFor(), "the environment's flat form");
    assertEquals(null, CallingSettings.from(new JsonObject().put("watchdog", new JsonObject().put("enabled", false)),
        "http://h").watchdogQuietFor());
    for (JsonObject bad : List.of(new JsonObject().put("watchdog", "yes"),
        new JsonObject().put("watchdog", new JsonObject().put("quietFor", "-3s")),
        new JsonObject().put("watchdog", new JsonObject().put("enabled", "maybe")))) {
      dev.switchboard.api.SwitchboardException refused = org.junit.jupiter.api.Assertions.assertThrows(
          dev.switchboard.api.SwitchboardException.class, () -> CallingSettings.from(bad, "http://h"));
      assertTrue(refused.getMessage().contains("plugins.calling.watchdog"), refused.getMessage());
    }
  }
}
