package dev.switchboard.emulator.calls;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the calling service knows of a call that has just terminated, as the call-records service
 * needs it (graph-reference §7). Times are emulated. Identity sets are copies the receiver owns.
 *
 * @param callId the call's id
 * @param callRecordId the id of its callRecord: the call's {@code callChainId}
 * @param group whether it was a group call or a meeting (a callRecord of type {@code groupCall});
 *     otherwise peer-to-peer
 * @param meetingThreadId the meeting's chat thread id when the call joined a meeting, else null
 * @param modalities the requested modalities ({@code audio}, ...)
 * @param start when the call was created or came in
 * @param end when it terminated
 * @param organizer who placed the call: the caller of an incoming call, the bot otherwise, the
 *     organizer of a joined meeting when the meeting info names one
 * @param parties everyone who took part, the bot included, in the order they joined
 */
public record EndedCall(String callId, String callRecordId, boolean group, String meetingThreadId,
    List<String> modalities, Instant start, Instant end, JsonObject organizer, List<Party> parties) {

  /** One participant of the call; {@code participantId} is null for a party that never joined. */
  public record Party(String participantId, JsonObject identity, boolean bot) {
    public Party {
      Objects.requireNonNull(identity, "identity");
    }

    /** Whether it is a phone (PSTN) party. */
    public boolean phone() {
      return identity.getJsonObject("phone") != null;
    }
  }

  public EndedCall {
    Objects.requireNonNull(callRecordId, "callRecordId");
    modalities = List.copyOf(modalities);
    parties = List.copyOf(parties);
  }
}
