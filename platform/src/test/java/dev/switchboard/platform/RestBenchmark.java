package dev.switchboard.platform;

import io.vertx.core.json.JsonArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Benchmark harness (not a test) for {@code bench/rest.sh}: two real servers in one JVM serving the hello test
 * bundle's {@code GET /api/v1/hello/:name}, one with {@code api.auth: none}, one checking API keys (with a key
 * created for the benchmark, holding only {@code hello:read}). Prints {@code READY <open port> <keyed port> <key
 * file>}, then runs until standard input closes.
 */
public final class RestBenchmark {

  public static void main(String[] args) throws Exception {
    Path open = Files.createTempDirectory("rest-bench-open");
    Path keyed = Files.createTempDirectory("rest-bench-keyed");
    try (TestServer none = TestServer.start(open, Map.of("SWITCHBOARD_API_AUTH", "none"));
        TestServer keys = TestServer.start(keyed, Map.of())) {
      for (TestServer t : new TestServer[] {none, keys}) {
        t.drop(TestServer.bundle("hello-v1"), "hello.jar");
        TestServer.awaitUntil("hello serves its routes", Duration.ofSeconds(30), () -> !t.server.apiRoutes().isEmpty());
      }
      String key = keys.createKey("bench", new JsonArray().add("hello:read"), null).getString("secret");
      Path keyFile = keyed.resolve("bench.key");
      Files.writeString(keyFile, key);
      System.out.println("READY " + none.server.httpPort() + " " + keys.server.httpPort() + " " + keyFile);
      System.out.flush();
      while (System.in.read() >= 0) {
        // Runs until the script closes standard input.
      }
    }
    System.exit(0);
  }

  private RestBenchmark() {
  }
}
