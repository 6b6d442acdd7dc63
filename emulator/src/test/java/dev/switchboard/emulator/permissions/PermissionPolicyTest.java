package dev.switchboard.emulator.permissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The permission table, row by row (graph-reference §9), without a server. */
class PermissionPolicyTest {

  private final PermissionPolicy policy = new PermissionPolicy(id -> Optional.ofNullable(Map.of(
      "rec", "/communications/callRecords", "pres", "communications/presences/u1").get(id)));

  private String required(String method, String path, JsonObject body) {
    return policy.required(method, path, () -> body).map(v -> v.requirement().toString()).orElse("no row");
  }

  private Refusal refusal(String method, String path) {
    return policy.required(method, path, () -> null).orElseThrow().refusal();
  }

  @Test
  void createCallNeedsWhatItsKindNeedsPlusMediaAccessForAppHostedMedia() {
    String calls = "/v1.0/communications/calls";
    JsonObject appHosted = new JsonObject().put("@odata.type", "#microsoft.graph.appHostedMediaConfig");
    assertEquals("Calls.Initiate.All", required("POST", calls, new JsonObject().put("targets", new JsonArray().add(1))));
    assertEquals("Calls.InitiateGroupCall.All", required("POST", calls,
        new JsonObject().put("targets", new JsonArray().add(1).add(2))));
    assertEquals("one of (Calls.JoinGroupCall.All, Calls.JoinGroupCallAsGuest.All)", required("POST", calls,
        new JsonObject().put("chatInfo", new JsonObject()).put("meetingInfo", new JsonObject())));
    assertEquals("Calls.Initiate.All and Calls.AccessMedia.All", required("POST", calls,
        new JsonObject().put("targets", new JsonArray().add(1)).put("mediaConfig", appHosted)));
    assertEquals("none", required("POST", calls, null), "a body that is not an object is the route's 400");
    assertEquals("none", required("POST", calls + "/c1/answer", new JsonObject()));
    assertEquals("Calls.AccessMedia.All", required("POST", calls + "/c1/answer", new JsonObject().put("mediaConfig", appHosted)));
    assertEquals("none", required("POST", calls + "/logTeleconferenceDeviceQuality", new JsonObject()));
  }

  @Test
  void callOperationsFollowTheReferenceTable() {
    String call = "/v1.0/communications/calls/c1";
    for (String action : List.of("redirect", "transfer")) {
      assertEquals("Calls.Initiate.All", required("POST", call + "/" + action, null), action);
    }
    assertEquals("Calls.InitiateGroupCall.All", required("POST", call + "/participants/invite", null));
    for (String action : List.of("recordResponse", "subscribeToTone", "changeScreenSharingRole", "SUBSCRIBETOTONE")) {
      assertEquals("Calls.AccessMedia.All", required("POST", call + "/" + action, null), action);
    }
    assertEquals("Calls.JoinGroupCall.All and Calls.AccessMedia.All", required("POST", call + "/updateRecordingStatus", null));
    for (String action : List.of("playPrompt", "cancelMediaProcessing", "keepAlive", "reject", "mute", "unmute",
        "sendDtmfTones", "participants/p1/mute", "participants/p1/startHoldMusic")) {
      assertEquals("none", required("POST", call + "/" + action, null), action);
    }
    assertEquals("none", required("GET", call, null));
    assertEquals("none", required("DELETE", call, null));
    assertEquals("none", required("GET", call + "/participants", null));
    assertEquals(Refusal.CALLING, refusal("POST", call + "/subscribeToTone"));
  }

