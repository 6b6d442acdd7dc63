package dev.switchboard.ivr;

import io.vertx.core.buffer.Buffer;

/**
 * Beeps in Graph's prompt format (RIFF/WAVE PCM, 16 kHz, mono, 16-bit): what a text prompt is played as when the
 * server has no speech synthesiser, so that a flow still runs, with its timing, without espeak-ng.
 */
final class ToneWav {

  static final int RATE = 16_000;
  static final long MAX_MS = 20_000;

  private ToneWav() {
  }

  /** About as long as {@code text} takes to say (≈ 65 ms a character, 0.5 to 20 s). */
  static long lengthFor(String text) {
    return Math.max(500, Math.min(MAX_MS, text.length() * 65L));
  }

  /** {@code ms} of 440 Hz beeps, 200 ms on and 200 ms off. */
  static Buffer beeps(long ms) {
    int samples = (int) (Math.max(1, Math.min(ms, MAX_MS)) * RATE / 1000);
    Buffer wav = Buffer.buffer(44 + samples * 2);
    wav.appendString("RIFF").appendIntLE(36 + samples * 2).appendString("WAVE")
        .appendString("fmt ").appendIntLE(16).appendShortLE((short) 1).appendShortLE((short) 1)
        .appendIntLE(RATE).appendIntLE(RATE * 2).appendShortLE((short) 2).appendShortLE((short) 16)
        .appendString("data").appendIntLE(samples * 2);
    for (int i = 0; i < samples; i++) {
      boolean on = (i / (RATE / 5)) % 2 == 0;
      double v = on ? Math.sin(2 * Math.PI * 440 * i / RATE) * 0.25 : 0;
      wav.appendShortLE((short) Math.round(v * Short.MAX_VALUE));
    }
    return wav;
  }
}
