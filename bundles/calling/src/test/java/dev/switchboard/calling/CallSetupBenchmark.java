package dev.switchboard.calling;

import static dev.switchboard.platform.Percentiles.percentile;

import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.calls.CallsClient;
import dev.switchboard.platform.Percentiles;
import dev.switchboard.platform.TestServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.TrustManagerFactory;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * {@code bench/call-setup.sh}: incoming calls at a steady rate from the emulator to a real server with the calling
 * bundle, and a bot (a consumer of {@link CallEvent.Incoming#TOPIC} on the server's bus) that answers each at once.
 * Measures, per call, the time from the incoming-call notification arriving at the platform ({@code receivedAt})
 * to the answer request arriving at the emulator (its request journal), and the calling bundle's share of it (up to
 * the incoming event's publication). Baseline of the same run: the round trip of one plain HTTPS request to the
 * emulator over loopback (call setup makes exactly one, the answer), sent at the same rate while the calls run.
 *
 * <p>Arguments: rate per second (default 100), seconds measured (default 10), seconds of warm-up before (default 2:
 * enough for latency; the JIT compiler is still busy then, so give 10 or more for the CPU figures). Also prints the
 * CPU time per call placed, of the process and by group of threads ({@link CpuByThreadGroup}), which a shared machine
 * moves much less than latency.
 */
public final class CallSetupBenchmark {

  public static void main(String[] args) throws Exception {
    // A server or emulator still busy with a backlog may not stop in time; its threads must not keep the JVM up.
    int status = 0;
    try {
      measure(args);
    } catch (Exception | AssertionError e) {
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  private static void measure(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    Path home = Files.createTempDirectory("call-setup");
    // BENCH_RECORD_EVENTS=1: the harness's recorder of every call event runs too, as before (a copy of each event).
    boolean record = System.getenv("BENCH_RECORD_EVENTS") != null;
    try (CallingHarness h = CallingHarness.start(home, 1, Map.of(), record)) {
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
      // wait would be counted in the baseline. Its trust is a TrustManagerFactory, not PemTrustOptions: Vert.x hashes
      // a client's SSL options for every request, and hashing the PEM bytes was a fifth of the JVM's CPU at 500/s.
      WebClient generator = WebClient.create(h.emulated.vertx, new WebClientOptions().setSsl(true)
          .setTrustOptions(TrustOptions.wrap(trusting(h.emulated.emulator.graphConfig().getString("tlsCertificatePem")))),
          new PoolOptions().setHttp1MaxSize(32));
      run(h, generator, rate, warmUp, new ArrayList<>());
      Thread.sleep(1000);
      h.emulated.post("/emulator/reset", new JsonObject());
      received.clear();
      CpuByThreadGroup cpu = new CpuByThreadGroup().eventLoopsOf(h.t.vertx, "server event loops (with the bot)")
          .eventLoopsOf(h.emulated.vertx, "emulator event loops (with the load generator)");
      Recording recording = startRecording();
      cpu.start();
      List<Double> roundTrips = Collections.synchronizedList(new ArrayList<>());
      List<String> placed = run(h, generator, rate, seconds, roundTrips);
      Thread.sleep(2000);
      // The CPU figures count the calls' whole work (their later notifications too), whatever was queued at the end.
      boolean quiet = cpu.awaitQuiet(0.15, Duration.ofSeconds(60));
      Map<String, Long> cpuUsed = cpu.sinceStart();
      if (recording != null) {
        recording.stop();
        recording.dump(Path.of(System.getenv("BENCH_JFR")));
        recording.close();
      }

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
      System.out.printf("CPU time per call placed (%d calls, from the measured run's start until the process %s;"
          + " each call's baseline request included):%n", placed.size(),
          quiet ? "used under 15% of a core for 1 s" : "was still busy 60 s after it (not quiet: read with care)");
      cpuUsed.forEach((group, nanos) -> System.out.printf("  %-50s %8.1f µs%n", group,
          nanos / 1e3 / Math.max(1, placed.size())));
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

  /** Trust in the one certificate {@code pem}. */
  private static TrustManagerFactory trusting(String pem) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("emulator", CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory;
  }

  /**
   * BENCH_JFR=file: a flight recording (JFR's profile settings, methods sampled every 2 ms) of the measured run only,
   * written to that file.
   */
  private static Recording startRecording() throws Exception {
    if (System.getenv("BENCH_JFR") == null) {
      return null;
    }
    Recording recording = new Recording(Configuration.getConfiguration("profile"));
    recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(2));
    recording.start();
    return recording;
  }

  private static void row(String name, List<Double> values) {
    System.out.println(Percentiles.row(name, values));
  }
}
