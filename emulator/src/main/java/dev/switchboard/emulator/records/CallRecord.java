package dev.switchboard.emulator.records;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One emulated callRecord (graph-reference §7), immutable: an update makes a new one with a higher
 * {@code version}. Identity sets are owned by the record and never handed out uncopied.
 *
 * @param id the record's id (the call's {@code callChainId})
 * @param version 1 when first available, +1 per update
 * @param callId the emulated call it records; null for a record created through the control API
 * @param group {@code groupCall} when true, else {@code peerToPeer}
 * @param modalities the modalities used
 * @param start when the call started (emulated)
 * @param end when it ended (emulated)
 * @param lastModified when the record last changed (emulated)
 * @param organizer the organizer's identity set
 * @param participants everyone's identity set
 * @param joinWebUrl the meeting's join URL when the call was a meeting, else null
 * @param sessions the sessions, in order
 * @param availableAt when Graph starts serving the record (emulated); 404 before
 * @param directRouting whether the PSTN legs went through Direct Routing (else Calling Plans)
 * @param incoming whether the organizer called the bot (for the PSTN logs' call type)
 */
record CallRecord(String id, long version, String callId, boolean group, List<String> modalities, Instant start,
    Instant end, Instant lastModified, JsonObject organizer, List<JsonObject> participants, String joinWebUrl,
    List<Session> sessions, Instant availableAt, boolean directRouting, boolean incoming) {

  CallRecord {
    Objects.requireNonNull(id, "id");
    modalities = List.copyOf(modalities);
    participants = List.copyOf(participants);
    sessions = List.copyOf(sessions);
  }

  String type() {
    return group ? "groupCall" : "peerToPeer";
  }

  /** The next version: new sessions, modified now. */
  CallRecord updated(List<Session> newSessions, Instant now) {
    return new CallRecord(id, version + 1, callId, group, modalities, start, end, now, organizer, participants,
        joinWebUrl, newSessions, availableAt, directRouting, incoming);
  }

  /** The phone numbers that took part (the PSTN legs). */
  List<String> phoneNumbers() {
    return participants.stream().filter(p -> p.getJsonObject("phone") != null)
        .map(p -> p.getJsonObject("phone").getString("id")).toList();
  }
}
