package dev.switchboard.launcher;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where the members' sequence recorders ({@code testing/bundles/sequence-recorder-v1}) report each notification or
 * command they handled, and the tally of those reports against what a {@link KeyedLoad} sent: lost, duplicated, out of order
 * per call, the state-store count, which versions and members handled each call, and latency from send to handled.
 */
final class DeliveryReports implements AutoCloseable {

  /** One notification handled by a member: its version, its process id, when (epoch µs), the state-store count. */
  record Delivery(String key, int seq, int count, String version, long member, long handledAt) {
  }

  /** What a run came to. {@code latencies} (ms) are of the notifications first sent in the window tallied. */
  record Tally(int accepted, int failed, int delivered, int lost, int duplicated, int outOfOrder, int wrongCount,
      int unaccepted, Map<String, Integer> versions, int keysAcrossVersions, int keysAcrossMembers,
      Map<Long, Integer> members, double[] latencies, List<String> anomalous, List<String> moved) {

    double percentile(double p) {
      return DeliveryReports.percentile(latencies, p);
    }

    /** Nothing lost, duplicated, reordered or counted wrong, nothing failed, nothing handled that was not accepted. */
    boolean exactlyOnceInOrder() {
      return failed == 0 && lost == 0 && duplicated == 0 && outOfOrder == 0 && wrongCount == 0 && unaccepted == 0;
    }

    String counts() {
      return String.format("%d accepted, %d failed, %d handled: %d lost, %d duplicated, %d out of order, %d with a "
          + "wrong state count, %d handled but not accepted; versions %s; %d calls spanned versions, %d spanned "
          + "members; per member %s", accepted, failed, delivered, lost, duplicated, outOfOrder, wrongCount, unaccepted,
          versions, keysAcrossVersions, keysAcrossMembers, members);
    }
  }

