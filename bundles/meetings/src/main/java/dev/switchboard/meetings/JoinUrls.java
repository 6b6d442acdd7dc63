package dev.switchboard.meetings;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What the bundle reads from the two public forms of a meeting's identity: the organizer of a Teams join URL (its
 * {@code context}'s {@code Oid}), and the organizer Graph encodes in a meeting id (base64 of
 * {@code 1*<organizer>*0**<thread id>}).
 */
final class JoinUrls {

  private JoinUrls() {
  }

  /**
   * The organizer's user id of a Teams meeting join URL.
   *
   * @throws SwitchboardException 422 {@code invalidJoinUrl} when it is not a Teams meeting's join URL
   */
  static String organizer(String joinWebUrl) {
    URI uri;
    try {
      uri = new URI(joinWebUrl.trim());
    } catch (URISyntaxException e) {
      throw invalid(joinWebUrl, "it is not a URL");
    }
    String host = uri.getHost() == null ? "" : uri.getHost();
    if (!"https".equals(uri.getScheme()) || !(host.equals("teams.microsoft.com") || host.endsWith(".teams.microsoft.com")
        || host.equals("teams.microsoft.us") || host.equals("teams.live.com"))) {
      throw invalid(joinWebUrl, "it is not an https URL of Microsoft Teams");
    }
    if (uri.getRawPath() == null || !uri.getRawPath().startsWith("/l/meetup-join/")) {
      throw invalid(joinWebUrl, "its path is not /l/meetup-join/<thread>/<message>");
    }
    String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    for (String pair : query.split("&")) {
      if (pair.startsWith("context=")) {
        try {
          String oid = new JsonObject(URLDecoder.decode(pair.substring(8), StandardCharsets.UTF_8)).getString("Oid");
          if (oid != null && !oid.isBlank()) {
            return oid;
          }
        } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
          throw invalid(joinWebUrl, "its context is not JSON");
        }
      }
    }
    throw invalid(joinWebUrl, "its context does not name the organizer (Oid)");
  }

  /** The organizer Graph encoded in a meeting id, or {@code null} when the id is not of that form. */
  static String organizerOfMeetingId(String meetingId) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(meetingId.replace('+', '-').replace('/', '_')
          .replace("=", "")), StandardCharsets.UTF_8);
      String[] parts = decoded.split("\\*");
      return parts.length >= 2 && parts[0].equals("1") && !parts[1].isBlank() ? parts[1] : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static SwitchboardException invalid(String url, String why) {
    return new SwitchboardException(ErrorCode.UNPROCESSABLE, "invalidJoinUrl", "'" + url
        + "' is not a Teams meeting join URL: " + why + ". Use the meeting's joinWebUrl as Teams shows it.");
  }
}
