package dev.switchboard.media;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads a RIFF/WAVE file of linear PCM (8-bit unsigned, 16/24/32-bit signed) or IEEE float (32/64-bit), with any
 * number of channels, including {@code WAVE_FORMAT_EXTENSIBLE}, and mixes it down to mono samples in [-1, 1].
 *
 * <p>Everything else fails with a {@link SwitchboardException} whose message says what the input is and what is
 * wrong: {@code 415 notWav} (not a RIFF/WAVE file), {@code 415 compressedWav} (ADPCM, G.711, MP3... in a WAV),
 * {@code 422 corruptWav} (truncated or inconsistent header), {@code 422 emptyAudio} (no bytes, or no samples),
 * {@code 422 unsupportedWav} (a rate or sample size outside what is supported). Stateless and thread-safe.
 */
final class WavDecoder {

  static final int MIN_RATE = 8_000;
  static final int MAX_RATE = 192_000;

  private static final int PCM = 0x0001;
  private static final int IEEE_FLOAT = 0x0003;
  private static final int EXTENSIBLE = 0xFFFE;

  private WavDecoder() {
  }

  /** Decoded audio: the source format in words and the mono samples. */
  record Decoded(int sampleRate, int channels, int bitsPerSample, String encoding, float[] samples) {

    String describe() {
      return String.format("%s %d-bit %s %d Hz", encoding, bitsPerSample,
          channels == 1 ? "mono" : channels == 2 ? "stereo" : channels + "-channel", sampleRate);
    }

    long durationMillis() {
      return samples.length * 1000L / sampleRate;
    }
  }

