package dev.switchboard.api.calls;

import io.vertx.core.json.JsonObject;

/**
 * The Teams meeting a call joined: by join URL (thread, message, organizer, tenant), or by meeting id.
 *
 * @param joinUrl the join URL given to {@code create}, or {@code null}
 * @param threadId the meeting chat's thread id ({@code 19:meeting_…@thread.v2}), or {@code null}
 * @param messageId the chat message id, or {@code null}
 * @param organizerId the organizer's user id, or {@code null}
 * @param tenantId the meeting's tenant, or {@code null}
 * @param meetingId the join meeting id given to {@code create}, or {@code null}
 */
public record MeetingView(String joinUrl, String threadId, String messageId, String organizerId, String tenantId,
    String meetingId) {

  public JsonObject toJson() {
    JsonObject json = Wire.putIf(new JsonObject(), "joinUrl", joinUrl);
    Wire.putIf(json, "threadId", threadId);
    Wire.putIf(json, "messageId", messageId);
    Wire.putIf(json, "organizerId", organizerId);
    Wire.putIf(json, "tenantId", tenantId);
    return Wire.putIf(json, "meetingId", meetingId);
  }

  public static MeetingView fromJson(JsonObject json) {
    Wire m = Wire.read(json, "'meeting'");
    return new MeetingView(m.string("joinUrl"), m.string("threadId"), m.string("messageId"), m.string("organizerId"),
        m.string("tenantId"), m.string("meetingId"));
  }
}
