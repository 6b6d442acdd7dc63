package dev.switchboard.emulator;

import static dev.switchboard.emulator.EmulatorFixture.serviceHosted;
import static dev.switchboard.emulator.WebhookReceiver.about;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Change and lifecycle notifications (graph-reference §8.3-§8.5): callRecords when a call ends,
 * presence changes, the control endpoints, Graph's retries (3 s answer limit, backoff, 4 hours),
 * notification faults. The bot side is a real HTTP(S) server on loopback.
 */
class ChangeNotificationsTest {

  private static final String ADELE = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01";
  private static final String ALEX = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e02";
  private static final String MEGAN = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e03";
  /** 1 emulated minute = 100 real ms; the callRecord delay (30 s) is 50 ms, the first retry (10 s) 17 ms. */
  private static final double SPEED = 600;

  private static EmulatorFixture fx;
  private static WebhookReceiver bot;
  private static String notifications;
  private static String lifecycle;

  @BeforeAll
  static void start() {
    fx = new EmulatorFixture(SPEED);
    bot = new WebhookReceiver(fx.vertx, false);
    notifications = bot.url("/callbacks/notifications");
    lifecycle = bot.url("/callbacks/lifecycle");
  }

  @AfterAll
  static void stop() {
    bot.close();
    fx.close();
  }

  @AfterEach
  void reset() {
    fx.reset();
    bot.clear();
  }

  private static JsonObject subscribe(String resource, String changeType, Duration lifetime) {
    return fx.subscribe(fx.subscription(resource, changeType, notifications, lifetime));
  }

  private static JsonObject presence(String availability, String activity) {
    return new JsonObject().put("availability", availability).put("activity", activity);
  }

  private static String push(String subscriptionId, JsonObject body) {
    EmulatorFixture.Response r = fx.control("POST", "/emulator/subscriptions/" + subscriptionId + "/notify", body);
    assertEquals(202, r.status(), r.body());
    return r.json().getString("deliveryId");
  }

  private static JsonObject updated() {
    return new JsonObject().put("changeType", "updated");
  }

  @Test
  void aCallThatEndsIsNotifiedAsACreatedCallRecord() {
    JsonObject created = subscribe("/communications/callRecords", "created", Duration.ofHours(1));
    JsonObject updatedOnly = subscribe("/communications/callRecords", "updated", Duration.ofHours(1));
    int m = bot.mark();
    String callId = fx.establishedOutgoingCall(ADELE, serviceHosted());
    String callRecordId = fx.control("GET", "/emulator/calls/" + callId, null).json().getString("callChainId");
    assertEquals(204, fx.graph("DELETE", "/v1.0/communications/calls/" + callId, null).status());

    WebhookReceiver.Received got = bot.await(m, about(created.getString("id")), 3000);
    assertEquals("/callbacks/notifications", got.path());
    assertNull(got.authorization(), "change notifications carry no bearer token");
    JsonObject n = got.notification();
    assertEquals("created", n.getString("changeType"));
    assertEquals("communications/callRecords/" + callRecordId, n.getString("resource"));
    assertEquals(created.getString("clientState"), n.getString("clientState"));
    assertEquals(fx.tenant(), n.getString("tenantId"));
    assertEquals(Instant.parse(created.getString("expirationDateTime")),
        Instant.parse(n.getString("subscriptionExpirationDateTime")));
    assertEquals(new JsonObject().put("@odata.type", "#Microsoft.Graph.callrecord")
        .put("@odata.id", "communications/callRecords/" + callRecordId).put("id", callRecordId), n.getJsonObject("resourceData"));

    EmulatorFixture.sleep(200);
    assertTrue(bot.received.stream().noneMatch(about(updatedOnly.getString("id"))), "changeType updated only");
    assertEquals(1, bot.received.stream().filter(about(created.getString("id"))).count(), "one record per call");
    JsonObject control = fx.control("GET", "/emulator/subscriptions/" + created.getString("id"), null).json();
    assertEquals(1, control.getInteger("notifications"));
    assertEquals("delivered", fx.deliveries(created.getString("id")).get(0).getString("state"));
  }

