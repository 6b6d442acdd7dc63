package dev.switchboard.emulator.media;

import io.vertx.core.buffer.Buffer;

/** Writes 16 kHz mono 16-bit PCM WAV files: a caller's simulated voice (a tone) followed by silence. */
public final class WavSynth {

  /** Sample rate of everything written. */
  public static final int SAMPLE_RATE = 16000;
  private static final double TONE_HZ = 440.0;
  private static final double AMPLITUDE = 0.3 * Short.MAX_VALUE;

  private WavSynth() {
  }

  /**
   * A WAV of {@code toneSeconds} of a 440 Hz tone then {@code silenceSeconds} of silence.
   *
   * @throws IllegalArgumentException when a length is negative or the total exceeds 10 minutes
   */
  public static Buffer toneThenSilence(double toneSeconds, double silenceSeconds) {
    if (toneSeconds < 0 || silenceSeconds < 0 || toneSeconds + silenceSeconds > 600) {
      throw new IllegalArgumentException("lengths must be >= 0 and total at most 600 s");
    }
    int toneSamples = (int) Math.round(toneSeconds * SAMPLE_RATE);
    int total = toneSamples + (int) Math.round(silenceSeconds * SAMPLE_RATE);
    Buffer b = Buffer.buffer(44 + total * 2);
    b.appendString("RIFF").appendIntLE(36 + total * 2).appendString("WAVE");
    b.appendString("fmt ").appendIntLE(16).appendShortLE((short) 1).appendShortLE((short) 1)
        .appendIntLE(SAMPLE_RATE).appendIntLE(SAMPLE_RATE * 2).appendShortLE((short) 2).appendShortLE((short) 16);
    b.appendString("data").appendIntLE(total * 2);
    for (int i = 0; i < total; i++) {
      short s = i < toneSamples ? (short) (AMPLITUDE * Math.sin(2 * Math.PI * TONE_HZ * i / SAMPLE_RATE)) : 0;
      b.appendShortLE(s);
    }
    return b;
  }
}
