package dev.switchboard.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The presence API (graph-reference §6): sessions and their precedence, preferred presence, idle
 * and expiry on an accelerated clock, the limits and refusals, one model with the control API, and
 * a change notification per change of what a user shows.
 */
class PresenceTest {

  private static final String ADELE = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01";
  private static final String ALEX = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e02";
  private static final String MEGAN = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e03";
  /** 1 emulated minute = 500 real ms: an Available session idles after 2.5 s, turns Away after 5 s. */
  private static final double SPEED = 120;

  private static EmulatorFixture fx;
  private static WebhookReceiver bot;
  private static String appId;

  @BeforeAll
  static void start() {
    fx = new EmulatorFixture(SPEED);
    bot = new WebhookReceiver(fx.vertx, false);
    appId = fx.emulator.graphConfig().getString("clientId");
  }

  @AfterAll
  static void stop() {
    bot.close();
    fx.close();
  }

  @AfterEach
  void reset() {
    fx.reset();
    fx.forgetToken();
    bot.clear();
  }

  private static JsonObject pair(String availability, String activity) {
    return new JsonObject().put("availability", availability).put("activity", activity);
  }

  private static JsonObject session(String availability, String activity, String expiration) {
    JsonObject b = pair(availability, activity).put("sessionId", appId);
    return expiration == null ? b : b.put("expirationDuration", expiration);
  }

  private static EmulatorFixture.Response action(String user, String action, JsonObject body) {
    return fx.graph("POST", "/v1.0/users/" + user + "/presence/" + action, body);
  }

  private static void ok(String user, String action, JsonObject body) {
    EmulatorFixture.Response r = action(user, action, body);
    assertEquals(200, r.status(), action + ": " + r.body());
  }

  private static JsonObject shown(String user) {
    EmulatorFixture.Response r = fx.graph("GET", "/v1.0/users/" + user + "/presence", null);
    assertEquals(200, r.status(), r.body());
    JsonObject p = r.json();
    return pair(p.getString("availability"), p.getString("activity"));
  }

  private static void assertError(int status, String code, EmulatorFixture.Response r) {
    assertEquals(status, r.status(), r.body());
    assertEquals(code, r.json().getJsonObject("error").getString("code"), r.body());
  }

  private static void awaitShown(String user, JsonObject expected, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    JsonObject last;
    do {
      last = shown(user);
      if (last.equals(expected)) {
        return;
      }
      EmulatorFixture.sleep(20);
    } while (System.currentTimeMillis() < deadline);
    fail(user + " shows " + last + ", expected " + expected + " within " + timeoutMs + " ms");
  }

  @Test
  void userSetStateWinsOverAppSessionsAndSessionsRankDoNotDisturbBusyAvailableAway() {
    // the control API reports the user's own Teams client: one session of the same model
    fx.control("POST", "/emulator/users/" + ADELE + "/presence", pair("Away", "Away"));
    assertEquals(pair("Away", "Away"), shown(ADELE));
    ok(ADELE, "setPresence", session("Busy", "InACall", "PT1H"));
    assertEquals(pair("Busy", "InACall"), shown(ADELE), "Busy (app) > Away (client)");
    assertEquals(pair("Busy", "InACall"), fx.control("GET", "/emulator/users/" + ADELE, null).json()
        .getJsonObject("presence"), "the control API shows the computed presence");
    fx.control("POST", "/emulator/users/" + ADELE + "/presence", pair("DoNotDisturb", "Presenting"));
    assertEquals(pair("DoNotDisturb", "Presenting"), shown(ADELE), "DoNotDisturb (client) > Busy (app)");
    fx.control("POST", "/emulator/users/" + ADELE + "/presence", pair("Available", "Available"));
    assertEquals(pair("Busy", "InACall"), shown(ADELE), "Busy (app) > Available (client)");
    ok(ADELE, "setPresence", session("Away", "Away", null));
    assertEquals(pair("Available", "Available"), shown(ADELE), "Available (client) > Away (app, replaced)");

    // preferred presence wins over every session, until cleared
    ok(ADELE, "setUserPreferredPresence", pair("BeRightBack", "BeRightBack"));
    assertEquals(pair("BeRightBack", "BeRightBack"), shown(ADELE));
    ok(ADELE, "setPresence", session("DoNotDisturb", "Presenting", "PT1H"));
    assertEquals(pair("BeRightBack", "BeRightBack"), shown(ADELE), "preferred > DoNotDisturb session");
    ok(ADELE, "clearUserPreferredPresence", null);
    assertEquals(pair("DoNotDisturb", "Presenting"), shown(ADELE));

    ok(ADELE, "clearPresence", new JsonObject().put("sessionId", appId));
    assertEquals(pair("Available", "Available"), shown(ADELE));
    assertError(404, "itemNotFound", action(ADELE, "clearPresence", new JsonObject().put("sessionId", appId)));

    // preferred presence needs a session: without one the user stays Offline
    assertEquals(pair("Offline", "Offline"), shown(MEGAN));
    ok(MEGAN, "setUserPreferredPresence", pair("Busy", "Busy").put("expirationDuration", "PT8H"));
    assertEquals(pair("Offline", "Offline"), shown(MEGAN));
    ok(MEGAN, "setPresence", session("Available", "Available", "PT1H"));
    assertEquals(pair("Busy", "Busy"), shown(MEGAN));
  }

