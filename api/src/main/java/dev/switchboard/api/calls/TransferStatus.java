package dev.switchboard.api.calls;

/**
 * Where a transfer stands: {@link #REQUESTED} (the bot asked Graph), {@link #TRANSFERRING}, {@link #ACCEPTED} (the
 * target accepted; the call will end), {@link #FAILED} (the call is established again) or {@link #COMPLETED} (the
 * call ended with {@code 0/7015}).
 */
public enum TransferStatus {
  REQUESTED, TRANSFERRING, ACCEPTED, FAILED, COMPLETED;

  /** The name on the wire, e.g. {@code accepted}. */
  public String wireName() {
    return Wire.name(this);
  }

  /**
   * The constant named {@code wireName} on the wire.
   *
   * @throws dev.switchboard.api.SwitchboardException 400 listing the names when {@code wireName} is none of them
   */
  public static TransferStatus fromWire(String wireName) {
    return Wire.parse(TransferStatus.class, wireName, "status");
  }
}
