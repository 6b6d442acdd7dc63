package dev.switchboard.api.media;

/** What a media operation does. */
public enum OperationKind {
  PLAY, RECORD, GATHER;

  /** The name in JSON ({@code play}, ...). */
  public String wire() {
    return Fields.wireName(this);
  }

  /** The kind named {@code wire} in JSON. */
  public static OperationKind fromWire(String wire) {
    return Fields.fromWire(OperationKind.class, wire, "kind");
  }
}
