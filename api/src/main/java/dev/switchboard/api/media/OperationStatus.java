package dev.switchboard.api.media;

/**
 * Where a media operation is. {@link #RUNNING} and {@link #DOWNLOADING} (a recording being fetched from Graph) are
 * under way; {@link #COMPLETED}, {@link #FAILED} and {@link #CANCELLED} are final, and the only ones an event carries.
 */
public enum OperationStatus {
  RUNNING("running"), DOWNLOADING("downloading"), COMPLETED("completed"), FAILED("failed"), CANCELLED("cancelled");

  private final String wire;

  OperationStatus(String wire) {
    this.wire = wire;
  }

  /** The name in JSON. */
  public String wire() {
    return wire;
  }

  /** Whether the operation has ended. */
  public boolean isFinal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  /** The status named {@code wire} in JSON. */
  public static OperationStatus fromWire(String wire) {
    return Fields.fromWire(values(), OperationStatus::wire, "status", wire);
  }
}
