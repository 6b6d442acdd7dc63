package dev.switchboard.emulator.media;

/**
 * A media action that failed, carrying the {@code resultInfo} the operation reports.
 *
 * <p>Subcodes: 8535 (prompt not in Graph's WAV format) and 8536 (prompt could not be downloaded)
 * are the media platform's codes for these failures; Graph's docs do not list them.
 */
public final class MediaFailure extends Exception {

  private static final long serialVersionUID = 1L;

  /** The prompt is not a WAV file in {@link WavInfo#PROMPT_FORMAT}. */
  public static final int INVALID_FORMAT = 8535;
  /** The prompt could not be downloaded. */
  public static final int DOWNLOAD_FAILED = 8536;

  private final int code;
  private final int subcode;

  public MediaFailure(int code, int subcode, String message) {
    super(message, null, false, false);
    this.code = code;
    this.subcode = subcode;
  }

  public int code() {
    return code;
  }

  public int subcode() {
    return subcode;
  }
}