  private final List<Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());
  private final HttpServer server;

  DeliveryReports(Vertx vertx) throws Exception {
    server = EmulatedCalls.await(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      List<Delivery> batch = new ArrayList<>();
      for (Object o : new JsonArray(body)) {
        JsonObject r = (JsonObject) o;
        batch.add(new Delivery(r.getString("key"), r.getInteger("seq"), r.getInteger("count"),
            r.getString("version"), r.getLong("member"), r.getLong("handledAt")));
      }
      deliveries.addAll(batch);
      request.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1"));
  }

  /** The URL for {@code plugins.sequence.reportUrl}. */
  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/report";
  }

  List<Delivery> deliveries() {
    synchronized (deliveries) {
      return new ArrayList<>(deliveries);
    }
  }

  /** Waits until every accepted notification was reported, or {@code timeout} passed (then some are lost). */
  void awaitReported(List<NotificationLoad.Sent> sent, Duration timeout) throws InterruptedException {
    long accepted = sent.stream().filter(s -> s.accepted()).count();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (deliveries.size() < accepted && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    Thread.sleep(500); // late duplicates, if any, still count
  }

  /**
   * Tallies the calls that began at or after {@code fromMicros} and before {@code toMicros} (whole calls, so that
   * order and counts are judged per call); latencies of their notifications first sent in that span.
   */
  Tally tally(List<NotificationLoad.Sent> sent, long fromMicros, long toMicros) {
    Map<String, List<NotificationLoad.Sent>> sentByKey = new HashMap<>();
    for (NotificationLoad.Sent s : sent) {
      sentByKey.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s);
    }
    Set<String> keys = new HashSet<>();
    sentByKey.forEach((key, list) -> {
      long begun = list.stream().mapToLong(NotificationLoad.Sent::sentMicros).min().orElseThrow();
      if (begun >= fromMicros && begun < toMicros) {
        keys.add(key);
      }
    });
    Map<String, List<Delivery>> handledByKey = new HashMap<>();
    for (Delivery d : deliveries()) {
      if (keys.contains(d.key())) {
        handledByKey.computeIfAbsent(d.key(), k -> new ArrayList<>()).add(d);
      }
    }
    int accepted = 0;
    int failed = 0;
    int delivered = 0;
    int lost = 0;
    int duplicated = 0;
    int outOfOrder = 0;
    int wrongCount = 0;
    int unaccepted = 0;
    int acrossVersions = 0;
    int acrossMembers = 0;
    Map<String, Integer> versions = new TreeMap<>();
    Map<Long, Integer> members = new TreeMap<>();
    List<Double> latencies = new ArrayList<>();
    List<String> anomalous = new ArrayList<>();
    List<String> moved = new ArrayList<>();
    for (String key : keys) {
      int before = lost + duplicated + outOfOrder + wrongCount + unaccepted;
      Map<Integer, NotificationLoad.Sent> bySeq = new HashMap<>();
      for (NotificationLoad.Sent s : sentByKey.get(key)) {
        bySeq.put(s.seq(), s);
        if (s.accepted()) {
          accepted++;
        } else {
          failed++;
        }
      }
      List<Delivery> handled = new ArrayList<>(handledByKey.getOrDefault(key, List.of()));
      handled.sort(Comparator.comparingLong(Delivery::handledAt));
      delivered += handled.size();
      Map<Integer, Integer> times = new HashMap<>();
      int previous = 0;
      for (Delivery d : handled) {
        times.merge(d.seq(), 1, Integer::sum);
        outOfOrder += d.seq() <= previous ? 1 : 0;
        previous = Math.max(previous, d.seq());
        wrongCount += d.count() != d.seq() ? 1 : 0;
        versions.merge(d.version(), 1, Integer::sum);
        members.merge(d.member(), 1, Integer::sum);
        NotificationLoad.Sent s = bySeq.get(d.seq());
        if (s == null || !s.accepted()) {
          unaccepted++;
        } else if (times.get(d.seq()) == 1) {
          latencies.add((d.handledAt() - s.sentMicros()) / 1000.0);
        }
      }
      for (NotificationLoad.Sent s : bySeq.values()) {
        int n = times.getOrDefault(s.seq(), 0);
        lost += s.accepted() && n == 0 ? 1 : 0;
        duplicated += Math.max(0, n - 1);
      }
      if (lost + duplicated + outOfOrder + wrongCount + unaccepted > before) {
        anomalous.add(key);
      }
      acrossVersions += handled.stream().map(Delivery::version).distinct().count() > 1 ? 1 : 0;
      if (handled.stream().map(Delivery::member).distinct().count() > 1) {
        acrossMembers++;
        moved.add(key);
      }
    }
    return new Tally(accepted, failed, delivered, lost, duplicated, outOfOrder, wrongCount, unaccepted, versions,
        acrossVersions, acrossMembers, members, latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray(), anomalous, moved);
  }

  /** Latencies (ms, sorted) of the notifications first sent in [{@code fromMicros}, {@code toMicros}). */
  double[] latencies(List<NotificationLoad.Sent> sent, long fromMicros, long toMicros) {
    Map<String, Long> sentAt = new HashMap<>();
    for (NotificationLoad.Sent s : sent) {
      if (s.sentMicros() >= fromMicros && s.sentMicros() < toMicros && s.accepted()) {
        sentAt.put(s.key() + "#" + s.seq(), s.sentMicros());
      }
    }
    return deliveries().stream().filter(d -> sentAt.containsKey(d.key() + "#" + d.seq()))
        .mapToDouble(d -> (d.handledAt() - sentAt.get(d.key() + "#" + d.seq())) / 1000.0).sorted().toArray();
  }

  /** What happened to call {@code key}: each notification sent and each report of it, in time order. */
  String story(String key, List<NotificationLoad.Sent> sent) {
    List<String> lines = new ArrayList<>();
    sent.stream().filter(x -> x.key().equals(key)).forEach(x -> lines.add(x.sentMicros() + " sent #" + x.seq()
        + " -> " + x.status() + " after " + x.attempts() + " attempt(s), answered at " + x.answeredMicros()));
    deliveries().stream().filter(d -> d.key().equals(key)).forEach(d -> lines.add(d.handledAt() + " handled #"
        + d.seq() + " count " + d.count() + " by " + d.version() + " on member " + d.member()));
    lines.sort(Comparator.naturalOrder());
    return key + ":\n  " + String.join("\n  ", lines);
  }

  /** The p-th percentile (0-100) of {@code sorted}; NaN when empty. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  @Override
  public void close() throws Exception {
    EmulatedCalls.await(server.close());
  }
}
