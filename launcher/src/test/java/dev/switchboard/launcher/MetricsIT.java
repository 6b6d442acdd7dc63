package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.calls.CallsClient;
import dev.switchboard.api.media.MediaClient;
import dev.switchboard.api.media.MediaCommand;
import dev.switchboard.api.media.PromptRef;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} after a scripted scenario against the emulator (calls answered through a throttled Graph, a
 * prompt played, the calls hung up, a call record, a presence change, a bundle swapped), read with a Prometheus
 * text-format parser: every meter the platform and the first-party bundles promise is there with values that fit the
 * scenario, beside Vert.x's and the JVM's.
 */
class MetricsIT {

  private static final String ADELE = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01";

  @TempDir
  Path dir;

  @Test
  void everyMeterIsExposedWithValuesThatFitTheScenario() throws Exception {
    try (InProcessServer s = InProcessServer.start(dir, List.of("calling", "media", "records", "presence"),
        Map.of("SWITCHBOARD_PLUGINS_CALLING_UNCLAIMED_REJECT_AFTER", "10m", "SWITCHBOARD_PLUGINS_PRESENCE_WATCH", ADELE))) {
      InProcessServer.awaitUntil("the server ready", Duration.ofSeconds(60), () -> status(s, "/health/ready") == 200);

      // Graph throttles the first answer: the platform waits the Retry-After second and answers again.
      s.emulator("/emulator/faults", new JsonObject().put("type", "throttle").put("method", "POST")
          .put("path", "/v1.0/communications/calls/*/answer").put("count", 1).put("retryAfterSeconds", 1));
      CallsClient calls = CallsClient.of(s.vertx.eventBus()).withTimeout(30_000);
      List<String> ids = new ArrayList<>();
      for (String from : List.of("+14255550101", "+14255550102")) {
        String id = s.incomingCall(from);
        ids.add(id);
        s.answer(id, "metrics-test");
        InProcessServer.awaitUntil("call " + id + " established", Duration.ofSeconds(30), () -> "established".equals(
            state(calls, id)));
      }
      // While both calls live: the gauges count them.
      PrometheusText live = InProcessServer.awaitValue("both calls counted live", Duration.ofSeconds(30), () -> {
        PrometheusText now = scrape(s);
        return sumOr0(now, "switchboard_calls_active", "plugin", "calling") == 2 ? now : null;
      });
      assertEquals(2, live.sum("switchboard_routing_keys", "address", "switchboard.graph.calls", "plugin", "calling",
          "state", "active"));
      InProcessServer.await(MediaClient.of(s.vertx.eventBus()).play(MediaCommand.Play.of(ids.get(0),
          PromptRef.hosted(s.emulator.baseUrl() + "/emulator/samples/prompt.wav?seconds=1"))));

      // A swap, a call record and a presence change.
      Path hello = Cli.testBundle("hello-v1");
      assertEquals(201, s.admin(HttpMethod.POST, "/admin/bundles", Buffer.buffer(Files.readAllBytes(hello)))
          .statusCode());
      assertEquals(200, s.admin(HttpMethod.PUT, "/admin/bundles/dev.switchboard.test.hello?mode=takeover",
          Buffer.buffer(Files.readAllBytes(Cli.testBundle("hello-v2")))).statusCode());
      s.emulator("/emulator/callRecords", new JsonObject());
      s.emulator("/emulator/users/" + ADELE + "/presence", new JsonObject().put("availability", "Busy")
          .put("activity", "InACall"));

      PrometheusText m = InProcessServer.awaitValue("the prompt played, the record stored and the presence "
          + "published", Duration.ofSeconds(60), () -> {
            PrometheusText now = scrape(s);
            boolean done = !now.find("switchboard_media_operations_total", "operation", "play", "outcome", "completed")
                .isEmpty() && !now.find("switchboard_records_stored_total", "outcome", "stored").isEmpty()
                && now.sum("switchboard_records_stored_total", "outcome", "stored") >= 1
                && now.sum("switchboard_presence_events_total", "kind", "notified") >= 1;
            return done ? now : null;
          });
      for (String id : ids) {
        s.emulator("/emulator/calls/" + id + "/hangup", new JsonObject());
      }
      // A call's key is released a moment after its end is counted (once its owner has finished with it): await both.
      m = InProcessServer.awaitValue("both calls ended and their keys released in the metrics", Duration.ofSeconds(30),
          () -> {
            PrometheusText now = scrape(s);
            return !now.find("switchboard_calls_ended_total").isEmpty() && now.sum("switchboard_calls_ended_total") >= 2
                && now.sum("switchboard_routing_keys", "address", "switchboard.graph.calls", "plugin", "calling") == 0
                ? now : null;
          });

      // Calls (calling bundle); the caller hung up: Graph's result code 200.
      assertEquals(0, m.sum("switchboard_calls_active", "plugin", "calling"));
      assertEquals(2, m.sum("switchboard_calls_started_total", "plugin", "calling", "direction", "incoming"));
      assertEquals(2, m.sum("switchboard_calls_ended_total", "plugin", "calling"));
      assertEquals(2, m.sum("switchboard_calls_ended_total", "plugin", "calling", "result", "200"),
          m.find("switchboard_calls_ended_total").toString());
      assertEquals("histogram", m.types.get("switchboard_calls_answer_latency_seconds"));
      assertEquals(2, m.sum("switchboard_calls_answer_latency_seconds_count"));
      assertEquals(2, m.sum("switchboard_calls_answer_latency_seconds_bucket", "le", "+Inf"));
      assertTrue(m.sum("switchboard_calls_answer_latency_seconds_sum") > 0.9,
          "the throttled answer waited a second: " + m.sum("switchboard_calls_answer_latency_seconds_sum"));
      // Graph: the throttled attempt, its retry, the wait.
      assertEquals(1, m.sum("switchboard_graph_requests_total", "resource", "communications/calls/{id}/answer",
          "status", "429", "retry", "false"));
      assertEquals(1, m.sum("switchboard_graph_requests_total", "resource", "communications/calls/{id}/answer",
          "status", "202", "retry", "true"));
      double waited = m.sum("switchboard_graph_throttled_seconds_total", "status", "429");
      assertTrue(waited >= 0.99 && waited < 5, "waited " + waited + " s for a Retry-After of 1 s");
      // The callback door and change notifications.
      assertTrue(m.sum("switchboard_ingress_requests_total", "endpoint", "calling", "outcome", "accepted") >= 6);
      assertTrue(m.sum("switchboard_ingress_requests_total", "endpoint", "notifications") >= 2);
      assertTrue(m.sum("switchboard_ingress_notifications_total", "endpoint", "calling", "outcome", "handedOver") >= 6);
      assertEquals(0, sumOr0(m, "switchboard_ingress_notifications_total", "outcome", "lost"));
      // Keyed routing: nothing waits, the calls' keys are released.
      assertEquals(0, m.sum("switchboard_routing_queue_depth"));
      assertEquals(0, m.sum("switchboard_routing_keys", "address", "switchboard.graph.calls", "plugin", "calling"));
      // The swap, and the old hello's meters gone with it.
      assertEquals(1, m.sum("switchboard_swaps_total", "kind", "update", "mode", "takeover", "outcome", "succeeded"));
      // Plugin handlers: the calling plugin's keyed handler ran for every notification; none failed.
      assertTrue(m.sum("switchboard_plugin_handler_seconds_count", "plugin", "calling", "kind", "keyed") >= 6);
      assertEquals(0, m.sum("switchboard_plugin_handler_failures_total", "plugin", "calling", "kind", "keyed"));
      // Subscriptions (records and presence), media, records, presence.
      assertTrue(m.sum("switchboard_subscriptions", "status", "active") >= 2);
      assertEquals(1, m.sum("switchboard_media_operations_total", "operation", "play", "outcome", "completed"));
      assertTrue(m.sum("switchboard_records_stored_total", "outcome", "stored") >= 1);
      assertTrue(m.sum("switchboard_presence_events_total", "kind", "published") >= 1);
      // Vert.x's and the JVM's own.
      assertTrue(m.sum("vertx_http_server_requests_total") > 0);
      assertTrue(m.sum("vertx_http_client_requests_total") > 0);
      assertTrue(m.sum("vertx_eventbus_sent_total") > 0);
      assertTrue(m.sum("jvm_memory_used_bytes") > 0);
      assertTrue(m.sum("jvm_threads_live_threads") > 0);
      assertTrue(m.sum("jvm_classes_loaded_classes") > 1000);
      assertTrue(!m.find("jvm_gc_memory_allocated_bytes_total").isEmpty());
      assertTrue(m.samples.stream().anyMatch(x -> x.name().startsWith("vertx_pool_") && x.labels().containsKey(
          "pool_type")), "no vertx_pool_* series");

      drainWithALiveCall(s, calls);
      uninstalledBundlesMetersAreGone(s);
    }
  }

