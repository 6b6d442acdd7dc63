package dev.switchboard.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
 * {@code /v1.0/subscriptions} (graph-reference §8.1, §8.2, §8.5): create with the validation
 * handshake, maximum lifetimes on the emulated clock, renew, reauthorize, delete, expiry. The bot
 * side is a real HTTP server on loopback ({@link WebhookReceiver}).
 */
class SubscriptionsTest {

  private static final String ADELE = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01";
  private static final String ALEX = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e02";
  private static final String CALL_RECORDS = "/communications/callRecords";
  /** 1 emulated minute = 100 real ms. */
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

  private static JsonObject callRecords(Duration lifetime) {
    return fx.subscription(CALL_RECORDS, "created", notifications, lifetime);
  }

  private static JsonObject error(EmulatorFixture.Response r, int status, String code) {
    assertEquals(status, r.status(), r.body());
    JsonObject e = r.json().getJsonObject("error");
    assertEquals(code, e.getString("code"), r.body());
    assertNotNull(e.getJsonObject("innerError").getString("request-id"));
    return e;
  }

  private static JsonArray graphList() {
    EmulatorFixture.Response r = fx.graph("GET", "/v1.0/subscriptions", null);
    assertEquals(200, r.status(), r.body());
    return r.json().getJsonArray("value");
  }

  @Test
  void createValidatesBothEndpointsThenAnswersTheSubscription() {
    JsonObject body = callRecords(Duration.ofHours(2)).put("changeType", "created,updated")
        .put("lifecycleNotificationUrl", lifecycle);
    JsonObject s = fx.subscribe(body);

    assertEquals(2, bot.validations.size(), "one handshake per endpoint");
    for (WebhookReceiver.Validation v : bot.validations) {
      assertTrue(v.contentType().startsWith("text/plain"), v.contentType());
      assertTrue(v.token().startsWith("Validation: Testing client application reachability"), v.token());
      assertEquals("", v.body());
    }
    assertEquals(Set.of("/callbacks/notifications", "/callbacks/lifecycle"),
        Set.copyOf(bot.validations.stream().map(WebhookReceiver.Validation::path).toList()));

    assertEquals(fx.emulator.baseUrl() + "/v1.0/$metadata#subscriptions/$entity", s.getString("@odata.context"));
    assertNotNull(s.getString("id"));
    assertEquals(CALL_RECORDS, s.getString("resource"));
    assertEquals(EmulatorOptions.DEFAULT_CLIENT_ID, s.getString("applicationId"));
    assertEquals("created,updated", s.getString("changeType"));
    assertEquals(body.getString("clientState"), s.getString("clientState"));
    assertEquals(notifications, s.getString("notificationUrl"));
    assertEquals(lifecycle, s.getString("lifecycleNotificationUrl"));
    assertEquals(Instant.parse(body.getString("expirationDateTime")), Instant.parse(s.getString("expirationDateTime")));
    assertTrue(s.getString("expirationDateTime").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{7}Z"),
        s.getString("expirationDateTime"));
    assertNotNull(s.getString("creatorId"));
    assertEquals("v1_2", s.getString("latestSupportedTlsVersion"));
    assertEquals(false, s.getBoolean("includeResourceData"));

    EmulatorFixture.Response get = fx.graph("GET", "/v1.0/subscriptions/" + s.getString("id"), null);
    assertEquals(200, get.status());
    assertEquals(s, get.json());
    JsonObject listed = fx.graph("GET", "/v1.0/subscriptions", null).json();
    assertEquals(fx.emulator.baseUrl() + "/v1.0/$metadata#subscriptions", listed.getString("@odata.context"));
    assertEquals(1, listed.getJsonArray("value").size());
    s.remove("@odata.context");
    assertEquals(s, listed.getJsonArray("value").getJsonObject(0));

    JsonArray journal = fx.control("GET", "/emulator/requests?path=/v1.0/subscriptions", null).json().getJsonArray("value");
    assertEquals(List.of("POST 201", "GET 200", "GET 200"), journal.stream().map(JsonObject.class::cast)
        .map(j -> j.getString("method") + " " + j.getInteger("status")).toList());
    assertEquals(body, journal.getJsonObject(0).getJsonObject("body"));

    JsonObject control = fx.control("GET", "/emulator/subscriptions/" + s.getString("id"), null).json();
    assertEquals("active", control.getString("state"));
    assertEquals(1, fx.emulator.subscriptions().await().size());
  }

