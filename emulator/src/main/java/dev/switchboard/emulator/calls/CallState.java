package dev.switchboard.emulator.calls;

/** Graph's {@code callState} values. */
enum CallState {
  INCOMING("incoming"),
  ESTABLISHING("establishing"),
  RINGING("ringing"),
  ESTABLISHED("established"),
  HOLD("hold"),
  TRANSFERRING("transferring"),
  TRANSFER_ACCEPTED("transferAccepted"),
  REDIRECTING("redirecting"),
  TERMINATING("terminating"),
  TERMINATED("terminated");

  private final String json;

  CallState(String json) {
    this.json = json;
  }

  String json() {
    return json;
  }
}
