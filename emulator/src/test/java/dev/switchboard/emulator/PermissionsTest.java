package dev.switchboard.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The application's granted permissions: the option, the control API, the tokens' roles and the 403s. */
class PermissionsTest {

  private static final String CALLS = "/v1.0/communications/calls";
  private static final List<String> ALL = List.of("Calls.Initiate.All", "Calls.InitiateGroupCall.All",
      "Calls.JoinGroupCall.All", "Calls.JoinGroupCallAsGuest.All", "Calls.AccessMedia.All",
      "OnlineMeetings.ReadWrite.All", "OnlineMeetings.Read.All", "Presence.Read.All", "Presence.ReadWrite.All",
      "CallRecords.Read.All");
  private static final String ADELE = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01";
  private static final String ALEX = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e02";
  private static EmulatorFixture fx;

  @BeforeAll
  static void start() {
    fx = new EmulatorFixture(5);
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @AfterEach
  void reset() {
    fx.reset();
  }

  @Test
  void byDefaultTheApplicationHasEveryPermissionTheBundlesNeedAndItsTokensCarryThem() {
    JsonObject roles = fx.control("GET", "/emulator/roles", null).json();
    assertEquals(ALL, roles.getJsonArray("roles").getList());
    assertEquals(ALL, roles.getJsonArray("configured").getList());
    assertEquals(ALL, roles.getJsonArray("available").getList());
    assertEquals(ALL, claims(fx.token()).getJsonArray("roles").getList());
    assertEquals(ALL, EmulatorOptions.DEFAULT_ROLES);
  }

  @Test
  void withoutAccessMediaSubscribeToToneAndRecordResponseAre403ButPlayPromptWorks() {
    String call = fx.answeredIncomingCall(new JsonObject().put("from", "+14255550188"));
    String before = fx.token();
    setRoles(without("Calls.AccessMedia.All"));
    fx.forgetToken();
    assertFalse(claims(fx.token()).getJsonArray("roles").contains("Calls.AccessMedia.All"));

    EmulatorFixture.Response tone = fx.request("POST", CALLS + "/" + call + "/subscribeToTone",
        new JsonObject().put("clientContext", "c1"), "Bearer " + fx.token(), Map.of("client-request-id", "crid-1"));
    assertEquals(403, tone.status(), tone.body());
    JsonObject error = tone.json().getJsonObject("error");
    assertEquals("7504", error.getString("code"));
    assertTrue(error.getString("message").startsWith("Insufficient enterprise tenant permissions, cannot access this API."
        + " Missing role permissions on the request. API requires one of 'Calls.AccessMedia.All'. Roles on the request"
        + " 'Calls.Initiate.All, "), error.getString("message"));
    assertTrue(error.getString("message").contains("POST /emulator/roles/grant"), error.getString("message"));
    JsonObject inner = error.getJsonObject("innerError");
    assertEquals(tone.header("request-id"), inner.getString("request-id"));
    assertEquals("crid-1", inner.getString("client-request-id"));
    assertTrue(inner.getString("date").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d"), inner.getString("date"));

    EmulatorFixture.Response record = fx.graph("POST", CALLS + "/" + call + "/recordResponse", new JsonObject());
    assertEquals(403, record.status(), record.body());
    assertEquals("7504", record.json().getJsonObject("error").getString("code"));

    EmulatorFixture.Response prompt = fx.graph("POST", CALLS + "/" + call + "/playPrompt", new JsonObject()
        .put("prompts", new JsonArray().add(new JsonObject().put("@odata.type", "#microsoft.graph.mediaPrompt")
            .put("mediaInfo", new JsonObject().put("uri", fx.promptBase + "ok.wav")))));
    assertEquals(200, prompt.status(), prompt.body());

    // Graph checks the roles of the token presented, not the application's current grants
    assertEquals(200, fx.request("POST", CALLS + "/" + call + "/subscribeToTone", new JsonObject(), "Bearer " + before)
        .status());

    JsonArray journal = fx.control("GET", "/emulator/requests?path=/subscribeToTone", null).json().getJsonArray("value");
    assertEquals(List.of(403, 200), journal.stream().map(e -> ((JsonObject) e).getInteger("status")).toList());
  }

  @Test
  void withoutInitiateAPeerToPeerCallIs403AndAGrantAppliesToTokensIssuedAfterwards() {
    setRoles(without("Calls.Initiate.All"));
    fx.forgetToken();
    String lacking = fx.token();
    EmulatorFixture.Response p2p = fx.graph("POST", CALLS, outgoingCall(ADELE));
    assertEquals(403, p2p.status(), p2p.body());
    assertTrue(p2p.json().getJsonObject("error").getString("message").contains("one of 'Calls.Initiate.All'"), p2p.body());
    assertEquals(201, fx.graph("POST", CALLS, outgoingCall(ADELE, ALEX)).status(), "a group call needs InitiateGroupCall");

    JsonObject granted = fx.control("POST", "/emulator/roles/grant", new JsonObject()
        .put("roles", new JsonArray().add("calls.initiate.all"))).json();
    assertEquals(ALL, granted.getJsonArray("roles").getList());
    assertEquals(403, fx.request("POST", CALLS, outgoingCall(ADELE), "Bearer " + lacking).status(),
        "a token issued before the grant keeps its roles");
    fx.forgetToken();
    assertEquals(201, fx.graph("POST", CALLS, outgoingCall(ADELE)).status());
  }

  @Test
  void joiningAMeetingNeedsEitherJoinPermissionAndAppHostedMediaNeedsAccessMedia() {
    JsonObject revoked = fx.control("POST", "/emulator/roles/revoke", new JsonObject().put("roles", new JsonArray()
        .add("Calls.JoinGroupCall.All").add("Calls.JoinGroupCallAsGuest.All").add("Calls.AccessMedia.All"))).json();
    assertEquals(7, revoked.getJsonArray("roles").size());
    fx.forgetToken();
    JsonObject meeting = new JsonObject().put("callbackUri", fx.botUrl)
        .put("requestedModalities", new JsonArray().add("audio"))
        .put("mediaConfig", new JsonObject().put("@odata.type", "#microsoft.graph.appHostedMediaConfig"))
        .put("chatInfo", new JsonObject().put("threadId", "19:meeting_x@thread.v2").put("messageId", "0"))
        .put("meetingInfo", new JsonObject().put("@odata.type", "#microsoft.graph.organizerMeetingInfo")
            .put("organizer", new JsonObject().put("user", new JsonObject().put("id", ADELE))));
    EmulatorFixture.Response join = fx.graph("POST", CALLS, meeting);
    assertEquals(403, join.status(), join.body());
    assertTrue(join.json().getJsonObject("error").getString("message").contains("API requires one of"
        + " 'Calls.JoinGroupCall.All, Calls.JoinGroupCallAsGuest.All' and one of 'Calls.AccessMedia.All'."), join.body());

    fx.control("POST", "/emulator/roles/grant", new JsonObject().put("roles", new JsonArray().add("Calls.JoinGroupCallAsGuest.All")));
    fx.forgetToken();
    EmulatorFixture.Response media = fx.graph("POST", CALLS, meeting);
    assertEquals(403, media.status(), media.body());
    assertTrue(media.json().getJsonObject("error").getString("message").contains("API requires one of"
        + " 'Calls.AccessMedia.All'. Roles"), media.body());
  }

  @Test
  void aSubscriptionNeedsWhatReadingItsResourceNeeds() {
    setRoles(without("CallRecords.Read.All"));
    fx.forgetToken();
    EmulatorFixture.Response r = fx.graph("POST", "/v1.0/subscriptions", fx.subscription("/communications/callRecords",
        "created", fx.emulator.baseUrl() + "/emulator/webhook/n", Duration.ofMinutes(30)));
    assertEquals(403, r.status(), r.body());
    JsonObject error = r.json().getJsonObject("error");
    assertEquals("ExtensionError", error.getString("code"));
    assertTrue(error.getString("message").startsWith("Operation: Create; Exception: [Status Code: Forbidden; Reason:"
        + " Missing role permissions on the request. API requires one of 'CallRecords.Read.All'."), r.body());
  }

  @Test
  void rolesCanBeReplacedWithNoneAndResetRestoresTheConfiguredOnes() {
    JsonObject none = fx.control("PUT", "/emulator/roles", new JsonObject().put("roles", new JsonArray())).json();
    assertEquals(List.of(), none.getJsonArray("roles").getList());
    fx.forgetToken();
    assertNull(claims(fx.token()).getValue("roles"), "Entra ID leaves out roles when none is granted");
    EmulatorFixture.Response refused = fx.graph("POST", CALLS, outgoingCall(ADELE));
    assertEquals(403, refused.status());
    assertTrue(refused.body().contains("Roles on the request ''."), refused.body());
    assertEquals(404, fx.graph("GET", CALLS + "/nope", null).status(), "routes that need nothing more still work");

    fx.reset();
    assertEquals(ALL, fx.control("GET", "/emulator/roles", null).json().getJsonArray("roles").getList());
    assertEquals(ALL, claims(fx.token()).getJsonArray("roles").getList());
  }

  @Test
  void unknownPermissionNamesAreRefusedListingTheValidOnes() {
    EmulatorFixture.Response r = fx.control("PUT", "/emulator/roles", new JsonObject()
        .put("roles", new JsonArray().add("Calls.Initiate.All").add("Calls.Everything")));
    assertEquals(400, r.status());
    JsonObject error = r.json().getJsonObject("error");
    assertEquals("invalidRequest", error.getString("code"));
    assertEquals("Unknown application permission 'Calls.Everything'. Valid permissions: " + String.join(", ", ALL) + ".",
        error.getString("message"));
    assertEquals(400, fx.control("POST", "/emulator/roles/grant", new JsonObject().put("roles", "Calls.Initiate.All"))
        .status());
    assertEquals(ALL, fx.control("GET", "/emulator/roles", null).json().getJsonArray("roles").getList(), "nothing changed");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new EmulatorOptions().setRoles(List.of("Presence.Read")));
    assertTrue(e.getMessage().startsWith("Unknown application permission 'Presence.Read'. Valid permissions: Calls."),
        e.getMessage());
  }

  @Test
  void theConfiguredRolesAreWhatTheApplicationHasAtStartAndAfterAReset() {
    try (EmulatorFixture only = new EmulatorFixture(new EmulatorOptions().setClockSpeed(20)
        .setRoles(List.of("calls.initiate.all", "Calls.AccessMedia.All")))) {
      List<String> configured = List.of("Calls.Initiate.All", "Calls.AccessMedia.All");
      assertEquals(configured, claims(only.token()).getJsonArray("roles").getList());
      assertEquals(403, only.graph("POST", CALLS, outgoingCall(ADELE, ALEX)).status());
      only.control("POST", "/emulator/roles/grant", new JsonObject().put("roles", new JsonArray().add("Presence.Read.All")));
      only.reset();
      JsonObject roles = only.control("GET", "/emulator/roles", null).json();
      assertEquals(configured, roles.getJsonArray("roles").getList());
      assertEquals(configured, roles.getJsonArray("configured").getList());
    }
  }

  private static void setRoles(List<String> roles) {
    EmulatorFixture.Response r = fx.control("PUT", "/emulator/roles", new JsonObject().put("roles", new JsonArray(roles)));
    assertEquals(200, r.status(), r.body());
    assertEquals(roles, r.json().getJsonArray("roles").getList());
  }

  private static List<String> without(String permission) {
    return ALL.stream().filter(p -> !p.equals(permission)).toList();
  }

  private static JsonObject outgoingCall(String... userIds) {
    JsonArray targets = new JsonArray();
    for (String id : userIds) {
      targets.add(EmulatorFixture.userTarget(id));
    }
    return new JsonObject().put("callbackUri", fx.botUrl).put("targets", targets)
        .put("requestedModalities", new JsonArray().add("audio")).put("mediaConfig", EmulatorFixture.serviceHosted());
  }

  private static JsonObject claims(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }
}
