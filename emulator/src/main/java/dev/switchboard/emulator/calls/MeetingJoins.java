package dev.switchboard.emulator.calls;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What the calling service asks the online meetings when a bot's create-call joins a meeting
 * (graph-reference §1.2). Called on the emulator's event-loop context.
 */
public interface MeetingJoins {

  /** Admits every join and knows no meetings: the calling service alone, as before meetings were emulated. */
  MeetingJoins NONE = new MeetingJoins() {
    @Override
    public String admit(JsonObject chatInfo, JsonObject meetingInfo) {
      return null;
    }

    @Override
    public List<JsonObject> present(String meetingId) {
      return List.of();
    }
  };

  /**
   * The meeting a join names.
   *
   * @param chatInfo the create-call's {@code chatInfo}, or null
   * @param meetingInfo the create-call's {@code meetingInfo} (already checked for shape)
   * @return the id of the emulated onlineMeeting the call lands in, or null for a join that names no
   *     emulated meeting but is admitted (a {@code tokenMeetingInfo} rejoin: nobody but its organizer is in it)
   * @throws dev.switchboard.emulator.http.GraphException to refuse the join (unknown meeting, wrong passcode)
   */
  String admit(JsonObject chatInfo, JsonObject meetingInfo);

  /** The identity sets of the people in the meeting now, in the order they joined. */
  List<JsonObject> present(String meetingId);
}
