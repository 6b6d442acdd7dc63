package dev.switchboard.emulator.media;

import io.vertx.core.buffer.Buffer;

/**
 * The format of a RIFF/WAVE file, as read from its {@code fmt } and {@code data} chunks.
 *
 * @param audioFormat the WAVE format tag (1 = PCM; 0xFFFE extensible formats report their sub-format)
 * @param channels number of channels
 * @param sampleRate samples per second
 * @param bitsPerSample bits per sample
 * @param dataBytes size of the audio data
 * @param dataOffset where the audio data begins in the file
 */
public record WavInfo(int audioFormat, int channels, int sampleRate, int bitsPerSample, long dataBytes,
    int dataOffset) {

  /** What Graph requires of a prompt: PCM, mono, 16-bit, 16 kHz. */
  public static final String PROMPT_FORMAT = "RIFF/WAVE PCM, mono, 16-bit, 16000 Hz";

  private static final int PCM = 1;
  private static final int EXTENSIBLE = 0xFFFE;

  /**
   * Parses the headers of a WAV file.
   *
   * @throws IllegalArgumentException describing why the bytes are not a readable WAV file
   */
  public static WavInfo parse(Buffer bytes) {
    if (bytes.length() < 12 || !"RIFF".equals(fourCc(bytes, 0)) || !"WAVE".equals(fourCc(bytes, 8))) {
      throw new IllegalArgumentException("not a RIFF/WAVE file (the first bytes are not 'RIFF....WAVE')");
    }
    int pos = 12;
    Integer format = null;
    int channels = 0;
    int rate = 0;
    int bits = 0;
    while (pos + 8 <= bytes.length()) {
      String id = fourCc(bytes, pos);
      long size = bytes.getUnsignedIntLE(pos + 4);
      int body = pos + 8;
      if (id.equals("fmt ")) {
        if (size < 16 || body + 16 > bytes.length()) {
          throw new IllegalArgumentException("the 'fmt ' chunk is truncated");
        }
        format = bytes.getUnsignedShortLE(body);
        channels = bytes.getUnsignedShortLE(body + 2);
        rate = (int) bytes.getUnsignedIntLE(body + 4);
        bits = bytes.getUnsignedShortLE(body + 14);
        if (format == EXTENSIBLE && size >= 40 && body + 26 <= bytes.length()) {
          format = bytes.getUnsignedShortLE(body + 24); // first two bytes of the sub-format GUID
        }
      } else if (id.equals("data")) {
        if (format == null) {
          throw new IllegalArgumentException("the 'data' chunk comes before any 'fmt ' chunk");
        }
        long available = Math.min(size, bytes.length() - (long) body);
        return new WavInfo(format, channels, rate, bits, available, body);
      }
      pos = body + (int) Math.min(size + (size & 1), Integer.MAX_VALUE - body);
    }
    throw new IllegalArgumentException(format == null ? "no 'fmt ' chunk" : "no 'data' chunk");
  }

  /** Whether this is the format Graph plays: PCM, mono, 16-bit, 16 kHz. */
  public boolean isGraphPromptFormat() {
    return audioFormat == PCM && channels == 1 && bitsPerSample == 16 && sampleRate == 16000;
  }

  /** The audio's length in milliseconds. */
  public double durationMillis() {
    long bytesPerSecond = (long) sampleRate * channels * Math.max(1, bitsPerSample / 8);
    return bytesPerSecond == 0 ? 0 : dataBytes * 1000.0 / bytesPerSecond;
  }

  /** For messages: "PCM, 2 channels, 16-bit, 44100 Hz". */
  public String describe() {
    String f = audioFormat == PCM ? "PCM" : "format tag " + audioFormat;
    return f + ", " + (channels == 1 ? "mono" : channels + " channels") + ", " + bitsPerSample + "-bit, " + sampleRate + " Hz";
  }

  private static String fourCc(Buffer b, int at) {
    return new String(b.getBytes(at, at + 4), java.nio.charset.StandardCharsets.US_ASCII);
  }
}
