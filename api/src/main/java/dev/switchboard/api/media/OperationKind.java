package dev.switchboard.api.media;

/** What a media operation does. */
public enum OperationKind {
  PLAY("play"), RECORD("record"), GATHER("gather");

  private final String wire;

  OperationKind(String wire) {
    this.wire = wire;
  }

  /** The name in JSON. */
  public String wire() {
    return wire;
  }

  /** The kind named {@code wire} in JSON. */
  public static OperationKind fromWire(String wire) {
    return Fields.fromWire(values(), OperationKind::wire, "kind", wire);
  }
}