  @Test
  void presenceChangesNotifyTheSubscriptionsThatWatchTheUser() {
    JsonObject adele = subscribe("communications/presences/" + ADELE, "updated", Duration.ofMinutes(30));
    JsonObject both = subscribe("/communications/presences?$filter=id in ('" + ADELE + "','" + ALEX + "')", "updated",
        Duration.ofMinutes(30));
    JsonObject megan = subscribe("communications/presences/" + MEGAN, "updated", Duration.ofMinutes(30));

    int m = bot.mark();
    EmulatorFixture.Response r = fx.control("POST", "/emulator/users/" + ADELE + "/presence", presence("Busy", "InACall"));
    assertEquals(200, r.status(), r.body());
    assertEquals(presence("Busy", "InACall"), r.json().getJsonObject("presence"));
    for (JsonObject s : List.of(adele, both)) {
      JsonObject n = bot.await(m, about(s.getString("id")), 2000).notification();
      assertEquals("updated", n.getString("changeType"));
      assertEquals("communications/presences/" + ADELE, n.getString("resource"));
      assertEquals(new JsonObject().put("@odata.type", "#microsoft.graph.presence")
          .put("@odata.id", "users/" + ADELE + "/presence").put("id", ADELE), n.getJsonObject("resourceData"));
      assertEquals(s.getString("clientState"), n.getString("clientState"));
      assertEquals(fx.tenant(), n.getString("organizationId"));
    }

    // a registration that changes the presence counts too; the same presence again does not
    int m2 = bot.mark();
    assertEquals(201, fx.control("POST", "/emulator/users", new JsonObject().put("id", ALEX).put("displayName", "Alex")
        .put("presence", presence("Away", "Away"))).status());
    JsonObject n = bot.await(m2, about(both.getString("id")), 2000).notification();
    assertEquals("communications/presences/" + ALEX, n.getString("resource"));
    fx.control("POST", "/emulator/users/" + ADELE + "/presence", presence("Busy", "InACall"));
    EmulatorFixture.sleep(150);
    assertEquals(m2 + 1, bot.received.size(), bot.received.toString());
    assertTrue(bot.received.stream().noneMatch(about(megan.getString("id"))));

    assertEquals(400, fx.control("POST", "/emulator/users/" + ADELE + "/presence", presence("Busy", "Napping")).status());
    assertEquals(400, fx.control("POST", "/emulator/users/" + ADELE + "/presence",
        new JsonObject().put("availability", "Busy")).status());
    assertEquals(404, fx.control("POST", "/emulator/users/nobody/presence", presence("Busy", "Busy")).status());
    assertEquals(400, fx.control("POST", "/emulator/users", new JsonObject().put("presence", presence("Sleepy", "Away")))
        .status());
  }

  @Test
  void lifecycleNotificationsAndSubscriptionRemoved() {
    JsonObject s = fx.subscribe(fx.subscription("/communications/callRecords", "created", notifications,
        Duration.ofHours(2)).put("lifecycleNotificationUrl", lifecycle));
    String id = s.getString("id");
    for (String event : List.of("reauthorizationRequired", "missed", "subscriptionRemoved")) {
      int m = bot.mark();
      EmulatorFixture.Response r = fx.control("POST", "/emulator/subscriptions/" + id + "/lifecycle",
          new JsonObject().put("event", event));
      assertEquals(202, r.status(), r.body());
      WebhookReceiver.Received got = bot.await(m, x -> true, 2000);
      assertEquals("/callbacks/lifecycle", got.path());
      JsonObject n = got.notification();
      assertEquals(event, n.getString("lifecycleEvent"));
      assertEquals(id, n.getString("subscriptionId"));
      assertEquals(s.getString("clientState"), n.getString("clientState"));
      assertEquals(fx.tenant(), n.getString("tenantId"));
      assertTrue(n.getString("subscriptionExpirationDateTime").endsWith("Z"));
      assertTrue(!n.containsKey("resource") && !n.containsKey("resourceData"), n.encode());
      assertEquals("delivered", fx.awaitDelivery(r.json().getString("deliveryId"), "delivered", 2000).getString("state"));
    }
    assertEquals(404, fx.graph("GET", "/v1.0/subscriptions/" + id, null).status(), "subscriptionRemoved deletes it");
    assertEquals("removed", fx.control("GET", "/emulator/subscriptions/" + id, null).json().getString("state"));
    assertEquals(404, fx.control("POST", "/emulator/subscriptions/" + id + "/lifecycle",
        new JsonObject().put("event", "missed")).status());

    JsonObject plain = subscribe("/communications/callRecords", "created", Duration.ofHours(2));
    String path = "/emulator/subscriptions/" + plain.getString("id") + "/lifecycle";
    assertEquals(400, fx.control("POST", path, new JsonObject().put("event", "renewed")).status());
    assertEquals(409, fx.control("POST", path, new JsonObject().put("event", "reauthorizationRequired")).status());
    int m = bot.mark();
    EmulatorFixture.Response removed = fx.control("POST", path, new JsonObject().put("event", "subscriptionRemoved"));
    assertEquals(202, removed.status());
    assertNull(removed.json().getValue("deliveryId"), "no lifecycle URL: removed silently");
    assertEquals(404, fx.graph("GET", "/v1.0/subscriptions/" + plain.getString("id"), null).status());
    EmulatorFixture.sleep(100);
    assertEquals(m, bot.received.size());
  }

