package dev.switchboard.presence;

import static dev.switchboard.platform.Percentiles.percentile;

import dev.switchboard.api.presence.PresenceClient;
import dev.switchboard.api.presence.PresenceEvent;
import dev.switchboard.platform.Percentiles;
import dev.switchboard.platform.TestServer;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code bench/presence.sh}: a real server with the presence bundle watching {@code users} users of the emulator (one
 * subscription per 650), and presence changes of random users at a steady rate through the emulator's control API.
 *
 * <ul>
 *   <li>Change → event: from sending the change to the emulator to the {@code PresenceChanged} event arriving at a
 *       consumer of its topic on the server's bus (the emulator's send, its notification with the presence encrypted,
 *       the platform's ingress, checks and decryption, the bundle's cache and the publication). Baseline of the same
 *       run: the round trip of the control request that makes the change (the emulator's send alone).</li>
 *   <li>Batch get: {@code PresenceClient.fetch} of 650 users (bus → bundle → {@code getPresencesByUserId} → back),
 *       one after another. Baseline of the same run: the same {@code getPresencesByUserId} sent straight to the
 *       emulator with the app's token.</li>
 * </ul>
 *
 * <p>The changes are {@link PacedChanges}: random users, a user as often as the draw picks it (not while the emulator
 * has not answered its previous change). After the run every user's events are compared with its changes (order and
 * completeness, {@link PacedChanges#check}); the program exits with status 1 when they differ. Arguments: rate per
 * second (default 500), seconds measured (default 10), watched users (default 2000), batch gets (default 200).
 */
public final class PresenceBenchmark {

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int users = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    int batches = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    Path home = Files.createTempDirectory("presence-bench");
    boolean ordered;
    try (PresenceHarness h = PresenceHarness.start(home, users, users)) {
      TestServer.awaitUntil("every user cached", Duration.ofSeconds(60), () -> {
        try {
          return TestServer.await(h.client().cached(h.users)).notCached().isEmpty();
        } catch (Exception e) {
          return false;
        }
      });
      System.out.printf("watching %d users with %d subscriptions%n", users, h.subscriptions().size());
      PacedChanges changes = new PacedChanges(h, seconds * 31L + rate);
      List<PresenceEvent.PresenceChanged> events = new CopyOnWriteArrayList<>();
      List<Double> toEvent = Collections.synchronizedList(new ArrayList<>());
      h.t.vertx.eventBus().<JsonObject>consumer(PresenceEvent.PresenceChanged.TOPIC, m -> {
        long now = System.nanoTime();
        PresenceEvent.PresenceChanged event = (PresenceEvent.PresenceChanged) PresenceEvent.fromJson(m.body());
        events.add(event);
        Double ms = changes.latency(event, now);
        if (ms != null) {
          toEvent.add(ms);
        }
      });
      List<Double> controlTrips = Collections.synchronizedList(new ArrayList<>());
      changes.run(h.users, rate, 2, null); // warm-up
      awaitEvents(events, changes.total());
      toEvent.clear();
      int measured = changes.run(h.users, rate, seconds, controlTrips);
      awaitEvents(events, changes.total());
      System.out.printf("changes %d at %d/s for %d s; events matched %d%n", measured, rate, seconds, toEvent.size());
      Map<String, String> wrong = changes.check(events);
      ordered = wrong.isEmpty();
      System.out.printf("order and completeness (warm-up included): %d changes, %d events, %d users changed more than"
          + " once, %d users whose events differ from their changes%n", changes.total(), events.size(),
          changes.repeated(), wrong.size());
      wrong.entrySet().stream().limit(10).forEach(w -> System.out.println("  " + w.getKey() + ": " + w.getValue()));
      deliveries(h);
      System.out.println("| measure | samples | p50 ms | p99 ms | max ms |");
      System.out.println("|---|---|---|---|---|");
      row("baseline: the control request that changes a presence (emulator's send), same run", controlTrips);
      row("presence change → PresenceChanged at a bus consumer", toEvent);
      ratio("change → event", toEvent, controlTrips);

      List<Double> viaBundle = new ArrayList<>();
      List<Double> direct = new ArrayList<>();
      PresenceClient client = h.client();
      String token = token(h);
      List<String> ids = h.users.subList(0, Math.min(650, h.users.size()));
      for (int i = 0; i < batches; i++) {
        long t0 = System.nanoTime();
        TestServer.await(client.fetch(ids));
        viaBundle.add((System.nanoTime() - t0) / 1e6);
        long t1 = System.nanoTime();
        TestServer.await(h.emulated.control.postAbs(h.emulated.emulator.graphConfig().getString("baseUrl")
            + "/communications/getPresencesByUserId").bearerTokenAuthentication(token)
            .sendJsonObject(new JsonObject().put("ids", new JsonArray(ids))));
        direct.add((System.nanoTime() - t1) / 1e6);
      }
      row("baseline: getPresencesByUserId of 650 straight to the emulator, same run", direct);
      row("PresenceClient.fetch of 650 (bus → bundle → Graph → back)", viaBundle);
      ratio("batch get", viaBundle, direct);
    }
    if (!ordered) {
      System.exit(1);
    }
  }

  /** Waits until {@code total} events arrived, or 60 s (a shortfall shows in the check). */
  private static void awaitEvents(List<PresenceEvent.PresenceChanged> events, int total) throws InterruptedException {
    try {
      TestServer.awaitUntil(total + " events", Duration.ofSeconds(60), () -> events.size() >= total);
    } catch (AssertionError e) {
      System.out.println("only " + events.size() + " of " + total + " events within 60 s");
    }
    Thread.sleep(1000); // what arrives beyond the total shows in the check
  }

  /** How the emulator's notification deliveries went: attempts that failed (and were retried 10 s later). */
  private static void deliveries(PresenceHarness h) throws Exception {
    List<JsonObject> attempts = h.deliveryAttempts();
    Map<String, Integer> outcomes = new TreeMap<>();
    List<Double> answers = new ArrayList<>();
    for (JsonObject attempt : attempts) {
      if (attempt.getValue("elapsedMs") instanceof Number n) {
        answers.add(n.doubleValue());
      }
      outcomes.merge(PresenceHarness.outcome(attempt), 1, Integer::sum);
    }
    System.out.println("notification delivery attempts of the latest 2,000 deliveries the emulator keeps: "
        + attempts.size() + ", by outcome: " + outcomes);
    row("the server's answer to a notification, as the emulator timed it", answers);
  }

  private static String token(PresenceHarness h) throws Exception {
    JsonObject graph = h.emulated.emulator.graphConfig();
    String authority = graph.getString("authority").replaceAll("/+$", "");
    String url = authority.endsWith(graph.getString("tenantId")) ? authority : authority + "/"
        + graph.getString("tenantId");
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("grant_type", "client_credentials")
        .add("client_id", graph.getString("clientId")).add("client_secret", graph.getString("clientSecret"))
        .add("scope", "https://graph.microsoft.com/.default");
    return TestServer.await(h.emulated.control.postAbs(url + "/oauth2/v2.0/token").sendForm(form)).bodyAsJsonObject()
        .getString("access_token");
  }

  private static void row(String name, List<Double> values) {
    System.out.println(Percentiles.row(name, values));
  }

  private static void ratio(String name, List<Double> measured, List<Double> baseline) {
    System.out.printf("ratio %s / baseline: p50 %.2f, p99 %.2f%n", name, percentile(measured, 50)
        / percentile(baseline, 50), percentile(measured, 99) / percentile(baseline, 99));
  }
}
