package dev.switchboard.api.media;

/** Why a gather ended. */
public enum GatherEnd {
  /** The terminator key was pressed (it is not part of the digits). */
  TERMINATOR,
  /** {@code maxDigits} keys were pressed. */
  MAX_DIGITS,
  /** No key came within {@code interDigitTimeoutMs} of the previous one. */
  INTER_DIGIT_TIMEOUT,
  /** {@code timeoutMs} passed since the end of the prompts. */
  TIMEOUT,
  /** A {@link MediaCommand.Cancel} cancelled it. */
  CANCELLED,
  /** The call ended. */
  CALL_ENDED;

  /** The name in JSON ({@code maxDigits}, ...). */
  public String wire() {
    return Fields.wireName(this);
  }

  /** The end named {@code wire} in JSON. */
  public static GatherEnd fromWire(String wire) {
    return Fields.fromWire(GatherEnd.class, wire, "endedBy");
  }
}
