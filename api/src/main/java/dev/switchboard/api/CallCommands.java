package dev.switchboard.api;

/**
 * Commands to the calling bundle, over the event bus. Send (request) a JSON object to {@link #ADDRESS} with a
 * {@link #COMMAND} field naming the command and, for commands on a call, a {@link #CALL_ID} field; the reply is
 * the result documented on each command. Commands on one call are carried out by the version of the calling
 * plugin that owns the call, one at a time and in order with the call's notifications.
 *
 * <p>A failed command fails the reply with a {@link SwitchboardException} (rebuild it with
 * {@link SwitchboardException#from(Throwable)}): {@code 400 badRequest} for a malformed command,
 * {@code 404 callNotFound} for an unknown call, {@code 409 illegalState} when the call's state forbids the command
 * (the message names the state), {@code 422 invalidTarget} for a target that cannot be called, and Graph's own
 * failures with Graph's status, error code and a message ending with Graph's {@code request-id}.
 *
 * <h2>Targets</h2>
 * Wherever a command takes a target it accepts one of {@code {"user": "<id>"}}, {@code {"phone": "+<E.164>"}},
 * {@code {"application": "<app id>"}}, {@code {"applicationInstance": "<id>"}}, optionally with
 * {@code displayName}, {@code tenantId} and {@code replacesCallId}, or a Graph {@code invitationParticipantInfo}
 * (an object with an {@code identity}).
 *
 * <h2>Example</h2>
 * <pre>{@code
 * context.eventBus().<JsonObject>request(CallCommands.ADDRESS, new JsonObject()
 *     .put(CallCommands.COMMAND, CallCommands.ANSWER).put(CallCommands.CALL_ID, callId).put("by", "my-bot"))
 *     .onFailure(e -> context.logger().log(System.Logger.Level.WARNING, SwitchboardException.from(e).getMessage()));
 * }</pre>
 */
public final class CallCommands {

  /** Where commands are sent (request/reply). */
  public static final String ADDRESS = "switchboard.calls.commands";

  /** The field naming the command. */
  public static final String COMMAND = "command";

  /** The field naming the call. */
  public static final String CALL_ID = "callId";

  /**
   * Places a call. Exactly one of: {@code targets} (one target: peer-to-peer, or PSTN for a phone target, which
   * needs {@code plugins.calling.applicationInstanceId}; several: a group call, with an optional {@code subject}),
   * {@code joinUrl} (a Teams meeting join URL, parsed into chatInfo, organizer and tenant), or
   * {@code meetingId} with an optional {@code passcode}. Optional: {@code tenantId}, {@code requestedModalities}
   * (default {@code ["audio"]}), {@code preFetchMedia} (array of {@code {uri, resourceId}}). Reply: the call.
   */
  public static final String CREATE = "create";

  /**
   * Answers (claims) an incoming call. Optional: {@code by} (who claims it, for logs and {@code claimedBy}),
   * {@code acceptedModalities} (default {@code ["audio"]}), {@code preFetchMedia}, {@code subscribeToTones}
   * (boolean). Reply: the call.
   */
  public static final String ANSWER = "answer";

  /** Rejects (claims) an incoming call. Optional: {@code reason} ({@code none}, {@code busy}, {@code forbidden}), {@code by}. Reply: the call. */
  public static final String REJECT = "reject";

  /** Redirects (claims) an incoming call. {@code targets} (1–25; several ring at once), optional {@code timeout} (15–90 s), {@code by}. Reply: the call. */
  public static final String REDIRECT = "redirect";

  /**
   * Transfers an established call: {@code target}; a consultative transfer adds {@code replacesCallId} (the
   * call with the target that the bot holds); optional {@code transferee} (participantInfo, group calls).
   * Reply: the call (state {@code transferring}); the outcome comes as an event.
   */
  public static final String TRANSFER = "transfer";

  /** Hangs up the bot's leg. Reply: the call. */
  public static final String HANG_UP = "hangUp";

  /** Server-mutes the bot (group calls). Optional {@code clientContext}. Reply: the operation. */
  public static final String MUTE = "mute";

  /** Unmutes the bot (group calls). Optional {@code clientContext}. Reply: the operation. */
  public static final String UNMUTE = "unmute";

  /** Sends DTMF: {@code tones} (array, e.g. {@code ["tone1","pound"]}), optional {@code delayBetweenTonesMs}, {@code clientContext}. Reply: the operation. */
  public static final String SEND_TONES = "sendDtmfTones";

  /** Subscribes the call to DTMF tones (then {@link CallEvents#TONE_RECEIVED}). Reply: the operation. */
  public static final String SUBSCRIBE_TO_TONE = "subscribeToTone";

  /** Sends a keepAlive now (the bundle also sends them by itself). Reply: the call. */
  public static final String KEEP_ALIVE = "keepAlive";

  /** One call. Reply: the call. */
  public static final String GET = "get";

  /** Every call the bundle knows (live ones, and ended ones for a while). Optional {@code state}. Reply: {@code {"value": [calls]}}. */
  public static final String LIST = "list";

  /** The roster. Reply: {@code {"value": [participants]}}. */
  public static final String LIST_PARTICIPANTS = "listParticipants";

  /** Invites {@code participants} (targets, each may carry {@code replacesCallId}), optional {@code clientContext}. Reply: the operation. */
  public static final String INVITE_PARTICIPANTS = "inviteParticipants";

  /** Server-mutes {@code participantId}. Optional {@code clientContext}. Reply: the operation. */
  public static final String MUTE_PARTICIPANT = "muteParticipant";

  /** Removes {@code participantId} from the call. Reply: an empty object. */
  public static final String REMOVE_PARTICIPANT = "removeParticipant";

  private CallCommands() {
  }
}
