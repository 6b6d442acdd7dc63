package dev.switchboard.calling;

import static dev.switchboard.platform.Percentiles.percentile;

import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.calls.CallsClient;
import dev.switchboard.platform.Percentiles;
import dev.switchboard.platform.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bench/call-setup.sh}: incoming calls at a steady rate from the emulator to a real server with the calling
 * bundle, and a bot (a consumer of {@link CallEvent.Incoming#TOPIC} on the server's bus) that answers each at once.
 * Measures, per call, the time from the incoming-call notification arriving at the platform ({@code receivedAt})
 * to the answer request arriving at the emulator (its request journal), and the calling bundle's share of it (up to
 * the incoming event's publication). Baseline of the same run: the round trip of one plain HTTPS request to the
 * emulator over loopback (call setup makes exactly one, the answer), sent at the same rate while the calls run.
 *
 * <p>Arguments: rate per second (default 100), seconds measured (default 10), after 2 s of warm-up.
 */
public final class CallSetupBenchmark {

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Path home = Files.createTempDirectory("call-setup");
    try (CallingHarness h = CallingHarness.start(home, 1, Map.of())) {
      Map<String, Instant> received = new ConcurrentHashMap<>();
      Map<String, Instant> published = new ConcurrentHashMap<>();
      AtomicInteger answerFailures = new AtomicInteger();
      CallsClient calls = CallsClient.of(h.t.vertx.eventBus());
      h.t.vertx.eventBus().<JsonObject>consumer(CallEvent.Incoming.TOPIC, m -> {
        CallEvent.Incoming incoming = CallEvent.fromJson(m.body(), CallEvent.Incoming.class);
        received.put(incoming.callId(), incoming.receivedAt());
        published.put(incoming.callId(), incoming.header().at());
        calls.send(CallCommand.Answer.of(incoming.callId(), "bench-bot", false))
            .onFailure(e -> answerFailures.incrementAndGet());
      });
      // The load generator's own client: Vert.x's default pool of 5 connections queues requests at 500/s, and that
      // wait would be counted in the baseline.
      WebClient generator = WebClient.create(h.emulated.vertx, new WebClientOptions().setSsl(true)
          .setTrustOptions(new PemTrustOptions().addCertValue(
              Buffer.buffer(h.emulated.emulator.graphConfig().getString("tlsCertificatePem")))),
          new PoolOptions().setHttp1MaxSize(32));
      run(h, generator, rate, 2, new ArrayList<>()); // warm-up
      Thread.sleep(1000);
      h.emulated.post("/emulator/reset", new JsonObject());
      received.clear();
      List<Double> roundTrips = Collections.synchronizedList(new ArrayList<>());
      List<String> placed = run(h, generator, rate, seconds, roundTrips);
      Thread.sleep(2000);

      Map<String, Instant> answered = new HashMap<>();
      for (Object o : h.requests("/answer")) {
        JsonObject r = (JsonObject) o;
        String path = r.getString("path");
        String id = path.substring("/v1.0/communications/calls/".length(), path.length() - "/answer".length());
        answered.put(id, Instant.parse(r.getString("time")));
      }
      List<Double> setup = new ArrayList<>();
      List<Double> model = new ArrayList<>();
      for (String id : placed) {
        Instant in = received.get(id);
        Instant out = answered.get(id);
        if (in != null && out != null) {
          setup.add(Duration.between(in, out).toNanos() / 1e6);
          model.add(Duration.between(in, published.get(id)).toNanos() / 1e6);
        }
      }
      System.out.printf("calls placed %d at %d/s for %d s; answered %d; answer failures %d%n", placed.size(), rate,
          seconds, setup.size(), answerFailures.get());
      System.out.println("| measure | calls | p50 ms | p99 ms | max ms |");
      System.out.println("|---|---|---|---|---|");
      row("baseline: one HTTPS request/response to the emulator, same rate, same run", roundTrips);
      row("call setup: notification accepted → answer request at the emulator", setup);
      row("of which: notification accepted → incoming event published", model);
      System.out.printf("ratio call setup / baseline: p50 %.2f, p99 %.2f%n", percentile(setup, 50)
          / percentile(roundTrips, 50), percentile(setup, 99) / percentile(roundTrips, 99));
    }
  }

  private static List<String> run(CallingHarness h, WebClient generator, int rate, int seconds, List<Double> roundTrips)
      throws Exception {
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    int total = rate * seconds;
    AtomicInteger started = new AtomicInteger();
    long periodNanos = 1_000_000_000L / rate;
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long due = start + i * periodNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      started.incrementAndGet();
      generator.postAbs(h.emulated.emulator.baseUrl() + "/emulator/calls/incoming")
          .sendJsonObject(new JsonObject().put("from", CallingHarness.ADELE))
          .onSuccess(r -> ids.add(r.bodyAsJsonObject().getString("id")));
      long sentAt = System.nanoTime();
      generator.getAbs(h.emulated.emulator.baseUrl() + "/emulator/clock").send()
          .onSuccess(r -> roundTrips.add((System.nanoTime() - sentAt) / 1e6));
    }
    TestServer.awaitUntil("every call placed", Duration.ofSeconds(30), () -> ids.size() == started.get());
    return new ArrayList<>(ids);
  }

  private static void row(String name, List<Double> values) {
    System.out.println(Percentiles.row(name, values));
  }
}
