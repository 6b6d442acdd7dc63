package dev.switchboard.platform;

import static dev.switchboard.platform.TestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleEvent;

/**
 * Deploy changes are futures run one at a time: uploads sent at once are each answered, checked against what the
 * changes before them did, and installed into the framework once; a failed one is undone with its cause while the
 * server keeps serving.
 */
class DeployQueueIT {

  @TempDir
  Path home;

  @Test
  void concurrentUploadsAreSerializedAndEachIsAnswered() throws Exception {
    try (TestServer t = TestServer.start(home, Map.of("SWITCHBOARD_PLUGINS_FAILING_MODE", "hang",
        "SWITCHBOARD_DEPLOY_START_TIMEOUT", "1s"))) {
      List<String> installed = new CopyOnWriteArrayList<>();
      t.server.frameworkContext().addBundleListener(event -> {
        if (event.getType() == BundleEvent.INSTALLED) {
          installed.add(event.getBundle().getSymbolicName());
        }
      });

      // All at once: a plugin that hangs until its start times out, one bundle twice, another bundle, and a jar
      // whose requirement nothing provides.
      Future<HttpResponse<Buffer>> failing = post(t, jar("failing-plugin"));
      Future<HttpResponse<Buffer>> hello = post(t, jar("hello-v1"));
      Future<HttpResponse<Buffer>> helloAgain = post(t, jar("hello-v1"));
      Future<HttpResponse<Buffer>> keyed = post(t, jar("keyed-v1"));
      Future<HttpResponse<Buffer>> unresolved = post(t,
          Buffer.buffer(TestJars.importing("com.example.unresolved", "com.example.nowhere")));

      JsonObject failure = error(await(failing), 422);
      assertEquals("pluginFailed", failure.getString("code"));
      assertTrue(failure.getString("message").contains("start did not complete within 1000 ms"), failure.encode());
      assertEquals("bundleUnresolved", error(await(unresolved), 422).getString("code"));
      assertEquals(201, await(keyed).statusCode(), await(keyed).bodyAsString());
      // The second copy is checked after the first is installed: exactly one of them wins.
      List<Integer> helloStatuses = Stream.of(await(hello), await(helloAgain)).map(HttpResponse::statusCode).sorted()
          .toList();
      assertEquals(List.of(201, 409), helloStatuses);

      assertEquals(1, installed.stream().filter("dev.switchboard.test.hello"::equals).count(),
          "the accepted upload was installed once, the refused one never: " + installed);
      assertEquals(1, installed.stream().filter("dev.switchboard.test.failing"::equals).count(), installed.toString());
      assertTrue(installed.stream().noneMatch("com.example.unresolved"::equals), "checked without installing it");

      JsonArray bundles = t.admin(HttpMethod.GET, "/admin/bundles", null).bodyAsJsonArray();
      assertEquals(List.of("dev.switchboard.test.hello", "dev.switchboard.test.keyed"),
          bundles.stream().map(b -> ((JsonObject) b).getString("name")).toList());
      assertTrue(bundles.stream().allMatch(b -> ((JsonObject) b).getString("state").equals("ACTIVE")), bundles.encode());
      assertEquals("1.0.0", ((JsonObject) t.requestOrFailure("test.hello")).getString("version"));
      try (Stream<Path> files = Files.list(t.deployDir())) {
        assertEquals(List.of("dev.switchboard.test.hello.jar", "dev.switchboard.test.keyed.jar"),
            files.map(f -> f.getFileName().toString()).sorted().toList(), "nothing staged or undone is left behind");
      }
    }
  }

  @Test
  void anUploadLeftHalfWrittenByACrashIsRemovedAtStart() throws Exception {
    java.nio.file.Path deploy = java.nio.file.Files.createDirectories(home.resolve("deploy"));
    java.nio.file.Path part = java.nio.file.Files.write(deploy.resolve(".0b1c2d3e.part"), new byte[] {'P', 'K'});
    try (TestServer t = TestServer.start(home, java.util.Map.of())) {
      org.junit.jupiter.api.Assertions.assertFalse(java.nio.file.Files.exists(part), "the leftover part is gone");
      org.junit.jupiter.api.Assertions.assertEquals(200, t.admin(io.vertx.core.http.HttpMethod.GET, "/admin/bundles",
          null).statusCode());
    }
  }

  @Test
  void aBundleThatCannotResolveOnceInstalledIsUndoneWithTheReason() throws Exception {
    try (TestServer t = TestServer.start(home, Map.of())) {
      // Exports com.example.shared but cannot resolve itself: the provider exists, it just cannot provide.
      Path provider = home.resolve("provider.jar");
      Files.write(provider, manifestOnly("com.example.provider", "com.example.absent;version=\"[1.0,2)\"",
          "com.example.shared;version=\"1.0.0\""));
      t.drop(provider, "provider.jar");
      TestServer.awaitUntil("the provider is installed", java.time.Duration.ofSeconds(10),
          () -> t.bundleNamed("com.example.provider") != null);

      // Passes the check of its manifest (something exports com.example.shared), fails once installed.
      HttpResponse<Buffer> refused = await(post(t, Buffer.buffer(manifestOnly("com.example.consumer",
          "com.example.shared;version=\"[1.0,2)\"", null))));
      JsonObject error = error(refused, 422);
      assertEquals("pluginFailed", error.getString("code"));
      assertTrue(error.getString("message").contains("did not start (INSTALLED)"), error.encode());
      assertTrue(error.getString("message").contains("cannot resolve itself"), error.encode());
      assertTrue(Files.notExists(t.deployDir().resolve("com.example.consumer.jar")), "undone");
      assertEquals(null, t.bundleNamed("com.example.consumer"));

      HttpResponse<Buffer> hello = await(post(t, jar("hello-v1")));
      assertEquals(201, hello.statusCode(), hello.bodyAsString());
    }
  }

  /** A bundle of nothing but a manifest. */
  private static byte[] manifestOnly(String symbolicName, String imports, String exports) throws Exception {
    java.util.jar.Manifest manifest = new java.util.jar.Manifest();
    java.util.jar.Attributes main = manifest.getMainAttributes();
    main.put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    main.putValue("Bundle-ManifestVersion", "2");
    main.putValue("Bundle-SymbolicName", symbolicName);
    main.putValue("Bundle-Version", "1.0.0");
    main.putValue("Import-Package", imports);
    if (exports != null) {
      main.putValue("Export-Package", exports);
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    new java.util.jar.JarOutputStream(out, manifest).close();
    return out.toByteArray();
  }

  private static Buffer jar(String artifactId) throws Exception {
    return Buffer.buffer(Files.readAllBytes(TestServer.bundle(artifactId)));
  }

  private static Future<HttpResponse<Buffer>> post(TestServer t, Buffer body) {
    return t.client.request(HttpMethod.POST, t.server.adminPort(), "127.0.0.1", "/admin/bundles")
        .putHeader("Authorization", "Bearer " + TestServer.TOKEN).sendBuffer(body);
  }

  private static JsonObject error(HttpResponse<Buffer> response, int status) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonObject("error");
  }
}