  @Test
  void aFailedHandshakeIsA400AndCreatesNothing() {
    record Case(WebhookReceiver.Handshake mode, String message) {
    }
    for (Case c : List.of(
        new Case(WebhookReceiver.Handshake.ERROR, "must respond with 200 OK"),
        new Case(WebhookReceiver.Handshake.WRONG_BODY, "must exactly match validationToken"),
        new Case(WebhookReceiver.Handshake.RAW_QUERY, "must exactly match validationToken"),
        new Case(WebhookReceiver.Handshake.WRONG_TYPE, "not text/plain"))) {
      bot.handshake = c.mode();
      JsonObject e = error(fx.graph("POST", "/v1.0/subscriptions", callRecords(Duration.ofHours(1))), 400, "InvalidRequest");
      assertTrue(e.getString("message").startsWith("Subscription validation request failed."), e.getString("message"));
      assertTrue(e.getString("message").contains(c.message()), c.mode() + ": " + e.getString("message"));
    }
    bot.handshake = WebhookReceiver.Handshake.ECHO;

    // the lifecycle endpoint must pass too
    JsonObject e = error(fx.graph("POST", "/v1.0/subscriptions", callRecords(Duration.ofHours(1))
        .put("lifecycleNotificationUrl", "http://127.0.0.1:1/nobody-listens")), 400, "InvalidRequest");
    assertTrue(e.getString("message").contains("lifecycleNotificationUrl"), e.getString("message"));

    assertTrue(graphList().isEmpty());
    assertTrue(fx.control("GET", "/emulator/subscriptions", null).json().getJsonArray("value").isEmpty());
  }

  @Test
  void aHandshakeNotAnsweredWithinTenSecondsTimesOut() {
    bot.handshake = WebhookReceiver.Handshake.SILENT;
    long t0 = System.nanoTime();
    JsonObject e = error(fx.graph("POST", "/v1.0/subscriptions", callRecords(Duration.ofDays(2))), 400, "InvalidRequest");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(e.getString("message").startsWith("Subscription validation request timed out."), e.getString("message"));
    assertTrue(ms >= 9_900 && ms < 13_000, "real 10 s, not scaled by the clock: " + ms + " ms");
    assertTrue(graphList().isEmpty());
  }

  @Test
  void malformedRequestsAreRejectedBeforeAnyHandshake() {
    List<JsonObject> bad = List.of(
        callRecords(Duration.ofHours(1)).put("clientState", "x".repeat(129)),
        callRecords(Duration.ofHours(1)).put("changeType", "created,moved"),
        callRecords(Duration.ofHours(1)).put("changeType", "deleted"),
        fx.subscription("communications/presences/" + ADELE, "created", notifications, Duration.ofMinutes(30)),
        callRecords(Duration.ofHours(1)).put("resource", "me/mailFolders('Inbox')/messages"),
        callRecords(Duration.ofHours(1)).put("resource", "/communications/presences?$filter=id in (" + ADELE + ")"),
        callRecords(Duration.ofHours(1)).put("notificationUrl", "ftp://bot/x"),
        callRecords(Duration.ofHours(1)).put("expirationDateTime", "tomorrow"),
        callRecords(Duration.ofHours(1)).put("latestSupportedTlsVersion", "v2"),
        callRecords(Duration.ofHours(1)).put("includeResourceData", true),
        callRecords(Duration.ofHours(1)).put("colour", "blue"),
        callRecords(Duration.ofHours(1)).putNull("notificationUrl"),
        new JsonObject());
    for (JsonObject body : bad) {
      EmulatorFixture.Response r = fx.graph("POST", "/v1.0/subscriptions", body);
      assertEquals(400, r.status(), body.encode() + " -> " + r.body());
      assertNotNull(r.json().getJsonObject("error").getString("message"));
    }
    assertTrue(bot.validations.isEmpty(), "no handshake for a request that is rejected anyway");
    assertEquals(201, fx.graph("POST", "/v1.0/subscriptions", callRecords(Duration.ofHours(1))
        .put("clientState", "x".repeat(128))).status());
    assertEquals(401, fx.request("GET", "/v1.0/subscriptions", null, null).status());
    assertEquals(401, fx.request("POST", "/v1.0/subscriptions", callRecords(Duration.ofHours(1)), "Bearer nope").status());
  }

