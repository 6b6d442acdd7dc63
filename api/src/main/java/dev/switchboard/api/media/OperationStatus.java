package dev.switchboard.api.media;

/**
 * Where a media operation is. {@link #RUNNING} and {@link #DOWNLOADING} (a recording being fetched from Graph) are
 * under way; {@link #COMPLETED}, {@link #FAILED} and {@link #CANCELLED} are final, and the only ones an event carries.
 */
public enum OperationStatus {
  RUNNING, DOWNLOADING, COMPLETED, FAILED, CANCELLED;

  /** The name in JSON ({@code running}, ...). */
  public String wire() {
    return Fields.wireName(this);
  }

  /** Whether the operation has ended. */
  public boolean isFinal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  /** The status named {@code wire} in JSON. */
  public static OperationStatus fromWire(String wire) {
    return Fields.fromWire(OperationStatus.class, wire, "status");
  }
}
