package dev.switchboard.api.calls;

/** What an identity names: a Teams user, a phone number (E.164), an application or an application instance. */
public enum IdentityKind {
  USER, PHONE, APPLICATION, APPLICATION_INSTANCE;

  /** The name on the wire, e.g. {@code applicationInstance}. */
  public String wireName() {
    return Wire.name(this);
  }

  /**
   * The constant named {@code wireName} on the wire.
   *
   * @throws dev.switchboard.api.SwitchboardException 400 listing the names when {@code wireName} is none of them
   */
  public static IdentityKind fromWire(String wireName) {
    return Wire.parse(IdentityKind.class, wireName, "kind");
  }
}
