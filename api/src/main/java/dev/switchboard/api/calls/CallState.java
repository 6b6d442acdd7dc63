package dev.switchboard.api.calls;

/**
 * Graph's call states, in their order of progress. A call moves forward only (a failed transfer's return to
 * {@link #ESTABLISHED} is the one way back) and nothing changes after {@link #TERMINATED}.
 */
public enum CallState {
  INCOMING, ESTABLISHING, RINGING, REDIRECTING, ESTABLISHED, HOLD, TRANSFERRING, TRANSFER_ACCEPTED, TERMINATING,
  TERMINATED;

  /** The name on the wire, e.g. {@code transferAccepted}. */
  public String wireName() {
    return Wire.name(this);
  }

  /**
   * The constant named {@code wireName} on the wire.
   *
   * @throws dev.switchboard.api.SwitchboardException 400 listing the names when {@code wireName} is none of them
   */
  public static CallState fromWire(String wireName) {
    return Wire.parse(CallState.class, wireName, "state");
  }

  /** The state Graph names {@code graphName}, or empty for a name this contract does not know (a newer Graph's). */
  public static java.util.Optional<CallState> fromGraph(String graphName) {
    return java.util.Optional.ofNullable(Wire.find(CallState.class, graphName));
  }
}
