package dev.switchboard.calling;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A Teams meeting join URL taken apart (graph-reference §1.1):
 * {@code https://teams.microsoft.com/l/meetup-join/19:meeting_X@thread.v2/0?context={"Tid":"<tenant>","Oid":"<organizer>"}},
 * percent-encoded or not.
 *
 * @param threadId {@code chatInfo.threadId}
 * @param messageId {@code chatInfo.messageId}
 * @param tenantId the meeting's tenant ({@code Tid})
 * @param organizerId the organizer's user id ({@code Oid})
 */
record TeamsJoinUrl(String threadId, String messageId, String tenantId, String organizerId) {

  private static final String MARKER = "/l/meetup-join/";

  /**
   * @throws SwitchboardException 422 {@code invalidJoinUrl} saying what is missing
   */
  static TeamsJoinUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw invalid(url, "it is empty");
    }
    String text = url.trim();
    if (!text.startsWith("https://")) {
      throw invalid(url, "it is not an https URL");
    }
    String host = text.substring(8, indexOrEnd(text, '/', 8));
    if (!(host.equals("teams.microsoft.com") || host.endsWith(".teams.microsoft.com") || host.equals("teams.microsoft.us")
        || host.equals("dod.teams.microsoft.us") || host.equals("teams.live.com"))) {
      throw invalid(url, "its host " + host + " is not Microsoft Teams");
    }
    int at = text.indexOf(MARKER);
    if (at < 0) {
      throw invalid(url, "its path does not contain " + MARKER);
    }
    int queryAt = text.indexOf('?', at);
    String path = text.substring(at + MARKER.length(), queryAt < 0 ? text.length() : queryAt);
    String[] segments = path.split("/");
    if (segments.length < 2 || segments[0].isEmpty() || segments[1].isEmpty()) {
      throw invalid(url, "it does not name a thread and a message (…/meetup-join/<thread id>/<message id>)");
    }
    String threadId = decode(segments[0]);
    if (!threadId.startsWith("19:")) {
      throw invalid(url, "its thread id " + threadId + " does not start with 19:");
    }
    String messageId = decode(segments[1]);
    String context = null;
    if (queryAt >= 0) {
      for (String pair : text.substring(queryAt + 1).split("&")) {
        if (pair.startsWith("context=")) {
          context = decode(pair.substring("context=".length()));
        }
      }
    }
    if (context == null) {
      throw invalid(url, "it has no context parameter with the tenant (Tid) and organizer (Oid)");
    }
    JsonObject json;
    try {
      json = new JsonObject(context);
    } catch (DecodeException e) {
      throw invalid(url, "its context parameter is not JSON: " + context);
    }
    String tid = json.getValue("Tid") instanceof String s ? s : null;
    String oid = json.getValue("Oid") instanceof String s ? s : null;
    if (tid == null || tid.isBlank() || oid == null || oid.isBlank()) {
      throw invalid(url, "its context lacks " + (tid == null || tid.isBlank() ? "Tid (the tenant)" : "Oid (the organizer)"));
    }
    return new TeamsJoinUrl(threadId, messageId, tid, oid);
  }

  /** Graph's {@code chatInfo}. */
  JsonObject chatInfo() {
    return new JsonObject().put("@odata.type", "#microsoft.graph.chatInfo").put("threadId", threadId)
        .put("messageId", messageId);
  }

  /** Graph's {@code organizerMeetingInfo}. */
  JsonObject meetingInfo() {
    return new JsonObject().put("@odata.type", "#microsoft.graph.organizerMeetingInfo")
        .put("organizer", new JsonObject().put("@odata.type", "#microsoft.graph.identitySet")
            .put("user", new JsonObject().put("@odata.type", "#microsoft.graph.identity").put("id", organizerId)
                .put("tenantId", tenantId)))
        .put("allowConversationWithoutHost", true);
  }

  private static int indexOrEnd(String text, char c, int from) {
    int i = text.indexOf(c, from);
    return i < 0 ? text.length() : i;
  }

  private static String decode(String part) {
    try {
      return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return part;
    }
  }

  private static SwitchboardException invalid(String url, String why) {
    return new SwitchboardException(ErrorCode.UNPROCESSABLE, "invalidJoinUrl",
        "Not a Teams meeting join URL (" + why + "): " + url);
  }
}
