package dev.switchboard.media;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes mono 16-bit PCM WAV files, the only format Graph plays. Stateless. */
final class WavEncoder {

  static final int HEADER_BYTES = 44;

  private WavEncoder() {
  }

  /** A canonical 44-byte-header WAV of {@code samples} in [-1, 1], rounded and clipped to 16 bits. */
  static byte[] pcm16Mono(float[] samples, int sampleRate) {
    int dataBytes = samples.length * 2;
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    out.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes)
        .put("WAVE".getBytes(StandardCharsets.US_ASCII))
        .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16)
        .putShort((short) 1).putShort((short) 1).putInt(sampleRate).putInt(sampleRate * 2)
        .putShort((short) 2).putShort((short) 16)
        .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
    for (float s : samples) {
      long v = Math.round(s * 32768.0);
      out.putShort((short) Math.max(-32768, Math.min(32767, v)));
    }
    return out.array();
  }
}
