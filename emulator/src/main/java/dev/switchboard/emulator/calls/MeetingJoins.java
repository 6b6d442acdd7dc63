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
   * @throws Refused to refuse the join (unknown meeting, wrong passcode): the create-call still answers {@code 201},
   *     and the call ends {@code terminated} with the refusal's {@code resultInfo} after {@code establishing}
   */
  String admit(JsonObject chatInfo, JsonObject meetingInfo);

  /** The identity sets of the people in the meeting now, in the order they joined. */
  List<JsonObject> present(String meetingId);

  /**
   * A join the meeting refuses. Graph answers such a create-call {@code 201 Created}, notifies {@code establishing},
   * then {@code terminated} with a {@code resultInfo} whose message ends in {@code DiagCode: <code>#<subcode>.@}
   * (microsoftgraph/microsoft-graph-comms-samples#433: a join-URL join refused with {@code 400}/{@code 2203}).
   * Which code Graph gives which cause is not documented: the codes here are the emulator's choice
   * (docs/emulator.md).
   */
  final class Refused extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The code and subcode of a join naming no meeting: the one join-URL refusal on record (400#2203). */
    static final int UNKNOWN_CODE = 400;
    static final int UNKNOWN_SUBCODE = 2203;
    /** The code and subcode of a missing or wrong passcode: emulator (no source gives one). */
    static final int PASSCODE_CODE = 403;
    static final int PASSCODE_SUBCODE = 0;

    final int code;
    final int subcode;

    private Refused(int code, int subcode, String message) {
      super(message + " DiagCode: " + code + "#" + subcode + ".@", null, false, false);
      this.code = code;
      this.subcode = subcode;
    }

    /** A join naming no meeting (an unknown thread or join meeting id, or a deleted meeting). */
    public static Refused unknownMeeting(String what) {
      return new Refused(UNKNOWN_CODE, UNKNOWN_SUBCODE, "Bad Request: no online meeting has " + what + ".");
    }

    /** A missing or wrong passcode for a meeting that requires one. */
    public static Refused passcode(String joinMeetingId, boolean missing) {
      return new Refused(PASSCODE_CODE, PASSCODE_SUBCODE, "Forbidden: the passcode for meeting " + joinMeetingId
          + " is " + (missing ? "missing" : "wrong") + ".");
    }

    ResultInfo resultInfo() {
      return new ResultInfo(code, subcode, getMessage());
    }
  }
}
