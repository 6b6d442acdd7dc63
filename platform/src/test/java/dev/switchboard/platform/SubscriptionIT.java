package dev.switchboard.platform;

import static dev.switchboard.platform.TestServer.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.emulator.EmulatorOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The subscription manager against the emulator: creation with the validation handshake, notifications to the
 * plugin, clientState checks, renewal, lifecycle events, no duplicate after a restart, removal on uninstall.
 */
class SubscriptionIT {

  private static final String ADELE = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path home;

  private Map<String, String> env(Emulated emulated, String lifetime) {
    Map<String, String> env = new HashMap<>(emulated.graphEnv());
    env.put("SWITCHBOARD_PLUGINS_SUBSCRIBER_PRESENCE_USER", ADELE);
    if (lifetime != null) {
      env.put("SWITCHBOARD_GRAPH_SUBSCRIPTION_LIFETIME", lifetime);
    }
    return env;
  }

  private static JsonArray adminList(TestServer t) throws Exception {
    return t.admin(HttpMethod.GET, "/admin/subscriptions", null).bodyAsJsonArray();
  }

  private static boolean allActive(TestServer t, int count) {
    try {
      JsonArray list = adminList(t);
      return list.size() == count && list.stream().allMatch(o -> "active".equals(((JsonObject) o).getString("status")));
    } catch (Exception e) {
      return false;
    }
  }

  private static JsonObject byResource(TestServer t, String part) throws Exception {
    return adminList(t).stream().map(JsonObject.class::cast).filter(s -> s.getString("resource").contains(part))
        .findFirst().orElseThrow();
  }

  private static int emulatorSubscriptions(Emulated emulated) throws Exception {
    return TestServer.await(emulated.control.getAbs(emulated.emulator.baseUrl() + "/emulator/subscriptions").send())
        .bodyAsJsonObject().getJsonArray("value").stream()
        .filter(o -> "active".equals(((JsonObject) o).getString("state"))).toList().size();
  }

  private TestServer startWithSubscriber(Path dir, Map<String, String> env) throws Exception {
    TestServer t = TestServer.start(dir, env);
    t.drop(TestServer.bundle("subscriber"), "subscriber.jar");
    return t;
  }

