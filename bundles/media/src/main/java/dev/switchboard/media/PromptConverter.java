package dev.switchboard.media;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns an uploaded WAV file into Graph's prompt format (RIFF/WAVE PCM, mono, 16-bit, 16 kHz) and names the result
 * by its content. Blocking (CPU-bound): call it off the event loop. Thread-safe.
 */
final class PromptConverter {

  /** The only format Graph's service-hosted media plays. */
  static final int RATE = 16_000;

  private final Map<Integer, Resampler> resamplers = new ConcurrentHashMap<>();

  /** A converted prompt. */
  record Converted(String id, byte[] wav, long durationMillis, String sourceFormat) {
  }

  /**
   * Decodes, mixes down, resamples and encodes {@code file}.
   *
   * @throws dev.switchboard.api.SwitchboardException (415/422) when the file is not usable audio; see
   *     {@link WavDecoder}
   */
  Converted convert(byte[] file) {
    WavDecoder.Decoded decoded = WavDecoder.decode(file);
    float[] samples = decoded.sampleRate() == RATE ? decoded.samples()
        : resamplers.computeIfAbsent(decoded.sampleRate(), r -> new Resampler(r, RATE)).process(decoded.samples());
    byte[] wav = WavEncoder.pcm16Mono(samples, RATE);
    return new Converted(contentId(wav), wav, samples.length * 1000L / RATE, decoded.describe());
  }

  /**
   * A stable id for content: the first 128 bits of its SHA-256 written as a GUID, since Graph's
   * {@code mediaInfo.resourceId} (its cache key) is a GUID string.
   */
  static String contentId(byte[] content) {
    byte[] h = sha256(content);
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      hex.append(String.format("%02x", h[i]));
      if (i == 3 || i == 5 || i == 7 || i == 9) {
        hex.append('-');
      }
    }
    return hex.toString();
  }

  static String contentId(String text) {
    return contentId(text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
