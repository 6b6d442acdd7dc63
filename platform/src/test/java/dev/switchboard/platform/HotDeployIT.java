package dev.switchboard.platform;

import static dev.switchboard.platform.TestServer.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Hot deployment through the deploy folder with a real Felix and real bundles built by the reactor:
 * drop → answers; replace → only the new version answers and the old classloader is collected; delete →
 * nothing answers.
 */
class HotDeployIT {

  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir
  Path home;

  @Test
  void dropReplaceAndDeleteABundleWhileTheServerRuns() throws Exception {
    try (TestServer t = TestServer.start(home, Map.of())) {
      t.drop(TestServer.bundle("hello-v1"), "hello.jar");
      awaitUntil("hello 1.0.0 answers on the bus", WAIT, () -> versionOnBus(t).equals("1.0.0"));
      assertEquals("1.0.0", versionOverHttp(t));
      assertEquals("1.0.0", t.requestOrFailure("test.hello.forgotten"));
      assertEquals("hello x from 1.0.0", t.http(HttpMethod.GET, "/hello-public/x").bodyAsString());

      WeakReference<ClassLoader> v1Loader = classLoaderOf(t.bundleNamed("dev.switchboard.test.hello"));

      t.drop(TestServer.bundle("hello-v2"), "hello.jar");
      awaitUntil("hello 2.0.0 answers on the bus", WAIT, () -> versionOnBus(t).equals("2.0.0"));
      // Round-robin would expose a leftover v1 consumer or route: every answer must come from v2.
      for (int i = 0; i < 10; i++) {
        assertEquals("2.0.0", versionOnBus(t));
        assertEquals("2.0.0", versionOverHttp(t));
        assertEquals("2.0.0", t.requestOrFailure("test.hello.forgotten"), "v1's forgotten consumer is gone");
      }
      assertEquals("hello x from 2.0.0", t.http(HttpMethod.GET, "/hello-public/x").bodyAsString());
      assertCollected(v1Loader);

      Files.delete(t.deployDir().resolve("hello.jar"));
      awaitUntil("nothing answers on the bus", WAIT, () -> t.requestOrFailure("test.hello") instanceof ReplyException);
      ReplyException noHandlers = assertInstanceOf(ReplyException.class, t.requestOrFailure("test.hello"));
      assertEquals(ReplyFailure.NO_HANDLERS, noHandlers.failureType());
      assertInstanceOf(ReplyException.class, t.requestOrFailure("test.hello.forgotten"));
      assertEquals(404, t.http(HttpMethod.GET, "/api/v1/hello/world").statusCode());
      assertEquals(404, t.http(HttpMethod.GET, "/hello-public/x").statusCode());
      assertEquals(200, t.http(HttpMethod.GET, "/health/live").statusCode(), "the platform's own paths still answer");
      // FileInstall stops the bundle (which removes its consumers and routes) before it uninstalls it: wait for both.
      awaitUntil("the bundle is uninstalled", WAIT, () -> t.bundleNamed("dev.switchboard.test.hello") == null);
    }
  }

  private static String versionOnBus(TestServer t) {
    Object reply = t.requestOrFailure("test.hello");
    return reply instanceof JsonObject json ? json.getString("version") : String.valueOf(reply);
  }

  private static String versionOverHttp(TestServer t) {
    try {
      var response = t.http(HttpMethod.GET, "/api/v1/hello/world");
      assertEquals(200, response.statusCode(), response.bodyAsString());
      assertEquals("world", response.bodyAsJsonObject().getString("hello"));
      return response.bodyAsJsonObject().getString("version");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static WeakReference<ClassLoader> classLoaderOf(Bundle bundle) {
    return new WeakReference<>(bundle.adapt(BundleWiring.class).getClassLoader());
  }

  /** Allocates until the collector clears the reference (GC is a hint; memory pressure makes it happen). */
  static void assertCollected(WeakReference<ClassLoader> loader) throws InterruptedException {
    List<byte[]> pressure = new ArrayList<>();
    for (int i = 0; i < 100 && loader.get() != null; i++) {
      System.gc();
      pressure.add(new byte[1 << 20]);
      if (pressure.size() > 32) {
        pressure.clear();
      }
      Thread.sleep(50);
    }
    assertTrue(loader.get() == null, "the replaced version's bundle classloader was garbage-collected");
  }
}