  @Test
  void notificationsLifecycleRestartAndUninstall() throws Exception {
    try (Emulated emulated = Emulated.start(new EmulatorOptions().setClockSpeed(30))) {
      List<JsonObject> changed = new CopyOnWriteArrayList<>();
      List<String> resyncs = new CopyOnWriteArrayList<>();
      String presenceId;
      String callRecordsId;
      Path dir = home.resolve("server");
      try (TestServer t = startWithSubscriber(dir, env(emulated, null))) {
        TestServer.await(t.vertx.eventBus().<JsonObject>consumer("test.subscription.changed", m -> changed.add(m.body()))
            .completion());
        TestServer.await(t.vertx.eventBus().<JsonObject>consumer("test.subscription.resync",
            m -> resyncs.add(m.body().getString("reason"))).completion());
        awaitUntil("both subscriptions are active", WAIT, () -> allActive(t, 2));
        assertEquals(2, emulatorSubscriptions(emulated));
        presenceId = byResource(t, "presences").getString("id");
        callRecordsId = byResource(t, "callRecords").getString("id");

        // A presence change reaches the plugin.
        emulated.post("/emulator/users/" + ADELE + "/presence", new JsonObject().put("availability", "Busy")
            .put("activity", "InACall"));
        awaitUntil("the presence notification reached the plugin", WAIT, () -> changed.stream()
            .anyMatch(n -> presenceId.equals(n.getString("subscriptionId"))));

        // A call that ends produces a call record notification.
        String call = emulated.post("/emulator/calls/incoming", new JsonObject().put("from", ADELE)
            .put("callbackUri", "http://127.0.0.1:9/callbacks/calling")).getString("id");
        emulated.post("/emulator/calls/" + call + "/hangup", new JsonObject());
        awaitUntil("the call record notification reached the plugin", WAIT, () -> changed.stream()
            .anyMatch(n -> callRecordsId.equals(n.getString("subscriptionId"))
                && "created".equals(n.getString("changeType"))));

        // A notification whose clientState does not match is answered 202, counted and dropped.
        int before = changed.size();
        JsonObject forged = new JsonObject().put("value", new JsonArray().add(new JsonObject()
            .put("subscriptionId", presenceId).put("clientState", "guessed").put("changeType", "updated")
            .put("resource", "communications/presences/" + ADELE)));
        var response = TestServer.await(t.client.post(t.server.httpPort(), "127.0.0.1", "/callbacks/notifications")
            .sendJsonObject(forged));
        assertEquals(202, response.statusCode());
        awaitUntil("the mismatch is counted", WAIT, () -> {
          try {
            return byResource(t, "presences").getLong("clientStateMismatches") == 1;
          } catch (Exception e) {
            return false;
          }
        });
        Thread.sleep(200);
        assertEquals(before, changed.size(), "a forged notification never reaches the plugin");

        // The validation handshake echoes the decoded token as plain text.
        var handshake = TestServer.await(t.client.post(t.server.httpPort(), "127.0.0.1",
            "/callbacks/notifications?validationToken=abc%3Cscript%3E%20x").send());
        assertEquals(200, handshake.statusCode());
        assertEquals("abc<script> x", handshake.bodyAsString());
        assertTrue(handshake.getHeader("Content-Type").startsWith("text/plain"));

        // Lifecycle: reauthorize; recreate after removal and ask for a resync; resync after missed.
        emulated.post("/emulator/subscriptions/" + callRecordsId + "/lifecycle",
            new JsonObject().put("event", "reauthorizationRequired"));
        awaitUntil("the subscription was reauthorized", WAIT, () -> {
          try {
            return emulated.requests("/subscriptions/" + callRecordsId + "/reauthorize").size() == 1;
          } catch (Exception e) {
            return false;
          }
        });
        emulated.post("/emulator/subscriptions/" + presenceId + "/lifecycle",
            new JsonObject().put("event", "subscriptionRemoved"));
        awaitUntil("the presence subscription was created again", WAIT, () -> {
          try {
            return !byResource(t, "presences").getString("id", presenceId).equals(presenceId) && allActive(t, 2);
          } catch (Exception e) {
            return false;
          }
        });
        awaitUntil("the plugin was asked to resync", WAIT, () -> resyncs.contains("subscriptionRemoved"));
        emulated.post("/emulator/subscriptions/" + callRecordsId + "/lifecycle", new JsonObject().put("event", "missed"));
        awaitUntil("the plugin was asked to resync after missed", WAIT, () -> resyncs.contains("missed"));
        assertEquals(2, emulatorSubscriptions(emulated));
      }

      // A restart reuses the subscriptions instead of creating new ones.
      int posts = emulated.requests("/subscriptions").stream()
          .filter(o -> "POST".equals(((JsonObject) o).getString("method"))
              && ((JsonObject) o).getString("path").endsWith("/subscriptions")).toList().size();
      try (TestServer t = startWithSubscriber(dir, env(emulated, null))) {
        awaitUntil("both subscriptions are active again", WAIT, () -> allActive(t, 2));
        assertEquals(callRecordsId, byResource(t, "callRecords").getString("id"), "the same subscription is reused");
        assertEquals(posts, emulated.requests("/subscriptions").stream()
            .filter(o -> "POST".equals(((JsonObject) o).getString("method"))
                && ((JsonObject) o).getString("path").endsWith("/subscriptions")).toList().size(), "no new one created");
        assertEquals(2, emulatorSubscriptions(emulated));

        // Uninstalling the plugin's bundle deletes its subscriptions.
        assertEquals(204, t.admin(HttpMethod.DELETE, "/admin/bundles/subscriber", null).statusCode());
        awaitUntil("the subscriptions are deleted", WAIT, () -> {
          try {
            return emulatorSubscriptions(emulated) == 0 && adminList(t).isEmpty();
          } catch (Exception e) {
            return false;
          }
        });
      }
    }
  }

