package dev.switchboard.api.calls;

/** A DTMF key, as Graph names it ({@code tone0} … {@code tone9}, {@code star}, {@code pound}, {@code a} … {@code d}, {@code flash}). */
public enum Tone {
  TONE0, TONE1, TONE2, TONE3, TONE4, TONE5, TONE6, TONE7, TONE8, TONE9, STAR, POUND, A, B, C, D, FLASH;

  /** The name on the wire, e.g. {@code pound}. */
  public String wireName() {
    return Wire.name(this);
  }

  /**
   * The constant named {@code wireName} on the wire.
   *
   * @throws dev.switchboard.api.SwitchboardException 400 listing the names when {@code wireName} is none of them
   */
  public static Tone fromWire(String wireName) {
    return Wire.parse(Tone.class, wireName, "tone");
  }
}