  @Test
  void reauthorizationRequiredComesOncePerLifetimeWhenATenthIsLeft() {
    JsonObject s = fx.subscribe(fx.subscription("/communications/callRecords", "created", notifications,
        Duration.ofMinutes(10)).put("lifecycleNotificationUrl", lifecycle)); // 1 real second
    String id = s.getString("id");
    Instant expiration = Instant.parse(s.getString("expirationDateTime"));
    WebhookReceiver.Received first = bot.await(0, about(id), 10_000);
    assertEquals("reauthorizationRequired", first.notification().getString("lifecycleEvent"));
    Instant sentAt = Instant.parse(fx.deliveries(id).get(0).getString("createdDateTime"));
    Duration left = Duration.between(sentAt, expiration);
    // At this clock an emulated minute is 0.1 real seconds: a loaded machine fires the timer tens of emulated
    // seconds late, so the lower bound is only "before the end".
    assertTrue(left.compareTo(Duration.ofSeconds(62)) <= 0 && left.compareTo(Duration.ZERO) > 0,
        "sent when about a tenth (1 min) of the 10 min lifetime was left, not earlier: " + left);

    // renewing starts a new lifetime, with its own reauthorizationRequired
    EmulatorFixture.Response renewed = fx.graph("PATCH", "/v1.0/subscriptions/" + id,
        new JsonObject().put("expirationDateTime", fx.inFuture(Duration.ofMinutes(5))));
    assertEquals(200, renewed.status(), renewed.body());
    int m = bot.mark();
    assertEquals("reauthorizationRequired", bot.await(m, about(id), 10_000).notification().getString("lifecycleEvent"));
    // The 5 min lifetime is 0.5 real seconds: wait for its end (a loaded machine fires the expiry late), then count.
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (fx.graph("GET", "/v1.0/subscriptions/" + id, null).status() != 404) {
      assertTrue(System.nanoTime() < deadline, "the renewed subscription expired within 20 s");
      EmulatorFixture.sleep(50);
    }
    assertEquals(2, bot.received.stream().filter(about(id)).count(), "once per lifetime");
    assertTrue(fx.control("GET", "/emulator/subscriptions/" + id, null).json().getBoolean("reauthorizationRequiredSent"));
  }

