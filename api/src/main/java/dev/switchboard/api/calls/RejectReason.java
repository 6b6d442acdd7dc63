package dev.switchboard.api.calls;

/** Why an incoming call is rejected, as Graph's {@code reject} takes it. */
public enum RejectReason {
  NONE, BUSY, FORBIDDEN;

  /** The name on the wire, e.g. {@code busy}. */
  public String wireName() {
    return Wire.name(this);
  }

  /**
   * The constant named {@code wireName} on the wire.
   *
   * @throws dev.switchboard.api.SwitchboardException 400 listing the names when {@code wireName} is none of them
   */
  public static RejectReason fromWire(String wireName) {
    return Wire.parse(RejectReason.class, wireName, "reason");
  }
}
