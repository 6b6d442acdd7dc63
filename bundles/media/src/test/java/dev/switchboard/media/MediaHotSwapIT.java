package dev.switchboard.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.media.MediaStatus;
import dev.switchboard.platform.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gather in progress survives an update of the media bundle: the new version continues from the state store. */
class MediaHotSwapIT {

  @TempDir
  Path home;

  private static String digits(MediaHarness h, String call) throws Exception {
    MediaStatus.Gathering gather = TestServer.await(h.media().status(call)).gather();
    return gather == null ? null : gather.digits();
  }

  @Test
  void aGatherContinuesAcrossATakeoverUpdate() throws Exception {
    try (MediaHarness h = MediaHarness.start(home, 5)) {
      String call = h.answeredCall(null);
      JsonObject g = h.rest(HttpMethod.POST, "/calls/" + call + "/gather", new JsonObject().put("maxDigits", 3)
          .put("interDigitTimeoutMs", 60_000).put("timeoutMs", 60_000)).bodyAsJsonObject();
      h.emulated.post("/emulator/calls/" + call + "/tones", new JsonObject().put("tones", "1"));
      TestServer.awaitUntil("the first digit is kept", Duration.ofSeconds(10), () -> {
        try {
          return "1".equals(digits(h, call));
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });

      HttpResponse<Buffer> updated = h.t.admin(HttpMethod.PUT, "/admin/bundles/media?mode=takeover",
          Buffer.buffer(TestServer.withBundleVersion(MediaHarness.mediaJar(), "0.1.1")));
      assertEquals(200, updated.statusCode(), updated.bodyAsString());

      h.emulated.post("/emulator/calls/" + call + "/tones", new JsonObject().put("tones", "23"));
      JsonObject done = h.awaitOperation("gatherCompleted", call, g.getString("operationId"));
      assertEquals("123", done.getString("digits"));
      assertEquals("maxDigits", done.getString("endedBy"));
      assertEquals("0.1.1", done.getString("version"), "finished by the new version");
    }
  }
}
