package dev.switchboard.api.calls;

/** Who placed the call: someone calling the bot ({@link #INCOMING}) or the bot ({@link #OUTGOING}). */
public enum CallDirection {
  INCOMING, OUTGOING;

  /** The name on the wire, e.g. {@code incoming}. */
  public String wireName() {
    return Wire.name(this);
  }

  /**
   * The constant named {@code wireName} on the wire.
   *
   * @throws dev.switchboard.api.SwitchboardException 400 listing the names when {@code wireName} is none of them
   */
  public static CallDirection fromWire(String wireName) {
    return Wire.parse(CallDirection.class, wireName, "direction");
  }
}
