package dev.switchboard.api.calls;

/**
 * What sort of call it is: {@link #PEER_TO_PEER} (one Teams user or app), {@link #PSTN} (one phone number),
 * {@link #GROUP} (several targets) or {@link #MEETING} (a Teams meeting the bot joined).
 */
public enum CallKind {
  PEER_TO_PEER, PSTN, GROUP, MEETING;

  /** The name on the wire, e.g. {@code peerToPeer}. */
  public String wireName() {
    return Wire.name(this);
  }

  /**
   * The constant named {@code wireName} on the wire.
   *
   * @throws dev.switchboard.api.SwitchboardException 400 listing the names when {@code wireName} is none of them
   */
  public static CallKind fromWire(String wireName) {
    return Wire.parse(CallKind.class, wireName, "kind");
  }
}
