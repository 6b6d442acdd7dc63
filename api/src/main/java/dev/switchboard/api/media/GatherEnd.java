package dev.switchboard.api.media;

/** Why a gather ended. */
public enum GatherEnd {
  /** The terminator key was pressed (it is not part of the digits). */
  TERMINATOR("terminator"),
  /** {@code maxDigits} keys were pressed. */
  MAX_DIGITS("maxDigits"),
  /** No key came within {@code interDigitTimeoutMs} of the previous one. */
  INTER_DIGIT_TIMEOUT("interDigitTimeout"),
  /** {@code timeoutMs} passed since the end of the prompts. */
  TIMEOUT("timeout"),
  /** A {@link MediaCommand.Cancel} cancelled it. */
  CANCELLED("cancelled"),
  /** The call ended. */
  CALL_ENDED("callEnded");

  private final String wire;

  GatherEnd(String wire) {
    this.wire = wire;
  }

  /** The name in JSON. */
  public String wire() {
    return wire;
  }

  /** The end named {@code wire} in JSON. */
  public static GatherEnd fromWire(String wire) {
    return Fields.fromWire(values(), GatherEnd::wire, "endedBy", wire);
  }
}
