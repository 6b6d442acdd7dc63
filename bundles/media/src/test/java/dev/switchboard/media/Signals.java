package dev.switchboard.media;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Generated test signals and the measurements the conversion tests make on them. */
public final class Signals {

  private Signals() {
  }

  /** A sine of {@code hz} at {@code rate}, {@code seconds} long, peak {@code amplitude}. */
  public static float[] sine(double hz, int rate, double seconds, double amplitude) {
    float[] s = new float[(int) Math.round(rate * seconds)];
    for (int i = 0; i < s.length; i++) {
      s[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
    }
    return s;
  }

  /**
   * A PCM WAV of {@code channels} copies of {@code mono} ({@code formatTag} 1 = PCM, 3 = float; any other tag is
   * written as-is with 16-bit data, to fake compressed files).
   */
  public static byte[] wav(float[] mono, int rate, int channels, int bits, int formatTag) {
    int bytes = bits / 8;
    ByteBuffer data = ByteBuffer.allocate(mono.length * channels * bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : mono) {
      for (int c = 0; c < channels; c++) {
        if (formatTag == 3) {
          data.putFloat(v);
          continue;
        }
        switch (bits) {
          case 8 -> data.put((byte) (Math.round(v * 127) + 128));
          case 16 -> data.putShort((short) Math.round(v * 32767));
          case 24 -> {
            int x = (int) Math.round(v * 8388607);
            data.put((byte) x).put((byte) (x >> 8)).put((byte) (x >> 16));
          }
          default -> data.putInt((int) Math.round(v * 2147483647.0));
        }
      }
    }
    ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data.capacity())
        .put("WAVE".getBytes(StandardCharsets.US_ASCII)).put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16)
        .putShort((short) formatTag).putShort((short) channels).putInt(rate).putInt(rate * channels * bytes)
        .putShort((short) (channels * bytes)).putShort((short) bits)
        .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data.capacity());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header.array());
    out.writeBytes(data.array());
    return out.toByteArray();
  }

  /** The samples of a mono 16-bit WAV with a 44-byte header, in [-1, 1]. */
  public static float[] pcm16(byte[] wav) {
    ByteBuffer in = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    float[] s = new float[(wav.length - 44) / 2];
    for (int i = 0; i < s.length; i++) {
      s[i] = in.getShort(44 + 2 * i) / 32768f;
    }
    return s;
  }

  /** The frequency of a sine, from its upward zero crossings (linearly interpolated) between 10 % and 90 %. */
  public static double zeroCrossingHz(float[] s, int rate) {
    double first = -1;
    double last = -1;
    int count = 0;
    for (int i = s.length / 10; i < s.length * 9 / 10; i++) {
      if (s[i - 1] < 0 && s[i] >= 0) {
        double t = i - 1 + s[i - 1] / (double) (s[i - 1] - s[i]);
        if (first < 0) {
          first = t;
        } else {
          count++;
        }
        last = t;
      }
    }
    return count * (double) rate / (last - first);
  }

  /** The RMS of the middle 80 % (the filter's edge transients left out). */
  public static double rms(float[] s) {
    double sum = 0;
    int from = s.length / 10;
    int to = s.length * 9 / 10;
    for (int i = from; i < to; i++) {
      sum += (double) s[i] * s[i];
    }
    return Math.sqrt(sum / (to - from));
  }

  public static double db(double ratio) {
    return 20 * Math.log10(ratio);
  }
}