  @Test
  void eachResourceHasItsMaximumLifetimeOnTheEmulatedClock() {
    fx.subscribe(callRecords(Duration.ofMinutes(4230)));
    JsonObject tooLong = error(fx.graph("POST", "/v1.0/subscriptions", callRecords(Duration.ofMinutes(4232))), 400,
        "ExtensionError");
    assertTrue(tooLong.getString("message").startsWith("Subscription expiration can only be 4230 minutes in the future."),
        tooLong.getString("message"));

    for (String presence : List.of("communications/presences/" + ADELE,
        "/communications/presences?$filter=id in ('" + ADELE + "', '" + ALEX + "')")) {
      fx.subscribe(fx.subscription(presence, "updated", notifications, Duration.ofMinutes(60)));
      JsonObject e = error(fx.graph("POST", "/v1.0/subscriptions",
          fx.subscription(presence, "updated", notifications, Duration.ofMinutes(62))), 400, "ExtensionError");
      assertTrue(e.getString("message").contains("60 minutes"), e.getString("message"));
    }
    JsonObject past = error(fx.graph("POST", "/v1.0/subscriptions", callRecords(Duration.ofMinutes(-1))), 400,
        "InvalidRequest");
    assertTrue(past.getString("message").contains("in the past"), past.getString("message"));
    // a date in real time is in the emulated past once the clock has run ahead
    JsonObject real = callRecords(Duration.ZERO).put("expirationDateTime", Instant.now().plusSeconds(60).toString());
    EmulatorFixture.sleep(200); // 2 emulated minutes
    error(fx.graph("POST", "/v1.0/subscriptions", real), 400, "InvalidRequest");
    assertEquals(3, graphList().size());
  }

  @Test
  void renewReauthorizeAndDelete() {
    JsonObject s = fx.subscribe(callRecords(Duration.ofHours(1)).put("lifecycleNotificationUrl", lifecycle));
    String path = "/v1.0/subscriptions/" + s.getString("id");
    bot.validations.clear();

    String later = fx.inFuture(Duration.ofHours(48));
    EmulatorFixture.Response renewed = fx.graph("PATCH", path, new JsonObject().put("expirationDateTime", later));
    assertEquals(200, renewed.status(), renewed.body());
    assertEquals(Instant.parse(later), Instant.parse(renewed.json().getString("expirationDateTime")));
    assertEquals(s.getString("id"), renewed.json().getString("id"));
    assertEquals(2, bot.validations.size(), "a renewal validates the endpoints again");

    error(fx.graph("PATCH", path, new JsonObject().put("expirationDateTime", fx.inFuture(Duration.ofMinutes(4232)))),
        400, "ExtensionError");
    error(fx.graph("PATCH", path, new JsonObject().put("expirationDateTime", fx.inFuture(Duration.ofHours(2)))
        .put("lifecycleNotificationUrl", lifecycle)), 400, "invalidRequest");
    error(fx.graph("PATCH", path, new JsonObject()), 400, "invalidRequest");
    bot.handshake = WebhookReceiver.Handshake.ERROR;
    error(fx.graph("PATCH", path, new JsonObject().put("expirationDateTime", fx.inFuture(Duration.ofHours(3)))),
        400, "InvalidRequest");
    error(fx.graph("POST", path + "/reauthorize", null), 400, "InvalidRequest");
    bot.handshake = WebhookReceiver.Handshake.ECHO;
    assertEquals(Instant.parse(later), Instant.parse(fx.graph("GET", path, null).json().getString("expirationDateTime")),
        "failed updates change nothing");

    bot.validations.clear();
    EmulatorFixture.Response reauthorized = fx.graph("POST", path + "/reauthorize", null);
    assertEquals(204, reauthorized.status(), reauthorized.body());
    assertEquals("", reauthorized.body());
    assertEquals(2, bot.validations.size(), "reauthorizing validates the endpoints again");

    JsonObject control = fx.control("GET", "/emulator/subscriptions/" + s.getString("id"), null).json();
    assertEquals(1, control.getInteger("renewals"));
    assertEquals(1, control.getInteger("reauthorizations"));

    assertEquals(204, fx.graph("DELETE", path, null).status());
    error(fx.graph("GET", path, null), 404, "itemNotFound");
    error(fx.graph("DELETE", path, null), 404, "itemNotFound");
    error(fx.graph("PATCH", path, new JsonObject().put("expirationDateTime", later)), 404, "itemNotFound");
    error(fx.graph("POST", path + "/reauthorize", null), 404, "itemNotFound");
    assertTrue(graphList().isEmpty());
    assertEquals("deleted", fx.control("GET", "/emulator/subscriptions/" + s.getString("id"), null).json()
        .getString("state"));
  }

