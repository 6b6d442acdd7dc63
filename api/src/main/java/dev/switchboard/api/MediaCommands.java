package dev.switchboard.api;

/**
 * Commands to the media bundle, over the event bus: send (request) a JSON object to {@link #ADDRESS} with a
 * {@link #COMMAND} field and, for commands on a call, a {@link #CALL_ID}. The same operations are served over REST
 * ({@code docs/media.md}). Commands on one call are carried out one at a time, in order, by the version of the media
 * plugin that owns the call; their state lives in the plugin's state store, so they survive an update of the media
 * bundle. Failures come back as a {@link SwitchboardException} (rebuild it with
 * {@link SwitchboardException#from(Throwable)}): {@code 400 badRequest}, {@code 404 promptNotFound} /
 * {@code callNotFound}, {@code 409 illegalState}, {@code 415}/{@code 422} for unusable audio, {@code 503
 * speechUnavailable} when espeak-ng is not installed, and Graph's failures.
 *
 * <h2>Prompts</h2>
 * Wherever a command takes {@code prompts} it accepts an array (1–20) of: a prompt id or name (a string),
 * {@code {"id": "..."}}, {@code {"text": "...", "voice": "en"}} (synthesised with espeak-ng, cached by text and
 * voice), or {@code {"uri": "https://...", "resourceId": "..."}} (a file hosted elsewhere, played as given).
 *
 * <h2>Operations</h2>
 * Each call command replies {@code {"operationId", "callId", "kind", "status": "running", "graphOperationIds": [...]}}
 * at once; the outcome is published on a {@link MediaEvents} address.
 */
public final class MediaCommands {

  /** Where commands are sent (request/reply). */
  public static final String ADDRESS = "switchboard.media.commands";

  /** The field naming the command. */
  public static final String COMMAND = "command";

  /** The field naming the call. */
  public static final String CALL_ID = "callId";

  /**
   * Plays {@code prompts} in order. Optional {@code clientContext} (echoed in the event). Outcome:
   * {@link MediaEvents#PLAY_COMPLETED}.
   */
  public static final String PLAY = "play";

  /**
   * Records the caller: optional {@code prompt} (one prompt, played first), {@code maxDurationSeconds} (1–120, default
   * 60), {@code initialSilenceSeconds} (1–120, default 5), {@code maxSilenceSeconds} (1–120, default 5),
   * {@code stopTones} (e.g. {@code ["#"]}), {@code beep} (default {@code true}), {@code clientContext}. The recording
   * is downloaded at once into {@code data.dir/recordings/<callId>/<operationId>.wav}, retried on failure. Outcome:
   * {@link MediaEvents#RECORD_COMPLETED}.
   */
  public static final String RECORD = "record";

  /**
   * Plays optional {@code prompts} and collects DTMF digits: {@code maxDigits} (1–64, default 1), {@code terminator}
   * (one of {@code 0-9 * # A-D}, or none; not included in the digits), {@code interDigitTimeoutMs} (default 3000),
   * {@code timeoutMs} (default 10000; runs from the end of the prompt), {@code bargeIn} (default {@code true}: the
   * first key cancels the prompt), {@code clientContext}. Outcome: {@link MediaEvents#GATHER_COMPLETED}.
   */
  public static final String GATHER = "gather";

  /**
   * Cancels the call's running and queued plays and recordings (Graph's cancelMediaProcessing) and its gather.
   * Reply: {@code {"cancelled": [operation ids]}}.
   */
  public static final String CANCEL = "cancel";

  /** The call's media operations (running and recently finished) and its tone subscription. */
  public static final String STATUS = "status";

  /**
   * Resolves prompts for pre-fetching: {@code prompts} as above. Reply: {@code {"preFetchMedia": [{"uri",
   * "resourceId"}]}}, ready for {@link CallCommands#ANSWER}'s {@code preFetchMedia}.
   */
  public static final String RESOLVE_PROMPTS = "resolvePrompts";

  private MediaCommands() {
  }
}
