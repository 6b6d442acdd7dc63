package dev.switchboard.testkit;

import io.vertx.core.json.JsonObject;

/** An online meeting of the emulator, from the side of the people who join it. */
public final class Meeting {

  private final SwitchboardKit kit;
  private final JsonObject meeting;

  Meeting(SwitchboardKit kit, JsonObject meeting) {
    this.kit = kit;
    this.meeting = meeting;
  }

  /** The meeting's id (Graph's {@code onlineMeeting} id). */
  public String id() {
    return meeting.getString("id");
  }

  /** The URL people join with. */
  public String joinWebUrl() {
    return meeting.getString("joinWebUrl");
  }

  /** The meeting as Graph created it. */
  public JsonObject json() {
    return meeting.copy();
  }

  /** The directory user {@code userId} joins; the bot's calls in the meeting get a roster notification. */
  public Meeting attendeeJoins(String userId) {
    return participant(userId, "join");
  }

  /** The directory user {@code userId} leaves. */
  public Meeting attendeeLeaves(String userId) {
    return participant(userId, "leave");
  }

  private Meeting participant(String userId, String action) {
    String path = "/emulator/meetings/" + id() + "/participants";
    kit.control(userId + " " + action + "s meeting " + id(), c -> c.post(path, new JsonObject().put("userId", userId)
        .put("action", action)), () -> "");
    return this;
  }
}
