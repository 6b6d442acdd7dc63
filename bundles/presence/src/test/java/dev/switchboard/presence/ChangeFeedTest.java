package dev.switchboard.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.switchboard.api.GraphClient;
import dev.switchboard.api.GraphResponse;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.presence.PresenceEvent;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Notifications to events: a rich notification is applied as it is, a basic one makes the feed read the user (ids
 * coalesced into one request while another is under way), and a user notified during a read is read again.
 */
class ChangeFeedTest {

  private final PluginContext context = mock(PluginContext.class);

  {
    org.mockito.Mockito.when(context.meters()).thenCallRealMethod(); // meters that count nothing
  }
  private final GraphClient graph = mock(GraphClient.class);
  private final List<JsonObject> published = new ArrayList<>();
  private final List<Promise<GraphResponse>> reads = new ArrayList<>();
  private final List<JsonArray> readIds = new ArrayList<>();
  private final MemoryState state = new MemoryState();
  private final PresenceCache cache = new PresenceCache(state);
  private final ChangeFeed feed;

  ChangeFeedTest() {
    org.mockito.Mockito.doAnswer(a -> published.add(a.getArgument(2))).when(context)
        .publishKeyed(eq(PresenceEvent.PresenceChanged.TOPIC), anyString(), any());
    when(graph.post(eq("/communications/getPresencesByUserId"), any())).thenAnswer(a -> {
      readIds.add(((JsonObject) a.getArgument(1)).getJsonArray("ids"));
      Promise<GraphResponse> p = Promise.promise();
      reads.add(p);
      return p.future();
    });
    feed = new ChangeFeed(context, cache, new GraphPresence(graph, "app"), new Publisher(state, "1.0.0"));
    Instant t0 = Instant.parse("2026-01-01T09:00:00Z");
    for (String id : List.of("a", "b", "c")) {
      cache.observe(new dev.switchboard.api.presence.Presence(id, "Available", "Available", null), t0);
    }
  }

  private static JsonObject basic(String id) {
    return new JsonObject().put("resource", "communications/presences/" + id).put("resourceData",
        new JsonObject().put("@odata.type", "#microsoft.graph.presence").put("id", id));
  }

  private static JsonObject presence(String id, String availability, String activity) {
    return new JsonObject().put("id", id).put("availability", availability).put("activity", activity);
  }

  private static GraphResponse answer(JsonObject... presences) {
    GraphResponse r = mock(GraphResponse.class);
    when(r.body()).thenReturn(new JsonObject().put("value", new JsonArray(List.of((Object[]) presences))));
    return r;
  }

  @Test
  void aRichNotificationIsAppliedWithoutReadingGraph() {
    feed.notified(new JsonObject().put("resource", "communications/presences/a")
        .put("resourceData", presence("a", "Busy", "InACall")));
    verify(graph, never()).post(anyString(), any());
    assertEquals(1, published.size());
    PresenceEvent.PresenceChanged e = (PresenceEvent.PresenceChanged) PresenceEvent.fromJson(published.get(0));
    assertEquals("Busy", e.presence().availability());
    assertEquals("Available", e.previous().availability());
  }

  @Test
  void basicNotificationsAreReadInBatchesAndAUserNotifiedDuringAReadIsReadAgain() {
    feed.notified(basic("a"));
    feed.notified(basic("b"));
    feed.notified(basic("a"));
    feed.notified(basic("c"));
    assertEquals(List.of(new JsonArray().add("a")), readIds, "one read at a time");
    reads.get(0).complete(answer(presence("a", "Busy", "InACall")));
    assertEquals(new JsonArray().add("b").add("a").add("c"), readIds.get(1),
        "the ids that came meanwhile in one request, a again since the first answer may predate its change");
    reads.get(1).complete(answer(presence("b", "Away", "Away"), presence("a", "Available", "Available"),
        presence("c", "Available", "Available")));
    List<String> changes = published.stream().map(j -> {
      PresenceEvent.PresenceChanged e = (PresenceEvent.PresenceChanged) PresenceEvent.fromJson(j);
      return e.userId() + ":" + e.presence().availability();
    }).toList();
    assertEquals(List.of("a:Busy", "b:Away", "a:Available"), changes, "c did not change: no event");
  }

  @Test
  void aVersionThatLostPublishingToANewerOnePublishesNothingMore() {
    feed.notified(basic("a"));
    new Publisher(state, "1.0.1").claim();
    reads.get(0).complete(answer(presence("a", "Busy", "InACall")));
    feed.notified(new JsonObject().put("resource", "communications/presences/b")
        .put("resourceData", presence("b", "Busy", "InACall")));
    assertEquals(List.of(), published);
  }

  @Test
  void aFailedReadIsRetried() {
    when(context.setTimer(eq(1_000L), any())).thenAnswer(a -> {
      io.vertx.core.Handler<Long> h = a.getArgument(1);
      h.handle(1L);
      return 1L;
    });
    feed.notified(basic("a"));
    reads.get(0).fail(new IllegalStateException("503"));
    assertEquals(2, readIds.size());
    reads.get(1).complete(answer(presence("a", "Busy", "InACall")));
    assertEquals(1, published.size());
  }

}