  @Test
  void notificationsAcceptedButNotHandledWhenTheServerStopsReachThePluginAfterItStartsAgain() throws Exception {
    try (Emulated emulated = Emulated.start(new EmulatorOptions())) {
      Path dir = home.resolve("server");
      Map<String, String> env = env(emulated, null);
      try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
        env.put("SWITCHBOARD_HTTP_PORT", Integer.toString(socket.getLocalPort()));
      }
      Map<String, String> holding = new HashMap<>(env);
      holding.put("SWITCHBOARD_PLUGINS_SUBSCRIBER_HOLD", "true");
      String callRecordsId;
      try (TestServer t = startWithSubscriber(dir, holding)) {
        awaitUntil("both subscriptions are active", WAIT, () -> allActive(t, 2));
        callRecordsId = byResource(t, "callRecords").getString("id");
        for (String id : List.of("r1", "r2", "r3")) {
          emulated.post("/emulator/subscriptions/" + callRecordsId + "/notify", new JsonObject()
              .put("changeType", "created").put("resource", "communications/callRecords/" + id)
              .put("resourceData", new JsonObject().put("id", id)));
        }
        awaitUntil("three notifications accepted (answered 202)", WAIT, () -> {
          try {
            return byResource(t, "callRecords").getLong("notifications") == 3;
          } catch (Exception e) {
            return false;
          }
        });
      }
      // The first was being handled and two waited: all three come again, in order, to the plugin after the restart.
      List<JsonObject> changed = new CopyOnWriteArrayList<>();
      try (TestServer t = TestServer.start(dir, env,
          vertx -> vertx.eventBus().<JsonObject>consumer("test.subscription.changed", m -> changed.add(m.body())))) {
        awaitUntil("the three notifications reached the plugin", WAIT, () -> changed.size() >= 3);
        Thread.sleep(300);
        assertEquals(List.of("r1", "r2", "r3"), changed.stream()
            .map(n -> n.getJsonObject("resourceData").getString("id")).toList(), "each once, in order");
      }
      List<JsonObject> again = new CopyOnWriteArrayList<>();
      try (TestServer t = TestServer.start(dir, env,
          vertx -> vertx.eventBus().<JsonObject>consumer("test.subscription.changed", m -> again.add(m.body())))) {
        awaitUntil("both subscriptions are active again", WAIT, () -> allActive(t, 2));
        Thread.sleep(500);
        assertEquals(List.of(), again, "notifications handled before this restart are not handed over again");
      }
    }
  }

  @Test
  void subscriptionsAreRenewedBeforeTheyExpire() throws Exception {
    try (Emulated emulated = Emulated.start(new EmulatorOptions())) {
      try (TestServer t = startWithSubscriber(home, env(emulated, "4s"))) {
        awaitUntil("both subscriptions are active", WAIT, () -> allActive(t, 2));
        Instant first = Instant.parse(byResource(t, "callRecords").getString("expirationDateTime"));
        String id = byResource(t, "callRecords").getString("id");
        awaitUntil("renewed twice", WAIT, () -> {
          try {
            return emulated.requests("/subscriptions/" + id).stream()
                .filter(o -> "PATCH".equals(((JsonObject) o).getString("method"))).count() >= 2;
          } catch (Exception e) {
            return false;
          }
        });
        Thread.sleep(200);
        Instant later = Instant.parse(byResource(t, "callRecords").getString("expirationDateTime"));
        assertTrue(later.isAfter(first), first + " then " + later);
        assertEquals(id, byResource(t, "callRecords").getString("id"), "renewed, not recreated");
        Thread.sleep(5000);
        assertEquals(2, emulatorSubscriptions(emulated), "never allowed to expire");
        assertNotEquals(0, emulated.requests("/subscriptions/" + id).size());
      }
    }
  }

  @Test
  void aSubscriptionGraphRefusesIsCountedAsFailingWithItsReasonInTheAdminApiNotInTheMetric() throws Exception {
    try (Emulated emulated = Emulated.start(new EmulatorOptions())) {
      emulated.post("/emulator/faults", new JsonObject().put("type", "unavailable").put("method", "POST")
          .put("path", "/v1.0/subscriptions").put("forMs", 600_000).put("retryAfterSeconds", 1));
      Map<String, String> env = env(emulated, null);
      env.put("SWITCHBOARD_GRAPH_RETRY_BUDGET", "1s");
      try (TestServer t = startWithSubscriber(home, env)) {
        awaitUntil("both subscriptions failing", WAIT, () -> {
          try {
            JsonArray list = adminList(t);
            return list.size() == 2
                && list.stream().allMatch(o -> "failing".equals(((JsonObject) o).getString("status")));
          } catch (Exception e) {
            return false;
          }
        });
        for (Object o : adminList(t)) {
          String failure = ((JsonObject) o).getString("failure");
          assertTrue(failure != null && failure.startsWith("could not create it: "), o.toString());
        }
        // The metric's label is the bare status: the reason (free text) would make a series per message.
        awaitUntil("switchboard_subscriptions{status=\"failing\"} 2 and no other status", WAIT,
            () -> subscriptionsByStatus(t).equals(Map.of("failing", 2.0)));
      }
    }
  }

  /** {@code switchboard_subscriptions} on {@code /metrics}, by its {@code status} label. */
  private static Map<String, Double> subscriptionsByStatus(TestServer t) {
    try {
      java.util.regex.Matcher status = java.util.regex.Pattern
          .compile("(?m)^switchboard_subscriptions\\{status=\"([^\"]*)\"} (\\S+)$")
          .matcher(t.http(HttpMethod.GET, "/metrics").bodyAsString());
      Map<String, Double> byStatus = new HashMap<>();
      while (status.find()) {
        byStatus.put(status.group(1), Double.parseDouble(status.group(2)));
      }
      return byStatus;
    } catch (Exception e) {
      return Map.of();
    }
  }
}
