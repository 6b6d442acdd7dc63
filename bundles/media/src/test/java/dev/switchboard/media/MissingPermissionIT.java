package dev.switchboard.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.emulator.EmulatorOptions;
import dev.switchboard.platform.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bot's app lacks {@code Calls.AccessMedia.All}: readiness and {@code bundles diag} name the missing permission for
 * the media bundle before anything fails, and a gather (which subscribes the call to tones) fails with Graph's 403,
 * reported to the bot as such.
 */
class MissingPermissionIT {

  private static final String NEEDED = "Calls.AccessMedia.All";

  @TempDir
  Path home;

  @Test
  void aMissingGraphPermissionIsNamedBeforeItBitesAndGraphsRefusalReachesTheBot() throws Exception {
    List<String> roles = EmulatorOptions.DEFAULT_ROLES.stream().filter(r -> !r.equals(NEEDED))
        .collect(Collectors.toList());
    try (MediaHarness h = MediaHarness.start(home, new EmulatorOptions().setClockSpeed(5).setRoles(roles))) {
      TestServer.awaitUntil("readiness names the permission", Duration.ofSeconds(20), () -> {
        try {
          HttpResponse<Buffer> ready = h.t.http(HttpMethod.GET, "/health/ready");
          return ready.statusCode() == 503 && ready.bodyAsString().contains("media needs the Graph application "
              + "permission " + NEEDED);
        } catch (Exception e) {
          return false;
        }
      });
      JsonObject ready = h.t.http(HttpMethod.GET, "/health/ready").bodyAsJsonObject();
      assertTrue(ready.getJsonArray("problems").stream().noneMatch(p -> p.toString().startsWith("calling needs")),
          "calling's permission is granted: " + ready);

      HttpResponse<Buffer> diag = h.t.admin(HttpMethod.GET, "/admin/bundles/media/diag", null);
      assertEquals(200, diag.statusCode(), diag.bodyAsString());
      assertTrue(diag.bodyAsJsonObject().getString("message").contains(NEEDED + ", which the bot's token does not carry;"
          + " grant it in the app registration"), diag.bodyAsString());

      String call = h.answeredCall(null);
      HttpResponse<Buffer> gather = h.rest(HttpMethod.POST, "/calls/" + call + "/gather",
          new JsonObject().put("maxDigits", 1).put("timeoutMs", 5000));
      String outcome;
      if (gather.statusCode() == 202) {
        JsonObject ended = h.awaitOperation("gatherCompleted", call, gather.bodyAsJsonObject().getString("operationId"));
        assertEquals("failed", ended.getString("status"), ended.encode());
        outcome = ended.encode();
      } else {
        assertEquals(403, gather.statusCode(), gather.bodyAsString());
        outcome = gather.bodyAsString();
      }
      assertTrue(outcome.contains("403") || outcome.contains("Forbidden") || outcome.contains("7504"),
          "Graph's refusal is what the bot sees: " + outcome);
      assertTrue(outcome.contains(NEEDED), "it names the permission: " + outcome);
    }
  }
}
