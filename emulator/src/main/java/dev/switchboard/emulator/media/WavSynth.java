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
   * A WAV of silence in any PCM 16-bit format (to try what Graph rejects, such as 44.1 kHz stereo).
   *
   * @throws IllegalArgumentException when a value is out of range (rate 8000-192000, 1-8 channels, at most 60 s)
   */
  public static Buffer silence(int sampleRate, int channels, double seconds) {
    if (sampleRate < 8000 || sampleRate > 192000 || channels < 1 || channels > 8 || seconds < 0 || seconds > 60) {
      throw new IllegalArgumentException("rate must be 8000-192000, channels 1-8, seconds 0-60");
    }
    int bytes = (int) Math.round(seconds * sampleRate) * channels * 2;
    return header(sampleRate, channels, bytes).appendBytes(new byte[bytes]);
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
    Buffer b = header(SAMPLE_RATE, 1, total * 2);
    for (int i = 0; i < total; i++) {
      short s = i < toneSamples ? (short) (AMPLITUDE * Math.sin(2 * Math.PI * TONE_HZ * i / SAMPLE_RATE)) : 0;
      b.appendShortLE(s);
    }
    return b;
  }

  /**
   * A WAV of the given 16 kHz mono 16-bit samples (what a caller said) then {@code silenceSeconds} of silence.
   *
   * @throws IllegalArgumentException when the silence is negative or the total exceeds 10 minutes
   */
  public static Buffer samplesThenSilence(Buffer samples, double silenceSeconds) {
    int silence = (int) Math.round(silenceSeconds * SAMPLE_RATE) * 2;
    if (silenceSeconds < 0 || samples.length() + (long) silence > 600L * SAMPLE_RATE * 2) {
      throw new IllegalArgumentException("silence must be >= 0 and the total at most 600 s");
    }
    int dataBytes = samples.length() + silence;
    return header(SAMPLE_RATE, 1, dataBytes).appendBuffer(samples).appendBytes(new byte[silence]);
  }

  private static Buffer header(int rate, int channels, int dataBytes) {
    return Buffer.buffer(44 + dataBytes)
        .appendString("RIFF").appendIntLE(36 + dataBytes).appendString("WAVE")
        .appendString("fmt ").appendIntLE(16).appendShortLE((short) 1).appendShortLE((short) channels)
        .appendIntLE(rate).appendIntLE(rate * channels * 2).appendShortLE((short) (channels * 2)).appendShortLE((short) 16)
        .appendString("data").appendIntLE(dataBytes);
  }
}
