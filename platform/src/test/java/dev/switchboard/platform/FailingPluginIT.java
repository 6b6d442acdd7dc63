package dev.switchboard.platform;

import static dev.switchboard.platform.TestServer.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** A plugin that cannot start is FAILED with its cause; the server and the other plugins carry on. */
class FailingPluginIT {

  @TempDir
  Path home;

  @ParameterizedTest(name = "mode {0}")
  @CsvSource({
      "throw, database password missing",
      "fail, refusing to start",
      "hang, start did not complete within 500 ms"})
  void aFailingPluginIsListedFailedWhileOthersServe(String mode, String cause) throws Exception {
    try (TestServer t = TestServer.start(home, Map.of("SWITCHBOARD_PLUGINS_FAILING_MODE", mode,
        "SWITCHBOARD_DEPLOY_START_TIMEOUT", "500ms"))) {
      t.drop(TestServer.bundle("hello-v1"), "hello.jar");
      t.drop(TestServer.bundle("failing-plugin"), "failing.jar");
      awaitUntil("the failing plugin is marked FAILED", Duration.ofSeconds(15), () -> failingState(t).equals("FAILED"));

      JsonArray bundles = t.admin(HttpMethod.GET, "/admin/bundles", null).bodyAsJsonArray();
      JsonObject failing = bundles.stream().map(JsonObject.class::cast)
          .filter(b -> b.getString("name").equals("dev.switchboard.test.failing")).findFirst().orElseThrow();
      JsonObject plugin = failing.getJsonArray("plugins").getJsonObject(0);
      assertEquals("FAILED", plugin.getString("state"));
      assertTrue(plugin.getString("failure").contains(cause), plugin.encode());
      assertTrue(failing.getJsonArray("problems").getString(0).contains(cause), failing.encode());

      assertEquals(200, t.http(HttpMethod.GET, "/health/live").statusCode());
      assertEquals("1.0.0", ((JsonObject) t.requestOrFailure("test.hello")).getString("version"));
      // What the failed plugin registered before failing was released.
      assertInstanceOf(ReplyException.class, t.requestOrFailure("test.failing"));
    }
  }

  private static String failingState(TestServer t) {
    return t.server.plugins().all().stream().filter(p -> p.name().equals("failing")).findFirst()
        .map(p -> p.state().name()).orElse("absent");
  }
}