  /**
   * Calling updated with drain while a call lives: the old version keeps the call's key (state {@code draining})
   * until the call ends; then its keys and meters are gone with it.
   */
  private static void drainWithALiveCall(InProcessServer s, CallsClient calls) throws Exception {
    String id = s.incomingCall("+14255550103");
    s.answer(id, "metrics-test");
    InProcessServer.awaitUntil("call " + id + " established", Duration.ofSeconds(30), () -> "established".equals(
        state(calls, id)));
    String old = scrape(s).find("switchboard_calls_active", "plugin", "calling").get(0).labels().get("version");
    assertEquals(200, s.admin(HttpMethod.PUT, "/admin/bundles/dev.switchboard.calling?mode=drain",
        Buffer.buffer(Files.readAllBytes(Cli.distributionBundle("calling", "9.0.0", s.dir)))).statusCode());
    PrometheusText draining = InProcessServer.awaitValue("9.0.0 active beside the old version", Duration.ofSeconds(30),
        () -> {
          PrometheusText now = scrape(s);
          return now.find("switchboard_routing_keys", "plugin", "calling", "version", "9.0.0").isEmpty() ? null : now;
        });
    assertEquals(1, draining.sum("switchboard_routing_keys", "address", "switchboard.graph.calls", "plugin",
        "calling", "version", old, "state", "draining"));
    assertEquals(1, draining.sum("switchboard_calls_active", "plugin", "calling", "version", old));

    s.emulator("/emulator/calls/" + id + "/hangup", new JsonObject());
    PrometheusText done = InProcessServer.awaitValue("the old version's keys at zero", Duration.ofSeconds(30), () -> {
      PrometheusText now = scrape(s);
      return sumOr0(now, "switchboard_routing_keys", "plugin", "calling", "state", "draining") == 0 ? now : null;
    });
    assertEquals(0, sumOr0(done, "switchboard_calls_active", "plugin", "calling", "version", "9.0.0"));
    InProcessServer.awaitUntil("the drained version's meters gone", Duration.ofSeconds(30),
        () -> seriesOf(scrape(s), "calling", old).isEmpty());
  }

