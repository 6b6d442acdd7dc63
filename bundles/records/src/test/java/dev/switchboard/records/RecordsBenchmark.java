package dev.switchboard.records;

import dev.switchboard.platform.TestServer;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code bench/records.sh}: call records made in the emulator at a steady rate (each announced to the server at once)
 * and ingested by the records bundle (notification → fetched with its sessions → classified → stored in the default
 * embedded H2). Measures the rate stored and the notification → stored latency, end to end (from just before the
 * emulator made and announced a record to its {@code RecordStored} event on the bus: the platform's answer to Graph,
 * its journal and its queue to the plugin included) and the bundle's own part ({@code ingest}'s figures: from the
 * moment the plugin was handed the notification to the commit), then the p50/p99 of
 * {@code GET /api/v1/records/summary} over all the records.
 *
 * <p>Baselines of the same run: for ingest, the same number of plain {@code GET}s of the same records straight from
 * the emulator with the bundle's concurrency (the Graph hop alone: records/s); for the summary, {@code GET
 * /api/v1/records/ingest}, a REST route of the same bundle that touches no database.
 *
 * <p>Arguments: records per second (default 100), records (default 10,000), summary requests (default 300).
 */
public final class RecordsBenchmark {

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int total = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int queries = args.length > 2 ? Integer.parseInt(args[2]) : 300;
    Path home = Files.createTempDirectory("records-bench");
    // -Dbench.fsync=false: the state stores' writes (the platform's journal, the plugin's pending ids) are not forced
    // to the disk, to see what the forces cost the latency.
    Map<String, String> env = Map.of("SWITCHBOARD_DATA_FSYNC", System.getProperty("bench.fsync", "true"));
    try (RecordsHarness h = RecordsHarness.start(home, null, env)) {
      int batch = Math.max(1, rate / 10);
      long began = System.nanoTime();
      List<String> ids = new ArrayList<>();
      Map<String, Long> notifiedAtMs = new java.util.HashMap<>();
      for (int made = 0; made < total; made += batch) {
        long due = began + (long) (made / (double) rate * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        JsonObject poor = made % (batch * 5) == 0 ? new JsonObject().put("packetLossRate", 0.2) : null;
        // The emulator sends each record's notification while it answers this request: just before it is when Graph
        // notified (an upper bound of notification → stored by the create request's own time).
        long notifiedAt = System.currentTimeMillis();
        List<String> batchIds = h.makeRecords(Math.min(batch, total - made), poor);
        batchIds.forEach(id -> notifiedAtMs.put(id, notifiedAt));
        ids.addAll(batchIds);
      }
      double madeSeconds = (System.nanoTime() - began) / 1e9;
      TestServer.awaitUntil(total + " records stored", java.time.Duration.ofMinutes(10), () -> {
        try {
          return h.ingest().getLong("stored") >= total;
        } catch (Exception e) {
          return false;
        }
      });
      double storedSeconds = (System.nanoTime() - began) / 1e9;
      TestServer.awaitUntil("every RecordStored event", java.time.Duration.ofMinutes(1),
          () -> h.firstStoredAtMs.keySet().containsAll(ids));
      List<Double> endToEnd = new ArrayList<>();
      ids.forEach(id -> endToEnd.add((double) (h.firstStoredAtMs.get(id) - notifiedAtMs.get(id))));
      JsonObject ingest = h.ingest();
      JsonObject latency = ingest.getJsonObject("latencyMs");

      // Baseline: the Graph hop alone, the same records fetched from the emulator 8 at a time.
      long fetchBegan = System.nanoTime();
      List<String> sample = ids.subList(0, Math.min(ids.size(), 2_000));
      for (int i = 0; i < sample.size(); i += 8) {
        List<Future<?>> round = new ArrayList<>();
        for (String id : sample.subList(i, Math.min(sample.size(), i + 8))) {
          round.add(h.emulated.control.getAbs(h.emulated.emulator.baseUrl()
              + "/v1.0/communications/callRecords/" + id + "?$expand=sessions($expand=segments)")
              .putHeader("Authorization", "Bearer " + token(h)).send());
        }
        TestServer.await(Future.all(round));
      }
      double fetchRate = sample.size() / ((System.nanoTime() - fetchBegan) / 1e9);

      // Each summary asks for another range (all records in each): H2 answers a repeated query from its result cache.
      java.time.Instant before = java.time.Instant.now().minus(java.time.Duration.ofDays(1));
      List<Double> summary = time(h, i -> "/records/summary?from=" + before.minusSeconds(i), queries);
      List<Double> trivial = time(h, i -> "/records/ingest", queries);
      JsonObject result = h.restJson("/records/summary");

      System.out.printf("records made %d at %d/s in %.1f s; all stored after %.1f s (%d poor); failed %d%n", total,
          rate, madeSeconds, storedSeconds, result.getLong("poorCalls"), ingest.getJsonArray("failed").size());
      System.out.println("| measure | n | p50 | p99 | max |");
      System.out.println("|---|---|---|---|---|");
      row("Graph's notification → stored (RecordStored seen), ms", endToEnd);
      System.out.printf("| plugin handed the notification → stored, ms | %d | %d | %d | %d |%n", latency.getInteger("count"),
          latency.getLong("p50"), latency.getLong("p99"), latency.getLong("max"));
      row("GET /records/summary, ms", summary);
      row("GET /records/ingest (baseline), ms", trivial);
      double ingestRate = total / storedSeconds;
      System.out.printf("ingest %.1f records/s (offered %d/s); baseline plain fetch %.1f records/s; ratio %.2f%n",
          ingestRate, rate, fetchRate, ingestRate / fetchRate);
      System.out.printf("ratio summary / baseline: p50 %.2f, p99 %.2f%n", percentile(summary, 50)
          / percentile(trivial, 50), percentile(summary, 99) / percentile(trivial, 99));
    }
  }

  private static String token(RecordsHarness h) throws Exception {
    JsonObject config = h.emulated.emulator.graphConfig();
    var response = TestServer.await(h.emulated.control.postAbs(config.getString("authority").replaceAll("/$", "")
        + "/oauth2/v2.0/token").sendForm(io.vertx.core.MultiMap.caseInsensitiveMultiMap()
        .add("grant_type", "client_credentials").add("client_id", config.getString("clientId"))
        .add("client_secret", config.getString("clientSecret"))
        .add("scope", "https://graph.microsoft.com/.default")));
    return response.bodyAsJsonObject().getString("access_token");
  }

  private static List<Double> time(RecordsHarness h, java.util.function.IntFunction<String> paths, int n)
      throws Exception {
    for (int i = 0; i < 20; i++) {
      h.rest(HttpMethod.GET, paths.apply(n + i)); // warm-up
    }
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String path = paths.apply(i);
      long t0 = System.nanoTime();
      int status = h.rest(HttpMethod.GET, path).statusCode();
      ms.add((System.nanoTime() - t0) / 1e6);
      if (status != 200) {
        throw new IllegalStateException(path + " answered " + status);
      }
    }
    return ms;
  }

  private static void row(String name, List<Double> values) {
    System.out.printf("| %s | %d | %.2f | %.2f | %.2f |%n", name, values.size(), percentile(values, 50),
        percentile(values, 99), Collections.max(values));
  }

  private static double percentile(List<Double> values, double p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100 * sorted.size()) - 1));
  }
}