  @Test
  void presenceMeetingsAndCallRecordsHaveTheirRowsAlready() {
    assertEquals("one of (Presence.Read.All, Presence.ReadWrite.All)", required("GET", "/v1.0/communications/presences/u1", null));
    assertEquals("one of (Presence.Read.All, Presence.ReadWrite.All)", required("POST", "/v1.0/communications/getPresencesByUserId", null));
    assertEquals("one of (Presence.Read.All, Presence.ReadWrite.All)", required("GET", "/v1.0/users/u1/presence", null));
    assertEquals("Presence.ReadWrite.All", required("POST", "/v1.0/users/u1/presence/setPresence", null));
    assertEquals("Presence.ReadWrite.All", required("POST", "/v1.0/users/u1/presence/clearUserPreferredPresence", null));
    assertEquals("OnlineMeetings.ReadWrite.All", required("POST", "/v1.0/users/u1/onlineMeetings", null));
    assertEquals("OnlineMeetings.ReadWrite.All", required("POST", "/v1.0/users/u1/onlineMeetings/createOrGet", null));
    assertEquals("OnlineMeetings.ReadWrite.All", required("PATCH", "/v1.0/users/u1/onlineMeetings/m1", null));
    assertEquals("OnlineMeetings.ReadWrite.All", required("DELETE", "/v1.0/users/u1/onlineMeetings/m1", null));
    assertEquals("one of (OnlineMeetings.ReadWrite.All, OnlineMeetings.Read.All)", required("GET", "/v1.0/users/u1/onlineMeetings/m1", null));
    assertEquals("one of (OnlineMeetings.ReadWrite.All, OnlineMeetings.Read.All)", required("GET", "/v1.0/communications/onlineMeetings/", null));
    assertEquals("CallRecords.Read.All", required("GET", "/v1.0/communications/callRecords/r1", null));
    assertEquals("CallRecords.Read.All", required("GET",
        "/v1.0/communications/callRecords/getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01)", null));
    assertEquals(Refusal.GRAPH, refusal("GET", "/v1.0/communications/callRecords/r1"));
    assertEquals("no row", required("GET", "/v1.0/communications/somethingElse", null));
  }

  @Test
  void subscriptionsNeedWhatTheirResourceNeeds() {
    assertEquals("CallRecords.Read.All", required("POST", "/v1.0/subscriptions",
        new JsonObject().put("resource", "/communications/callRecords")));
    assertEquals("one of (Presence.Read.All, Presence.ReadWrite.All)", required("POST", "/v1.0/subscriptions",
        new JsonObject().put("resource", "communications/presences?$filter=id in ('a')")));
    assertEquals("one of (OnlineMeetings.ReadWrite.All, OnlineMeetings.Read.All)", required("POST", "/v1.0/subscriptions",
        new JsonObject().put("resource", "communications/onlineMeetings/?$filter=JoinWebUrl eq 'x'")));
    assertEquals("none", required("POST", "/v1.0/subscriptions", new JsonObject().put("resource", "me/messages")));
    assertEquals("none", required("GET", "/v1.0/subscriptions", null));
    assertEquals("CallRecords.Read.All", required("PATCH", "/v1.0/subscriptions/rec", null));
    assertEquals("one of (Presence.Read.All, Presence.ReadWrite.All)", required("POST", "/v1.0/subscriptions/pres/reauthorize", null));
    assertEquals("none", required("DELETE", "/v1.0/subscriptions/unknown", null), "the route's 404");
    assertEquals("none", required("GET", "/v1.0/subscriptions//", null));
  }

  @Test
  void aRefusalNamesWhatIsMissingAndTheRolesOnTheRequest() {
    Requirement join = Requirement.anyOf(GraphPermission.CALLS_JOIN_GROUP_CALL, GraphPermission.CALLS_JOIN_GROUP_CALL_AS_GUEST)
        .and(Requirement.anyOf(GraphPermission.CALLS_ACCESS_MEDIA));
    List<String> roles = List.of("Calls.AccessMedia.All", "Presence.Read.All");
    assertEquals(1, join.unmetBy(roles).size());
    var e = Refusal.SUBSCRIPTIONS.refuse("PATCH", "/v1.0/subscriptions/s1", join.unmetBy(roles), roles);
    assertEquals(403, e.status());
    assertEquals("ExtensionError", e.code());
    assertTrue(e.getMessage().startsWith("Operation: Update; Exception: [Status Code: Forbidden; Reason: Missing role"
        + " permissions on the request. API requires one of 'Calls.JoinGroupCall.All, Calls.JoinGroupCallAsGuest.All'."
        + " Roles on the request 'Calls.AccessMedia.All, Presence.Read.All'."), e.getMessage());
    assertEquals("Forbidden", Refusal.GRAPH.refuse("GET", "/v1.0/x", join.unmetBy(List.of()), List.of()).code());
  }
}
