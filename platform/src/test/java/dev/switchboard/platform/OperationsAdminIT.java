package dev.switchboard.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations side of the admin port and /metrics: the console page and its live feed behind the token, log levels
 * changed at run time (validated, audited), and a plugin's meters released when its bundle goes.
 */
class OperationsAdminIT {

  @TempDir
  Path home;

  @Test
  void theConsolePageIsServedAndItsFeedNeedsTheToken() throws Exception {
    try (TestServer t = TestServer.start(home, Map.of())) {
      HttpResponse<Buffer> page = TestServer.await(t.client.get(t.server.adminPort(), "127.0.0.1", "/console/").send());
      assertEquals(200, page.statusCode());
      assertTrue(page.getHeader("Content-Type").startsWith("text/html"));
      assertTrue(page.bodyAsString().contains("<title>Switchboard console</title>"));
      HttpResponse<Buffer> bare = TestServer.await(t.client.get(t.server.adminPort(), "127.0.0.1", "/console")
          .followRedirects(false).send());
      assertEquals(302, bare.statusCode());
      assertEquals("/console/", bare.getHeader("Location"));
      assertEquals(401, t.admin(HttpMethod.GET, "/admin/console/events", "wrong-token-0123456789", null).statusCode());

      JsonObject state = firstState(t);
      assertTrue(state.getBoolean("ready"), state.encode());
      assertEquals(LocalNode.id(), state.getString("node"));
      assertTrue(state.getJsonArray("bundles").isEmpty());
      assertTrue(state.getJsonArray("calls").isEmpty());
      assertFalse(state.getJsonArray("series").isEmpty(), "sampled from the server's start: " + state.encode());

      HttpResponse<Buffer> noIvr = t.admin(HttpMethod.GET, "/admin/ivr/flows", null);
      assertEquals(404, noIvr.statusCode(), noIvr.bodyAsString());
      assertTrue(noIvr.bodyAsString().contains("GET /api/v1/ivr/flows"), noIvr.bodyAsString());
    }
  }

  @Test
  void theConsoleSeriesIsSampledByTheServerWhetherOrNotAPageIsOpen() throws Exception {
    try (TestServer t = TestServer.start(home, Map.of())) {
      // Each feed is read for its first state only: the series grows between them, so the server samples it.
      JsonArray[] series = {new JsonArray()};
      TestServer.awaitUntil("two samples in the console's series", Duration.ofSeconds(30), () -> {
        try {
          series[0] = firstState(t).getJsonArray("series");
          return series[0].size() >= 2;
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      long first = series[0].getJsonObject(0).getLong("at");
      long second = series[0].getJsonObject(1).getLong("at");
      assertTrue(second > first, series[0].encode());
      assertEquals(0L, series[0].getJsonObject(1).getLong("callsActive"));
    }
  }

  @Test
  void logLevelsChangeAtRunTimeBadInputChangesNothingAndEachChangeIsAudited() throws Exception {
    try (TestServer t = TestServer.start(home, Map.of())) {
      String logger = "dev.switchboard.platform.routing";
      HttpResponse<Buffer> set = t.admin(HttpMethod.PUT, "/admin/logging",
          new JsonObject().put("levels", new JsonObject().put(logger, "DEBUG")).toBuffer());
      assertEquals(200, set.statusCode(), set.bodyAsString());
      assertEquals("DEBUG", set.bodyAsJsonObject().getJsonObject("levels").getString(logger));
      assertTrue(org.slf4j.LoggerFactory.getLogger(logger + ".KeyRouter").isDebugEnabled());

      HttpResponse<Buffer> bad = t.admin(HttpMethod.PUT, "/admin/logging",
          new JsonObject().put("levels", new JsonObject().put(logger, "LOUD")).toBuffer());
      assertEquals(400, bad.statusCode());
      assertEquals("invalidLevel", bad.bodyAsJsonObject().getJsonObject("error").getString("code"));
      assertEquals(400, t.admin(HttpMethod.PUT, "/admin/logging", Buffer.buffer("DEBUG")).statusCode());
      assertEquals("DEBUG", t.admin(HttpMethod.GET, "/admin/logging", null).bodyAsJsonObject()
          .getJsonObject("levels").getString(logger), "a refused change leaves the level as it was");

      HttpResponse<Buffer> cleared = t.admin(HttpMethod.PUT, "/admin/logging",
          new JsonObject().put("levels", new JsonObject().putNull(logger)).toBuffer());
      assertEquals(200, cleared.statusCode());
      assertFalse(cleared.bodyAsJsonObject().getJsonObject("levels").containsKey(logger));

      TestServer.awaitUntil("four logging requests audited", Duration.ofSeconds(10), () -> audited(t).size() == 4);
      JsonObject first = audited(t).get(0);
      assertEquals(200, first.getInteger("status"));
      assertEquals("DEBUG", first.getJsonObject("levels").getString(logger));
      assertEquals(400, audited(t).get(1).getInteger("status"));
    }
  }

  @Test
  void aPluginsMetersGoWithItsBundle() throws Exception {
    try (TestServer t = TestServer.start(home, Map.of())) {
      t.install(TestServer.bundle("hello-v1"));
      TestServer.await(t.vertx.eventBus().request("test.hello", new JsonObject()));
      String series = "switchboard_plugin_handler_seconds_count{kind=\"bus\",plugin=\"hello\",version=\"1.0.0\"} 1";
      assertTrue(metrics(t).contains(series), metrics(t));
      assertTrue(metrics(t).contains("jvm_classes_loaded_classes"));
      assertTrue(metrics(t).contains("vertx_eventbus_sent_total"));
      assertEquals(204, t.admin(HttpMethod.DELETE, "/admin/bundles/dev.switchboard.test.hello", null).statusCode());
      TestServer.awaitUntil("hello's meters gone", Duration.ofSeconds(10), () -> !metrics(t).contains("plugin=\"hello\""));
    }
  }

  private static JsonArray audit(TestServer t) {
    try {
      return t.admin(HttpMethod.GET, "/admin/audit", null).bodyAsJsonArray();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static java.util.List<JsonObject> audited(TestServer t) {
    return audit(t).stream().map(JsonObject.class::cast).filter(e -> "/admin/logging".equals(e.getString("path")))
        .toList();
  }

  private static String metrics(TestServer t) {
    try {
      return t.http(HttpMethod.GET, "/metrics").bodyAsString();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Reads the console feed until its first {@code state} event. */
  private static JsonObject firstState(TestServer t) throws Exception {
    HttpClient client = t.vertx.createHttpClient();
    Promise<JsonObject> first = Promise.promise();
    StringBuilder seen = new StringBuilder();
    client.request(new RequestOptions().setPort(t.server.adminPort()).setHost("127.0.0.1")
            .setURI("/admin/console/events").addHeader("Authorization", "Bearer " + TestServer.TOKEN))
        .compose(req -> req.send())
        .onSuccess(response -> {
          assertEquals("text/event-stream", response.getHeader("Content-Type"));
          response.handler(chunk -> {
            seen.append(chunk.toString());
            int at = seen.indexOf("event: state\ndata: ");
            int end = at < 0 ? -1 : seen.indexOf("\n\n", at);
            if (end > 0) {
              first.tryComplete(new JsonObject(seen.substring(at + "event: state\ndata: ".length(), end)));
            }
          });
        })
        .onFailure(first::tryFail);
    try {
      return TestServer.await(first.future());
    } finally {
      TestServer.await(client.close());
    }
  }
}
