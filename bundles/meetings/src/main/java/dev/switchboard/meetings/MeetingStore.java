package dev.switchboard.meetings;

import dev.switchboard.api.StateStore;
import dev.switchboard.api.meetings.OnlineMeeting;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What the plugin keeps in its state store (shared by all its versions, durable where the platform's store is):
 * <ul>
 *   <li>{@code meeting:<id>}: each meeting the bundle created or found, in the contract's JSON, with its organizer
 *       (Graph's meeting ids are scoped by organizer: every Graph request about a meeting needs it) and the bot's
 *       join (schedule, state, call);</li>
 *   <li>{@code joinId:<join meeting id>}: the meeting id, to find a meeting by its join meeting id without asking
 *       which organizer;</li>
 *   <li>{@code call:<call id>}: for the bot's call in a meeting, the meeting id and whether an attendee was seen
 *       (for leave-when-alone);</li>
 *   <li>{@code graphClock}: the anchor of Graph's clock ({@link GraphClock}).</li>
 * </ul>
 * A meeting is written by its owner (the version owning its key) only.
 */
final class MeetingStore {

  private static final String MEETING = "meeting:";
  private static final String JOIN_ID = "joinId:";
  private static final String CALL = "call:";
  private static final String CLOCK = "graphClock";

  private final StateStore state;

  MeetingStore(StateStore state) {
    this.state = state;
  }

  /** The meeting, or {@code null} when the bundle does not know it. */
  Future<OnlineMeeting> get(String meetingId) {
    return state.get(MEETING + meetingId).map(json -> json == null ? null : OnlineMeeting.fromJson(json));
  }

  Future<OnlineMeeting> put(OnlineMeeting meeting) {
    Future<Void> index = meeting.joinMeetingId() == null ? Future.succeededFuture()
        : state.put(JOIN_ID + meeting.joinMeetingId(), new JsonObject().put("meetingId", meeting.id()));
    return index.compose(v -> state.put(MEETING + meeting.id(), meeting.toJson())).map(meeting);
  }

  Future<Void> remove(OnlineMeeting meeting) {
    Future<Void> index = meeting.joinMeetingId() == null ? Future.succeededFuture()
        : state.remove(JOIN_ID + meeting.joinMeetingId());
    return index.compose(v -> state.remove(MEETING + meeting.id()));
  }

  /** The id of the meeting with this join meeting id, or {@code null}. */
  Future<String> byJoinMeetingId(String joinMeetingId) {
    return state.get(JOIN_ID + joinMeetingId).map(json -> json == null ? null : json.getString("meetingId"));
  }

  /** Every meeting the bundle knows. */
  Future<List<OnlineMeeting>> all() {
    return state.keys().compose(keys -> Future.all(keys.stream().filter(k -> k.startsWith(MEETING))
            .map(state::get).toList()))
        .map(all -> all.<JsonObject>list().stream().filter(j -> j != null).map(OnlineMeeting::fromJson).toList());
  }

  /** The bot's call in a meeting, or {@code null}. */
  Future<BotCall> call(String callId) {
    return state.get(CALL + callId).map(json -> json == null ? null
        : new BotCall(callId, json.getString("meetingId"), json.getBoolean("sawAttendee", false),
            json.getString("leaving")));
  }

  Future<Void> putCall(BotCall call) {
    return state.put(CALL + call.callId(), new JsonObject().put("meetingId", call.meetingId())
        .put("sawAttendee", call.sawAttendee()).put("leaving", call.leaving()));
  }

  Future<Void> removeCall(String callId) {
    return state.remove(CALL + callId);
  }

  Future<JsonObject> clockAnchor() {
    return state.get(CLOCK);
  }

  Future<Void> putClockAnchor(JsonObject anchor) {
    return state.put(CLOCK, anchor);
  }

  /**
   * The bot's call in a meeting.
   *
   * @param callId the call
   * @param meetingId the meeting it joined
   * @param sawAttendee whether an attendee was in the meeting with the bot at some point
   * @param leaving why the bundle hung the call up, or {@code null} when it did not
   */
  record BotCall(String callId, String meetingId, boolean sawAttendee, String leaving) {
  }
}
