package dev.switchboard.media;

import dev.switchboard.api.calls.Tone;

/** The keys of Graph's tones ({@code tone1} is {@code 1}, {@code pound} is {@code #}, ...), as a gather collects them. */
final class Tones {

  private Tones() {
  }

  /** The key of {@code tone}: {@code 0}-{@code 9}, {@code *}, {@code #}, {@code A}-{@code D}; {@code null} for flash. */
  static String key(Tone tone) {
    return switch (tone) {
      case STAR -> "*";
      case POUND -> "#";
      case FLASH -> null;
      case A, B, C, D -> tone.name();
      default -> tone.name().substring("TONE".length());
    };
  }
}