  @Test
  void anAvailableSessionIdlesThenTurnsAwayAndASessionEndsAtItsExpiration() {
    long t0 = System.currentTimeMillis();
    ok(ALEX, "setPresence", session("Available", "Available", "PT1H"));
    ok(MEGAN, "setPresence", session("Busy", "InACall", "PT5M"));
    if (System.currentTimeMillis() - t0 < 2000) { // 4 emulated minutes: nothing has changed yet
      assertEquals(pair("Available", "Available"), shown(ALEX));
      assertEquals(pair("Busy", "InACall"), shown(MEGAN));
    }
    // 5 emulated minutes: Alex idles, Megan's session expires
    awaitShown(ALEX, pair("AvailableIdle", "Inactive"), 4000);
    awaitShown(MEGAN, pair("Offline", "Offline"), 4000);
    long idleAt = System.currentTimeMillis() - t0;
    assertTrue(idleAt >= 2400, "idle after 5 emulated minutes (2.5 s), was " + idleAt + " ms");
    // 10 emulated minutes after it was set: Away
    awaitShown(ALEX, pair("Away", "Away"), 4000);
    assertTrue(System.currentTimeMillis() - t0 >= 4900, "Away after 10 emulated minutes");
    // setting the session again makes it fresh
    ok(ALEX, "setPresence", session("Available", "Available", "PT1H"));
    assertEquals(pair("Available", "Available"), shown(ALEX));
    assertError(404, "itemNotFound", action(MEGAN, "clearPresence", new JsonObject().put("sessionId", appId)));
  }