  @Test
  void theNotifyControlEndpointSendsWhatTheTestSays() {
    JsonObject s = subscribe("/communications/callRecords", "created", Duration.ofHours(1));
    String id = s.getString("id");
    JsonObject data = new JsonObject().put("@odata.type", "#Microsoft.Graph.callrecord").put("id", "r1").put("version", 2);
    int m = bot.mark();
    String delivery = push(id, new JsonObject().put("changeType", "updated")
        .put("resource", "communications/callRecords/r1").put("resourceData", data));
    JsonObject n = bot.await(m, about(id), 2000).notification();
    assertEquals("updated", n.getString("changeType"));
    assertEquals("communications/callRecords/r1", n.getString("resource"));
    assertEquals(data, n.getJsonObject("resourceData"));
    JsonObject d = fx.awaitDelivery(delivery, "delivered", 2000);
    assertEquals(id, d.getString("subscriptionId"));
    assertEquals("change", d.getString("kind"));
    assertEquals(202, d.getJsonArray("attempts").getJsonObject(0).getInteger("status"));
    assertEquals(n, d.getJsonObject("body").getJsonArray("value").getJsonObject(0));

    push(id, new JsonObject().put("changeType", "deleted"));
    assertEquals("/communications/callRecords", bot.await(m + 1, about(id), 2000).notification().getString("resource"),
        "the subscription's resource by default");
    assertEquals(400, fx.control("POST", "/emulator/subscriptions/" + id + "/notify",
        new JsonObject().put("changeType", "moved")).status());
    assertEquals(400, fx.control("POST", "/emulator/subscriptions/" + id + "/notify", new JsonObject()).status());
    assertEquals(404, fx.control("POST", "/emulator/subscriptions/nope/notify", updated()).status());
    assertEquals(2, fx.control("GET", "/emulator/subscriptions/deliveries?since=0", null).json().getJsonArray("value").size());
  }

  @Test
  void aFailedDeliveryIsRetriedWithBackoffUntilTheReceiverRecovers() {
    JsonObject s = subscribe("/communications/callRecords", "created", Duration.ofHours(1));
    bot.answerNext(500, 0);
    bot.answerNext(503, 0);
    bot.answerNext(410, 0);
    String delivery = push(s.getString("id"), updated());
    JsonObject d = fx.awaitDelivery(delivery, "delivered", 5000);
    JsonArray attempts = d.getJsonArray("attempts");
    assertEquals(List.of(500, 503, 410, 202), attempts.stream().map(a -> ((JsonObject) a).getInteger("status")).toList());
    assertEquals(4, bot.received.stream().filter(about(s.getString("id"))).count(), "the same notification, 4 times");
    for (int i = 1; i < attempts.size(); i++) {
      Duration gap = Duration.between(Instant.parse(attempts.getJsonObject(i - 1).getString("emulatedTime")),
          Instant.parse(attempts.getJsonObject(i).getString("emulatedTime")));
      Duration expected = Duration.ofSeconds(10L << (i - 1)); // 10 s, 20 s, 40 s (emulated)
      // Never early (so the wait at least doubles); late only by scheduling: at 600x, 10 emulated minutes are one real
      // second, which a busy CI machine can take.
      assertTrue(gap.compareTo(expected) >= 0 && gap.compareTo(expected.plusMinutes(10)) < 0,
          "attempt " + i + " came " + gap + " after the previous one, expected about " + expected);
    }
  }

  @Test
  void anAnswerSlowerThanThreeSecondsCountsAsAFailure() {
    JsonObject s = subscribe("/communications/callRecords", "created", Duration.ofDays(2));
    bot.answerNext(202, 3400);
    String delivery = push(s.getString("id"), updated());
    JsonObject d = fx.awaitDelivery(delivery, "delivered", 6000);
    JsonObject slow = d.getJsonArray("attempts").getJsonObject(0);
    assertTrue(slow.getLong("elapsedMs") >= 2990 && slow.getLong("elapsedMs") < 3400, slow.encode());
    assertEquals("no answer within 3 s", slow.getString("error"));
    assertTrue(slow.getBoolean("slow"));
    assertEquals(202, d.getJsonArray("attempts").getJsonObject(1).getInteger("status"));
    assertEquals(2, d.getJsonArray("attempts").size());
  }

