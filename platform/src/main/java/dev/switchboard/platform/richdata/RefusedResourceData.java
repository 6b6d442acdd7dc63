package dev.switchboard.platform.richdata;

/**
 * Why a change notification with resource data was refused: {@link #outcome()} is the short name counted in
 * {@code /metrics} ({@code invalidValidationToken}, {@code invalidDataSignature}, ...), the message says what
 * failed and what to do, and never holds key material or resource data.
 */
public final class RefusedResourceData extends Exception {

  private static final long serialVersionUID = 1L;

  private final String outcome;

  public RefusedResourceData(String outcome, String message) {
    super(message, null, false, false);
    this.outcome = outcome;
  }

  /** The counted outcome, a camelCase word. */
  public String outcome() {
    return outcome;
  }
}
