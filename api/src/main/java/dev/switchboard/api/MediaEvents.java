package dev.switchboard.api;

import java.util.List;

/**
 * The events the media bundle publishes, one address per operation kind. Published once per operation by the
 * version of the media plugin that owns the call, cluster-wide.
 *
 * <p>Every event is a JSON object with: {@code type} ({@code playCompleted}, ...), {@code callId},
 * {@code operationId} (the id the command replied), {@code clientContext} (the caller's, or {@code null}),
 * {@code status} ({@code completed}, {@code failed} or {@code cancelled}), {@code reason} (a sentence when not
 * completed), {@code callEnded} ({@code true} when the operation ended because the call did: nothing more can be
 * done on the call), {@code resultInfo} (Graph's, when Graph finished the operation), {@code at} (ISO-8601), and
 * the fields each address documents.
 */
public final class MediaEvents {

  /** A play finished. */
  public static final String PLAY_COMPLETED = "switchboard.media.playCompleted";

  /**
   * A recording finished and, when {@code status} is {@code completed}, was downloaded. Extra fields:
   * {@code completionReason} (Graph's, e.g. {@code stopToneDetected}, {@code maxRecordDurationReached}),
   * {@code recording} ({@code id}, {@code callId}, {@code durationMs}, {@code bytes}, {@code path} (below
   * {@code data.dir}), {@code url} (REST path of the audio)), {@code downloadAttempts}.
   */
  public static final String RECORD_COMPLETED = "switchboard.media.recordCompleted";

  /**
   * A gather finished. Extra fields: {@code digits} (a string, e.g. {@code "1234"}, terminator excluded),
   * {@code endedBy}: {@code terminator}, {@code maxDigits}, {@code interDigitTimeout}, {@code timeout},
   * {@code cancelled} or {@code callEnded}.
   */
  public static final String GATHER_COMPLETED = "switchboard.media.gatherCompleted";

  /** Every address above. */
  public static final List<String> ALL = List.of(PLAY_COMPLETED, RECORD_COMPLETED, GATHER_COMPLETED);

  private MediaEvents() {
  }
}
