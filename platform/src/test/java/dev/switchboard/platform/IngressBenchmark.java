package dev.switchboard.platform;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Benchmark harness (not a test) for {@code bench/ingress.sh}: a real server whose callback ingress verifies
 * signed tokens and delivers each notification to the call-recorder bundle (which reports each by call id only,
 * unless {@code BENCH_RECORD_FULL} is set: then it publishes the whole notification, as the tests see it, and the
 * bus's copy of it is measured too), and beside it a bare Vert.x handler
 * that only parses the same JSON and answers 202. Prints {@code READY <ingress port> <bare port> <token file>},
 * then runs until standard input closes, and prints how many notifications the ingress accepted and the bundle
 * received.
 */
public final class IngressBenchmark {

  public static void main(String[] args) throws Exception {
    Path home = Files.createTempDirectory("ingress-bench");
    try (TestIssuer issuer = new TestIssuer(Vertx.vertx())) {
      KeyPair key = issuer.key("bench", true);
      String token = TestIssuer.sign(key, "bench", "RS256", TestIssuer.claims("bench-bot"));
      Path tokenFile = home.resolve("token");
      Files.writeString(tokenFile, token);
      String publish = System.getenv("BENCH_RECORD_FULL") == null ? "count" : "notification";
      try (TestServer t = TestServer.start(home, Map.of("SWITCHBOARD_GRAPH_OPEN_ID_CONFIG_URL", issuer.openIdConfigUrl(),
          "SWITCHBOARD_GRAPH_CLIENT_ID", "bench-bot", "SWITCHBOARD_PLUGINS_RECORDER_PUBLISH", publish))) {
        LongAdder delivered = new LongAdder();
        TestServer.await(t.vertx.eventBus().<JsonObject>consumer("test.calls.recorded", m -> delivered.increment())
            .completion());
        t.drop(TestServer.bundle("call-recorder"), "recorder.jar");
        TestServer.awaitUntil("the recorder runs", Duration.ofSeconds(30), () -> t.server.plugins().all().stream()
            .anyMatch(p -> p.name().equals("recorder") && p.state().name().equals("ACTIVE")));

        HttpServer bare = TestServer.await(t.vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
          JsonObject parsed = new JsonObject(b);
          req.response().setStatusCode(parsed.containsKey("value") ? 202 : 400).end();
        })).listen(0, "127.0.0.1"));

        // BENCH_SCRAPE_MS: a Prometheus stand-in reads /metrics that often while the load runs.
        long scrapeMs = Long.parseLong(System.getenv().getOrDefault("BENCH_SCRAPE_MS", "0"));
        LongAdder scrapes = new LongAdder();
        if (scrapeMs > 0) {
          t.vertx.setPeriodic(scrapeMs, id -> t.client.get(t.server.httpPort(), "127.0.0.1", "/metrics").send()
              .onSuccess(r -> scrapes.increment()));
        }
        System.out.println("READY " + t.server.httpPort() + " " + bare.actualPort() + " " + tokenFile);
        System.out.flush();
        while (System.in.read() >= 0) {
          // Runs until the script closes standard input.
        }
        Thread.sleep(500);
        System.out.println("ACCEPTED " + t.server.ingressStats().get("calling", "accepted") + " DELIVERED "
            + delivered.sum() + " REFUSED " + t.server.ingressStats().get("calling", "unauthorized") + " SCRAPES "
            + scrapes.sum());
        TestServer.await(bare.close());
      }
    }
    System.exit(0);
  }

  private IngressBenchmark() {
  }
}