  @Test
  void onlyTheDocumentedPairsDurationsAndSessionIdAreAccepted() {
    for (JsonObject bad : List.of(pair("Busy", "Busy"), pair("Available", "InACall"), pair("Offline", "OffWork"),
        pair("BeRightBack", "BeRightBack"), pair("Sleepy", "Away"))) {
      assertError(400, "invalidRequest", action(ADELE, "setPresence", bad.copy().put("sessionId", appId)));
    }
    for (JsonObject bad : List.of(pair("Busy", "InACall"), pair("Available", "Away"), pair("DoNotDisturb", "Presenting"))) {
      assertError(400, "invalidRequest", action(ADELE, "setUserPreferredPresence", bad));
    }
    for (String d : List.of("PT4M59S", "PT4H1M", "P1D", "an hour")) {
      assertError(400, "invalidRequest", action(ADELE, "setPresence", session("Busy", "InACall", d)));
    }
    ok(ADELE, "setPresence", session("Busy", "InACall", "PT5M"));
    ok(ADELE, "setPresence", session("Busy", "InAConferenceCall", "PT4H"));
    ok(ADELE, "setPresence", session("DoNotDisturb", "Presenting", null));
    ok(ADELE, "setUserPreferredPresence", pair("Offline", "OffWork"));
    assertEquals(pair("Offline", "OffWork"), shown(ADELE));

    EmulatorFixture.Response other = action(ADELE, "setPresence", session("Busy", "InACall", "PT1H")
        .put("sessionId", "22553876-f5ab-4529-bffb-cfe50aa89f87"));
    assertError(400, "invalidRequest", other);
    assertTrue(other.json().getJsonObject("error").getString("message").contains(appId), other.body());
    assertError(400, "invalidRequest", action(ADELE, "setPresence", pair("Busy", "InACall")));
    assertError(404, "ResourceNotFound", action("no-such-user", "setPresence", session("Busy", "InACall", null)));
    assertError(404, "ResourceNotFound", fx.graph("GET", "/v1.0/users/no-such-user/presence", null));
    assertError(404, "ResourceNotFound", fx.graph("GET", "/v1.0/communications/presences/no-such-user", null));
  }

  @Test
  void getPresencesByUserIdTakesAtMost650Ids() {
    JsonArray ids = new JsonArray().add(ADELE).add(ALEX);
    for (int i = ids.size(); i < 650; i++) {
      ids.add("00000000-0000-0000-0000-" + String.format("%012d", i));
    }
    EmulatorFixture.Response r = fx.graph("POST", "/v1.0/communications/getPresencesByUserId",
        new JsonObject().put("ids", ids));
    assertEquals(200, r.status(), r.body());
    JsonArray value = r.json().getJsonArray("value");
    assertEquals(650, value.size());
    assertEquals(ADELE, value.getJsonObject(0).getString("id"));
    assertEquals("PresenceUnknown", value.getJsonObject(649).getString("availability"));
    assertError(400, "invalidRequest", fx.graph("POST", "/v1.0/communications/getPresencesByUserId",
        new JsonObject().put("ids", ids.copy().add("one-too-many"))));
    assertError(400, "invalidRequest", fx.graph("POST", "/v1.0/communications/getPresencesByUserId",
        new JsonObject().put("ids", new JsonArray())));
  }

  @Test
  void meIsRefusedWithAnApplicationToken() {
    assertError(400, "BadRequest", fx.graph("GET", "/v1.0/me/presence", null));
    EmulatorFixture.Response r = fx.graph("POST", "/v1.0/me/presence/setPresence", session("Busy", "InACall", null));
    assertError(400, "BadRequest", r);
    assertEquals("/me request is only valid with delegated authentication flow.",
        r.json().getJsonObject("error").getString("message"));
  }

  @Test
  void theRoutesNeedThePresencePermissions() {
    fx.control("POST", "/emulator/roles/revoke", new JsonObject().put("roles", new JsonArray().add("Presence.ReadWrite.All")));
    fx.forgetToken();
    assertEquals(200, fx.graph("GET", "/v1.0/users/" + ADELE + "/presence", null).status());
    assertError(403, "Forbidden", action(ADELE, "setPresence", session("Busy", "InACall", null)));
    fx.control("POST", "/emulator/roles/revoke", new JsonObject().put("roles", new JsonArray().add("Presence.Read.All")));
    fx.forgetToken();
    assertError(403, "Forbidden", fx.graph("GET", "/v1.0/users/" + ADELE + "/presence", null));
    assertError(403, "Forbidden", fx.graph("GET", "/v1.0/communications/presences/" + ADELE, null));
    assertError(403, "Forbidden", fx.graph("POST", "/v1.0/communications/getPresencesByUserId",
        new JsonObject().put("ids", new JsonArray().add(ADELE))));
  }

