package dev.switchboard.api.calls;

/** How an incoming call was claimed: by a bot's answer, reject or redirect (or by the unclaimed-call rejection). */
public enum Claim {
  ANSWERED, REJECTED, REDIRECTED;

  /** The name on the wire, e.g. {@code answered}. */
  public String wireName() {
    return Wire.name(this);
  }

  /**
   * The constant named {@code wireName} on the wire.
   *
   * @throws dev.switchboard.api.SwitchboardException 400 listing the names when {@code wireName} is none of them
   */
  public static Claim fromWire(String wireName) {
    return Wire.parse(Claim.class, wireName, "claim");
  }
}