  /** The hello bundle, its handler run once, uninstalled: no series names it any more. */
  private static void uninstalledBundlesMetersAreGone(InProcessServer s) throws Exception {
    InProcessServer.await(s.vertx.eventBus().request("test.hello", new JsonObject()));
    assertTrue(!seriesOf(scrape(s), "hello", "2.0.0").isEmpty(), "hello's handler ran: its meters exist");
    assertEquals(204, s.admin(HttpMethod.DELETE, "/admin/bundles/dev.switchboard.test.hello", null).statusCode());
    List<PrometheusText.Sample> left = seriesOf(scrape(s), "hello", null);
    assertTrue(left.isEmpty(), "series of the uninstalled hello: " + left);
  }

  /** The samples of {@code plugin} (at {@code version}, or any when null). */
  private static List<PrometheusText.Sample> seriesOf(PrometheusText m, String plugin, String version) {
    return m.samples.stream().filter(x -> plugin.equals(x.labels().get("plugin"))
        && (version == null || version.equals(x.labels().get("version")))).toList();
  }

  /** {@link PrometheusText#sum}, but 0 when there is no such sample. */
  private static double sumOr0(PrometheusText m, String name, String... labels) {
    return m.find(name, labels).stream().mapToDouble(PrometheusText.Sample::value).sum();
  }

  private static String state(CallsClient calls, String id) {
    try {
      return InProcessServer.await(calls.get(id)).state().wireName();
    } catch (Exception e) {
      return null;
    }
  }

  private static int status(InProcessServer s, String path) {
    try {
      return InProcessServer.await(s.web.get(s.server.httpPort(), "127.0.0.1", path).send()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static PrometheusText scrape(InProcessServer s) {
    try {
      var response = InProcessServer.await(s.web.get(s.server.httpPort(), "127.0.0.1", "/metrics").send());
      assertEquals(200, response.statusCode());
      assertTrue(response.getHeader("Content-Type").startsWith("text/plain; version=0.0.4"));
      return PrometheusText.parse(response.bodyAsString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