  @Test
  void aSubscriptionGetsOneNotificationPerChangeOfWhatTheUserShows() {
    JsonObject sub = fx.subscribe(fx.subscription("/communications/presences?$filter=id in ('" + ADELE + "','"
        + ALEX + "')", "updated", bot.url("/callbacks/notifications"), Duration.ofMinutes(55)));
    Predicate<WebhookReceiver.Received> mine = WebhookReceiver.about(sub.getString("id"));
    int from = bot.mark();
    ok(ADELE, "setPresence", session("Busy", "InACall", "PT5M"));              // Offline -> Busy    1
    ok(ADELE, "setUserPreferredPresence", pair("DoNotDisturb", "DoNotDisturb")); // -> DND           2
    ok(ADELE, "setPresence", session("Busy", "InAConferenceCall", "PT5M"));    // still DND (no change)
    ok(ADELE, "setStatusMessage", new JsonObject().put("statusMessage", new JsonObject()
        .put("message", new JsonObject().put("content", "In a call").put("contentType", "text")))); // no change
    ok(ADELE, "clearUserPreferredPresence", null);                              // -> Busy/InAConf. 3
    fx.control("POST", "/emulator/users/" + ALEX + "/presence", pair("Away", "Away")); // Alex      4
    // Adele's session expires 5 emulated minutes after it was set: -> Offline                      5
    bot.await(from, r -> mine.test(r) && bot.received.stream().skip(from).filter(mine).count() >= 5, 6000);
    EmulatorFixture.sleep(300);
    List<WebhookReceiver.Received> got = bot.received.stream().skip(from).filter(mine).toList();
    assertEquals(5, got.size(), got.stream().map(r -> r.envelope().encode()).toList().toString());
    assertEquals(4, got.stream().filter(r -> r.notification().getString("resource").endsWith(ADELE)).count());
    for (WebhookReceiver.Received r : got) {
      assertEquals("updated", r.notification().getString("changeType"));
    }
    assertEquals(pair("Offline", "Offline"), shown(ADELE));
  }

  @Test
  void aRemovedUsersSessionsDoNotComeBackWithTheId() {
    String id = "0d9b3c1e-5f7a-4b2c-8d6e-1a2b3c4d5e6f";
    assertEquals(201, fx.control("POST", "/emulator/users", new JsonObject().put("id", id)).status());
    ok(id, "setPresence", session("Busy", "InACall", "PT1H"));
    ok(id, "setStatusMessage", new JsonObject().put("statusMessage", new JsonObject()
        .put("message", new JsonObject().put("content", "x").put("contentType", "text"))));
    assertEquals(pair("Busy", "InACall"), shown(id));
    assertEquals(204, fx.control("DELETE", "/emulator/users/" + id, null).status());
    assertError(404, "ResourceNotFound", fx.graph("GET", "/v1.0/users/" + id + "/presence", null));
    assertEquals(201, fx.control("POST", "/emulator/users", new JsonObject().put("id", id)).status());
    JsonObject p = fx.graph("GET", "/v1.0/users/" + id + "/presence", null).json();
    assertEquals(pair("Offline", "Offline"), pair(p.getString("availability"), p.getString("activity")));
    assertEquals(null, p.getValue("statusMessage"));
    assertError(404, "itemNotFound", action(id, "clearPresence", new JsonObject().put("sessionId", appId)));
  }

  @Test
  void theStatusMessageIsServedWithThePresence() {
    JsonObject status = new JsonObject().put("message", new JsonObject().put("content", "Hey I am available now")
        .put("contentType", "text"));
    ok(ADELE, "setStatusMessage", new JsonObject().put("statusMessage", status));
    JsonObject p = fx.graph("GET", "/v1.0/users/" + ADELE + "/presence", null).json();
    assertEquals(status, p.getJsonObject("statusMessage"));
    assertEquals(new JsonObject().putNull("message").put("isOutOfOffice", false), p.getJsonObject("outOfOfficeSettings"));
    assertError(400, "invalidRequest", action(ADELE, "setStatusMessage", new JsonObject()));
    assertError(400, "invalidRequest", action(ADELE, "setStatusMessage", new JsonObject().put("statusMessage",
        new JsonObject().put("message", new JsonObject().put("content", "x").put("contentType", "rtf")))));
  }
}
