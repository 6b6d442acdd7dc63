package dev.switchboard.records;

import dev.switchboard.api.records.QualityReason;
import dev.switchboard.api.records.RecordStored;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A callRecord read from Graph's JSON, with its quality verdicts: what the store writes. Immutable.
 *
 * @param raw the record's own JSON, without its sessions (each session keeps its own)
 */
record ParsedRecord(String id, long version, String type, Instant start, Instant end, String organizerId,
    List<Participant> participants, List<Session> sessions, JsonObject raw) {

  /** Someone (or something) in the call: {@code kind} is {@code user}, {@code application}, {@code phone}, {@code guest}. */
  record Participant(String id, String kind, String displayName) {
  }

  record Session(String id, String callerId, String calleeId, Instant start, Instant end, List<Segment> segments,
      JsonObject raw) {
  }

  record Segment(String id, Instant start, Instant end, List<Stream> streams) {
  }

  /**
   * One media stream of a segment, attributed to the endpoint that sent it (the caller for {@code callerToCallee}).
   *
   * @param jitterMs {@code averageJitter} in milliseconds, or {@code null}
   * @param packetLossRate {@code averagePacketLossRate} (a fraction), or {@code null}
   * @param roundTripMs {@code averageRoundTripTime} in milliseconds, or {@code null}
   * @param packets {@code packetUtilization}, or {@code null}
   */
  record Stream(String mediaLabel, boolean audio, String streamId, String direction, String participantId,
      String subnet, String connectionType, Long packets, Double jitterMs, Double packetLossRate, Double roundTripMs,
      Set<QualityReason> reasons) {

    boolean poor() {
      return !reasons.isEmpty();
    }
  }

  /** The reasons of every poor stream, in {@link QualityReason} order. */
  Set<QualityReason> reasons() {
    Set<QualityReason> all = EnumSet.noneOf(QualityReason.class);
    streams().forEach(s -> all.addAll(s.reasons()));
    return all;
  }

  boolean poor() {
    return !reasons().isEmpty();
  }

  List<Stream> streams() {
    return sessions.stream().flatMap(s -> s.segments().stream()).flatMap(g -> g.streams().stream()).toList();
  }

  RecordStored event() {
    return new RecordStored(id, version, type, start, end, participants.stream().map(Participant::id).toList(), poor(),
        List.copyOf(reasons()), streams().size());
  }
}