  @Test
  void undeliverableNotificationsAreDroppedAfterFourEmulatedHours() {
    try (EmulatorFixture fast = new EmulatorFixture(20_000); // 4 emulated hours = 720 real ms
        WebhookReceiver down = new WebhookReceiver(fast.vertx, false)) {
      down.answerAlways(500);
      JsonObject s = fast.subscribe(fast.subscription("/communications/callRecords", "created",
          down.url("/n"), Duration.ofMinutes(4230)));
      String delivery = fast.control("POST", "/emulator/subscriptions/" + s.getString("id") + "/notify", updated())
          .json().getString("deliveryId");
      JsonObject d = fast.awaitDelivery(delivery, "dropped", 5000);
      JsonArray attempts = d.getJsonArray("attempts");
      assertTrue(d.getString("reason").contains("4 hours"), d.getString("reason"));
      Duration span = Duration.between(Instant.parse(attempts.getJsonObject(0).getString("emulatedTime")),
          Instant.parse(attempts.getJsonObject(attempts.size() - 1).getString("emulatedTime")));
      assertTrue(span.compareTo(Duration.ofHours(3)) > 0 && span.compareTo(Duration.ofHours(4)) <= 0, span.toString());
      assertTrue(attempts.size() >= 20 && attempts.size() <= 40, "10 s doubling to 10 min: " + attempts.size());
      int received = down.received.size();
      EmulatorFixture.sleep(100);
      assertEquals(received, down.received.size(), "no attempt after the drop");
    }
  }

  @Test
  void retriesStopWhenTheSubscriptionIsDeleted() {
    JsonObject s = subscribe("/communications/callRecords", "created", Duration.ofHours(1));
    bot.answerAlways(500);
    String delivery = push(s.getString("id"), updated());
    bot.await(0, about(s.getString("id")), 2000);
    assertEquals(204, fx.graph("DELETE", "/v1.0/subscriptions/" + s.getString("id"), null).status());
    JsonObject d = fx.awaitDelivery(delivery, "dropped", 2000);
    assertEquals("subscription deleted", d.getString("reason"));
    int received = bot.received.size();
    EmulatorFixture.sleep(300); // several retry delays
    assertEquals(received, bot.received.size());
  }

  @Test
  void notificationFaultsApplyToChangeAndLifecycleNotifications() {
    JsonObject s = fx.subscribe(fx.subscription("communications/presences/" + ADELE, "updated", notifications,
        Duration.ofMinutes(50)).put("lifecycleNotificationUrl", lifecycle));
    String id = s.getString("id");
    fx.control("POST", "/emulator/faults", new JsonObject().put("type", "drop").put("path", "/communications/presences/*"));
    fx.control("POST", "/emulator/users/" + ADELE + "/presence", presence("Away", "Away"));
    EmulatorFixture.sleep(100);
    assertTrue(bot.received.isEmpty());
    JsonObject dropped = fx.deliveries(id).get(0);
    assertEquals("dropped", dropped.getString("state"));
    assertEquals("drop", dropped.getString("fault"));
    assertTrue(dropped.getJsonArray("attempts").isEmpty());

    fx.control("POST", "/emulator/faults", new JsonObject().put("type", "duplicate").put("path", "/communications/presences/**"));
    fx.control("POST", "/emulator/users/" + ADELE + "/presence", presence("Busy", "InAMeeting"));
    bot.await(1, about(id), 2000);

    fx.control("POST", "/emulator/faults", new JsonObject().put("type", "delay").put("latencyMs", 300)
        .put("path", "/subscriptions/*/missed"));
    int m = bot.mark();
    long t0 = System.nanoTime();
    fx.control("POST", "/emulator/subscriptions/" + id + "/lifecycle", new JsonObject().put("event", "missed"));
    WebhookReceiver.Received late = bot.await(m, r -> "missed".equals(r.notification().getString("lifecycleEvent")), 2000);
    assertTrue((late.nanos() - t0) / 1_000_000 >= 290, "delayed by the fault");
    assertEquals(Set.of("delay", "duplicate", "drop"), Set.copyOf(fx.deliveries(id).stream()
        .map(d -> d.getString("fault")).toList()));
    assertEquals(2, bot.received.stream().filter(r -> "updated".equals(r.notification().getString("changeType"))).count());
  }

  @Test
  void httpsEndpointsWithASelfSignedCertificateOnLoopback() {
    try (WebhookReceiver tls = new WebhookReceiver(fx.vertx, true)) {
      assertTrue(tls.url("/n").startsWith("https://127.0.0.1:"));
      JsonObject s = fx.subscribe(fx.subscription("/communications/callRecords", "created", tls.url("/n"),
          Duration.ofHours(1)).put("lifecycleNotificationUrl", tls.url("/l")));
      assertEquals(2, tls.validations.size());
      push(s.getString("id"), updated());
      assertEquals("/n", tls.await(0, about(s.getString("id")), 2000).path());
    }
  }
}