  @Test
  void aSubscriptionExpiresOnTheAcceleratedClockAndIsNotNotifiedAfterwards() {
    JsonObject s = fx.subscribe(fx.subscription("communications/presences/" + ADELE, "updated", notifications,
        Duration.ofMinutes(3))); // 300 real ms
    String path = "/v1.0/subscriptions/" + s.getString("id");
    assertEquals(200, fx.graph("GET", path, null).status());
    EmulatorFixture.sleep(450);
    JsonObject e = error(fx.graph("GET", path, null), 404, "itemNotFound");
    assertTrue(e.getString("message").contains("expired"), e.getString("message"));
    error(fx.graph("PATCH", path, new JsonObject().put("expirationDateTime", fx.inFuture(Duration.ofMinutes(30)))), 404,
        "itemNotFound");
    assertTrue(graphList().isEmpty());

    int m = bot.mark();
    assertEquals(200, fx.control("POST", "/emulator/users/" + ADELE + "/presence",
        new JsonObject().put("availability", "Busy").put("activity", "InACall")).status());
    EmulatorFixture.sleep(200);
    assertEquals(m, bot.received.size(), "an expired subscription gets nothing");
    assertTrue(fx.deliveries(s.getString("id")).isEmpty());
    JsonObject control = fx.control("GET", "/emulator/subscriptions/" + s.getString("id"), null).json();
    assertEquals("expired", control.getString("state"));
    assertNotNull(control.getString("endedDateTime"));
    error(fx.control("POST", "/emulator/subscriptions/" + s.getString("id") + "/notify",
        new JsonObject().put("changeType", "updated")), 404, "itemNotFound");
  }

  @Test
  void requestFaultsAndResetApplyToSubscriptions() {
    fx.control("POST", "/emulator/faults", new JsonObject().put("type", "throttle").put("method", "POST")
        .put("path", "/v1.0/subscriptions").put("retryAfterSeconds", 2));
    EmulatorFixture.Response throttled = fx.graph("POST", "/v1.0/subscriptions", callRecords(Duration.ofHours(1)));
    error(throttled, 429, "TooManyRequests");
    assertEquals("2", throttled.header("Retry-After"));
    assertTrue(bot.validations.isEmpty());
    JsonObject s = fx.subscribe(callRecords(Duration.ofHours(1)));

    JsonObject clock = fx.control("GET", "/emulator/clock", null).json();
    assertEquals(SPEED, clock.getDouble("speed"));
    Instant emulated = Instant.parse(clock.getString("now"));
    assertTrue(emulated.isAfter(Instant.now().plusSeconds(60)), "the emulated clock runs ahead: " + emulated);
    assertTrue(Duration.between(fx.emulator.clock().instant(), emulated).abs().toSeconds() < 60);

    fx.reset();
    assertTrue(graphList().isEmpty());
    error(fx.graph("GET", "/v1.0/subscriptions/" + s.getString("id"), null), 404, "itemNotFound");
    assertTrue(fx.control("GET", "/emulator/subscriptions", null).json().getJsonArray("value").isEmpty());
  }
}
