package dev.switchboard.api;

import java.util.List;

/**
 * The events the calling bundle publishes about calls, one address per event type. Events are
 * <em>published</em> (every consumer gets each one, cluster-wide), once per event, by the version of the calling
 * plugin that owns the call; within one call they are published in the order the call's notifications were
 * handled. A consumer that acts on a call sends a command to {@link CallCommands#ADDRESS}.
 *
 * <p>Every event is a JSON object with at least:
 * <pre>{@code
 * {
 *   "type": "<the event type, e.g. established>",
 *   "callId": "<call id>",
 *   "tenantId": "<tenant of the call>",
 *   "at": "<ISO-8601 instant the event was published>",
 *   "version": "<version of the calling plugin that published it>",
 *   "call": { ...the call as CallCommands "get" returns it... }
 * }
 * }</pre>
 * and the fields each address documents. The call object ({@code call}) has {@code id}, {@code tenantId},
 * {@code state} (Graph's call states), {@code direction} ({@code incoming}/{@code outgoing}), {@code kind}
 * ({@code peerToPeer}, {@code group}, {@code meeting}), {@code source}, {@code targets}, {@code participants}
 * (the roster: {@code id}, {@code info}, {@code isMuted}, {@code isInLobby}, {@code isBot}), {@code myParticipantId},
 * {@code claimedBy}, {@code toneSubscribed}, {@code lastToneSequenceId}, {@code pendingOperations},
 * {@code transfer}, {@code resultInfo}, {@code reason}, {@code createdAt}, {@code establishedAt},
 * {@code terminatedAt}, {@code lastKeepAliveAt}, {@code meeting} (joins), {@code subject}.
 */
public final class CallEvents {

  /**
   * A call to the bot arrived and waits to be claimed: a bot claims it by sending {@code answer}, {@code reject}
   * or {@code redirect}. A call nobody claims within {@code plugins.calling.unclaimedRejectAfter} is rejected
   * {@code busy}. Extra fields: {@code receivedAt} (when the platform accepted the notification),
   * {@code claimDeadline} (ISO-8601 instant).
   */
  public static final String INCOMING = "switchboard.calls.incoming";

  /** Any change of the call's {@code state}. Extra fields: {@code state}, {@code previousState}. */
  public static final String STATE_CHANGED = "switchboard.calls.stateChanged";

  /** The call reached {@code established} (published once per call). */
  public static final String ESTABLISHED = "switchboard.calls.established";

  /**
   * The roster changed. Extra fields: {@code participants} (the full roster), {@code added}, {@code removed},
   * {@code changed} (arrays of participant ids).
   */
  public static final String PARTICIPANTS_CHANGED = "switchboard.calls.participantsChanged";

  /**
   * A DTMF key was pressed on a call subscribed to tones. Extra fields: {@code tone} ({@code tone0}..{@code tone9},
   * {@code star}, {@code pound}, {@code a}..{@code d}, {@code flash}), {@code sequenceId}, {@code outOfOrder}
   * ({@code true} when a tone with a higher {@code sequenceId} was delivered before this one). Duplicates are
   * dropped.
   */
  public static final String TONE_RECEIVED = "switchboard.calls.toneReceived";

  /**
   * A Graph operation on the call finished (its {@code deleted} notification: playPrompt, recordResponse,
   * sendDtmfTones, invite, ...; whoever started it). Extra field: {@code operation} ({@code id}, {@code type}
   * e.g. {@code playPromptOperation}, {@code status}, {@code clientContext}, {@code resultInfo}, and any other
   * property Graph sent, e.g. {@code recordingLocation}, {@code completionReason}).
   */
  public static final String OPERATION_COMPLETED = "switchboard.calls.operationCompleted";

  /** The transfer target accepted; the call will end with {@code 0/7015}. Extra field: {@code transfer}. */
  public static final String TRANSFER_ACCEPTED = "switchboard.calls.transferAccepted";

  /**
   * The transfer failed and the call is {@code established} again. Extra fields: {@code transfer},
   * {@code resultInfo}, {@code reason}.
   */
  public static final String TRANSFER_FAILED = "switchboard.calls.transferFailed";

  /**
   * The call ended (published once per call). Extra fields: {@code resultInfo} ({@code code}, {@code subcode},
   * {@code message} as Graph sent it), {@code reason} (a sentence from graph-reference §1.10's code table, else
   * Graph's message), {@code unclaimed} ({@code true} when the calling bundle rejected it because nobody claimed
   * it).
   */
  public static final String TERMINATED = "switchboard.calls.terminated";

  /** Every address above. */
  public static final List<String> ALL = List.of(INCOMING, STATE_CHANGED, ESTABLISHED, PARTICIPANTS_CHANGED,
      TONE_RECEIVED, OPERATION_COMPLETED, TRANSFER_ACCEPTED, TRANSFER_FAILED, TERMINATED);

  private CallEvents() {
  }
}
