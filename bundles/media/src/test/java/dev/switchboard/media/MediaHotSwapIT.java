package dev.switchboard.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.platform.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gather in progress survives an update of the media bundle: the new version continues from the state store. */
class MediaHotSwapIT {

  @TempDir
  Path home;

  /** The media bundle's jar under another Bundle-Version. */
  private static byte[] withVersion(Path jar, String version) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
      Manifest manifest = new Manifest(in.getManifest());
      manifest.getMainAttributes().putValue("Bundle-Version", version);
      try (JarOutputStream copy = new JarOutputStream(out, manifest)) {
        for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
          copy.putNextEntry(new JarEntry(e.getName()));
          in.transferTo(copy);
          copy.closeEntry();
        }
      }
    }
    return out.toByteArray();
  }

  private static String digits(MediaHarness h, String call) throws Exception {
    JsonObject gather = h.rest(HttpMethod.GET, "/calls/" + call + "/media", null).bodyAsJsonObject()
        .getJsonObject("gather");
    return gather == null ? null : gather.getString("digits");
  }

  @Test
  void aGatherContinuesAcrossATakeoverUpdate() throws Exception {
    try (MediaHarness h = MediaHarness.start(home, 20)) {
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
          Buffer.buffer(withVersion(MediaHarness.mediaJar(), "0.1.1")));
      assertEquals(200, updated.statusCode(), updated.bodyAsString());

      h.emulated.post("/emulator/calls/" + call + "/tones", new JsonObject().put("tones", "23"));
      JsonObject done = h.awaitOperation("gatherCompleted", call, g.getString("operationId"));
      assertEquals("123", done.getString("digits"));
      assertEquals("maxDigits", done.getString("endedBy"));
      assertEquals("0.1.1", done.getString("version"), "finished by the new version");
    }
  }
}