  static Decoded decode(byte[] file) {
    if (file.length == 0) {
      throw new SwitchboardException(ErrorCode.UNPROCESSABLE, "emptyAudio", "The upload is empty (0 bytes).");
    }
    if (file.length < 12 || !ascii(file, 0, 4).equals("RIFF") || !ascii(file, 8, 4).equals("WAVE")) {
      if (file.length >= 4 && ascii(file, 0, 4).equals("RIFF")) {
        throw new SwitchboardException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "notWav",
            "A RIFF file but not WAVE audio (its form type is '" + (file.length >= 12 ? printable(file, 8, 4) : "?")
                + "'); upload a WAV file.");
      }
      throw new SwitchboardException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "notWav",
          "Not a WAV file: it starts with '" + printable(file, 0, Math.min(8, file.length))
              + "' where a WAV file starts with 'RIFF....WAVE'.");
    }
    ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int pos = 12;
    Format format = null;
    while (pos + 8 <= file.length) {
      String id = ascii(file, pos, 4);
      long size = Integer.toUnsignedLong(in.getInt(pos + 4));
      int body = pos + 8;
      if (id.equals("fmt ")) {
        if (size < 16 || body + size > file.length) {
          throw corrupt("its 'fmt ' chunk is truncated (" + Math.max(0, file.length - body) + " of " + size
              + " bytes present, at least 16 needed)");
        }
        format = Format.read(in, body, (int) size);
      } else if (id.equals("data")) {
        if (format == null) {
          throw corrupt("its 'data' chunk comes before any 'fmt ' chunk");
        }
        // Streamed WAVs declare an unknown (0 or 0xFFFFFFFF) or too large size: take what is there.
        long available = Math.min(size == 0 ? Long.MAX_VALUE : size, file.length - body);
        return format.decode(in, body, (int) available);
      }
      if (size > file.length) {
        break;
      }
      pos = body + (int) size + (int) (size & 1);
    }
    throw corrupt(format == null ? "it has no 'fmt ' chunk (the header is truncated or damaged)"
        : "it has no 'data' chunk");
  }

  private static SwitchboardException corrupt(String what) {
    return new SwitchboardException(ErrorCode.UNPROCESSABLE, "corruptWav", "Corrupt WAV file: " + what + ".");
  }

  private static String ascii(byte[] b, int from, int length) {
    return new String(b, from, length, StandardCharsets.ISO_8859_1);
  }

  private static String printable(byte[] b, int from, int length) {
    StringBuilder s = new StringBuilder();
    for (int i = from; i < from + length; i++) {
      int c = b[i] & 0xFF;
      s.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02X", c));
    }
    return s.toString();
  }

  private record Format(int tag, int channels, int rate, int blockAlign, int bits) {

    static Format read(ByteBuffer in, int at, int size) {
      int tag = Short.toUnsignedInt(in.getShort(at));
      int channels = Short.toUnsignedInt(in.getShort(at + 2));
      int rate = in.getInt(at + 4);
      int blockAlign = Short.toUnsignedInt(in.getShort(at + 12));
      int bits = Short.toUnsignedInt(in.getShort(at + 14));
      if (tag == EXTENSIBLE) {
        if (size < 40) {
          throw corrupt("its WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is " + size + " bytes, 40 expected");
        }
        tag = Short.toUnsignedInt(in.getShort(at + 24)); // first two bytes of the SubFormat GUID
      }
      return new Format(tag, channels, rate, blockAlign, bits);
    }

    Decoded decode(ByteBuffer in, int at, int length) {
      if (tag != PCM && tag != IEEE_FLOAT) {
        throw new SwitchboardException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "compressedWav",
            "Compressed WAV (" + codecName(tag) + ", format tag 0x" + String.format("%04X", tag)
                + ") is not supported; upload uncompressed PCM WAV (8/16/24/32-bit, 8-192 kHz).");
      }
      if (channels < 1) {
        throw corrupt("it declares 0 channels");
      }
      if (rate < MIN_RATE || rate > MAX_RATE) {
        throw new SwitchboardException(ErrorCode.UNPROCESSABLE, "unsupportedWav",
            "Unsupported sample rate " + Integer.toUnsignedString(rate) + " Hz; supported: " + MIN_RATE + "-" + MAX_RATE
                + " Hz.");
      }
      boolean ok = tag == PCM ? bits == 8 || bits == 16 || bits == 24 || bits == 32 : bits == 32 || bits == 64;
      if (!ok) {
        throw new SwitchboardException(ErrorCode.UNPROCESSABLE, "unsupportedWav",
            "Unsupported sample size: " + bits + "-bit " + (tag == PCM ? "PCM" : "float")
                + "; supported: 8/16/24/32-bit PCM, 32/64-bit float.");
      }
      int bytes = bits / 8;
      if (blockAlign != bytes * channels) {
        throw corrupt("its block size is " + blockAlign + " bytes where " + channels + " channel(s) of " + bits
            + "-bit samples need " + bytes * channels);
      }
      int frames = length / blockAlign;
      if (frames == 0) {
        throw new SwitchboardException(ErrorCode.UNPROCESSABLE, "emptyAudio", "The WAV file holds no audio samples.");
      }
      float[] mono = new float[frames];
      float scale = 1f / channels;
      for (int f = 0; f < frames; f++) {
        int p = at + f * blockAlign;
        double sum = 0;
        for (int c = 0; c < channels; c++, p += bytes) {
          sum += sample(in, p);
        }
        mono[f] = (float) (sum * scale);
      }
      return new Decoded(rate, channels, bits, tag == PCM ? "PCM" : "float", mono);
    }

    private double sample(ByteBuffer in, int p) {
      if (tag == IEEE_FLOAT) {
        return bits == 32 ? in.getFloat(p) : in.getDouble(p);
      }
      return switch (bits) {
        case 8 -> ((in.get(p) & 0xFF) - 128) / 128.0;
        case 16 -> in.getShort(p) / 32768.0;
        case 24 -> ((in.get(p) & 0xFF) | (in.get(p + 1) & 0xFF) << 8 | in.get(p + 2) << 16) / 8388608.0;
        default -> in.getInt(p) / 2147483648.0;
      };
    }

    private static String codecName(int tag) {
      return switch (tag) {
        case 0x0002 -> "Microsoft ADPCM";
        case 0x0006 -> "A-law";
        case 0x0007 -> "mu-law";
        case 0x0011 -> "IMA ADPCM";
        case 0x0031 -> "GSM 6.10";
        case 0x0055 -> "MP3";
        case 0x0160, 0x0161 -> "WMA";
        default -> "codec";
      };
    }
  }
}
