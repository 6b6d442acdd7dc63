package dev.switchboard.emulator.meetings;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One emulated onlineMeeting (graph-reference §5): what Graph generates at creation (ids, join URL,
 * chat thread, dial-in, passcode) and what PATCH may change. Lives on the emulator's context.
 */
final class OnlineMeeting {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern ESCAPE = Pattern.compile("%[0-9A-F]{2}");
  static final String TOLL_NUMBER = "+1 206-555-0100";
  static final String TOLL_FREE_NUMBER = "+1 800-555-0100";

  final String id;
  final String organizerId;
  final JsonObject organizer;
  final String tenantId;
  final String threadId;
  final String joinWebUrl;
  final String joinMeetingId;
  final String passcode;
  final boolean passcodeRequired;
  final String conferenceId;
  final String videoTeleconferenceId;
  final Instant created;
  final String externalId;
  Instant start;
  Instant end;
  String subject;
  JsonArray attendees;
  JsonObject lobbyBypassSettings;
  String allowedPresenters;
  boolean entryExitAnnounced;

  OnlineMeeting(JsonObject organizer, String organizerId, String tenantId, Instant created, String externalId,
      boolean passcodeRequired) {
    this.organizer = organizer;
    this.organizerId = organizerId;
    this.tenantId = tenantId;
    this.created = created;
    this.externalId = externalId;
    this.passcodeRequired = passcodeRequired;
    this.threadId = "19:meeting_" + Base64.getEncoder().withoutPadding()
        .encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII)) + "@thread.v2";
    // Graph's ids are base64 of "1*<organizer>*0**<thread>"; URL-safe here so that they fit in a path
    this.id = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(("1*" + organizerId + "*0**" + threadId).getBytes(StandardCharsets.UTF_8));
    this.joinWebUrl = "https://teams.microsoft.com/l/meetup-join/" + teamsEncode(threadId) + "/0?context="
        + teamsEncode(new JsonObject().put("Tid", tenantId).put("Oid", organizerId).encode());
    this.joinMeetingId = digits(12);
    this.passcode = passcode();
    this.conferenceId = digits(9);
    this.videoTeleconferenceId = digits(10);
  }

  /** The onlineMeeting resource as Graph serves it. */
  JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("@odata.type", "#microsoft.graph.onlineMeeting")
        .put("id", id)
        .put("creationDateTime", created.toString())
        .put("startDateTime", start.toString())
        .put("endDateTime", end.toString())
        .put("joinWebUrl", joinWebUrl)
        .put("subject", subject)
        .put("isBroadcast", false)
        .put("autoAdmittedUsers", "EveryoneInCompany")
        .put("outerMeetingAutoAdmittedUsers", null)
        .put("isEntryExitAnnounced", entryExitAnnounced)
        .put("allowedPresenters", allowedPresenters)
        .put("allowMeetingChat", "enabled")
        .put("allowAttendeeToEnableCamera", true)
        .put("allowAttendeeToEnableMic", true)
        .put("recordAutomatically", false)
        .put("videoTeleconferenceId", videoTeleconferenceId)
        .put("participants", new JsonObject()
            .put("@odata.type", "#microsoft.graph.meetingParticipants")
            .put("organizer", organizer.copy())
            .put("attendees", attendees.copy())
            .put("producers", new JsonArray())
            .put("contributors", new JsonArray()))
        .put("lobbyBypassSettings", lobbyBypassSettings.copy())
        .put("audioConferencing", new JsonObject()
            .put("@odata.type", "#microsoft.graph.audioConferencing")
            .put("conferenceId", conferenceId)
            .put("ConferenceId", conferenceId) // as older docs spell it
            .put("tollNumber", TOLL_NUMBER)
            .put("tollFreeNumber", TOLL_FREE_NUMBER)
            .put("dialinUrl", "https://dialin.teams.microsoft.com/" + UUID.nameUUIDFromBytes(id.getBytes(
                StandardCharsets.UTF_8)) + "?id=" + conferenceId))
        .put("chatInfo", new JsonObject()
            .put("@odata.type", "#microsoft.graph.chatInfo")
            .put("threadId", threadId)
            .put("messageId", "0")
            .put("replyChainMessageId", "0"))
        .put("joinMeetingIdSettings", new JsonObject()
            .put("joinMeetingId", joinMeetingId)
            .put("passcode", passcodeRequired ? passcode : null)
            .put("isPasscodeRequired", passcodeRequired))
        .put("joinInformation", new JsonObject()
            .put("content", "data:text/html," + URLEncoder.encode("<p>Microsoft Teams meeting</p><p><a href=\""
                + joinWebUrl + "\">Click here to join the meeting</a></p><p>Meeting ID: " + joinMeetingId
                + (passcodeRequired ? " Passcode: " + passcode : "") + "</p>", StandardCharsets.UTF_8)
                .replace("+", "%20"))
            .put("contentType", "html"));
    if (externalId != null) {
      json.put("externalId", externalId);
    }
    return json;
  }

  /** The identity set of the organizer (for a join's participant list). */
  JsonObject organizerIdentity() {
    return organizer.getJsonObject("identity").copy();
  }

  /** Percent-encodes as Teams join URLs do: lower-case escapes ({@code 19%3ameeting_...%40thread.v2}). */
  static String teamsEncode(String s) {
    Matcher m = ESCAPE.matcher(URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"));
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, m.group().toLowerCase(java.util.Locale.ROOT));
    }
    return m.appendTail(out).toString();
  }

  private static String digits(int n) {
    StringBuilder b = new StringBuilder().append(1 + RANDOM.nextInt(9));
    while (b.length() < n) {
      b.append(RANDOM.nextInt(10));
    }
    return b.toString();
  }

  private static String passcode() {
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
