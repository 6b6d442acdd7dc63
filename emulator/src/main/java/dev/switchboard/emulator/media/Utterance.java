package dev.switchboard.emulator.media;

import io.vertx.core.buffer.Buffer;

/**
 * What a simulated caller says when the bot records them: either real audio (the samples of a WAV file in Graph's
 * format) or a stretch of simulated voice (a tone) of a given length.
 *
 * @param seconds how long the caller speaks, in emulated seconds
 * @param samples the audio, 16 kHz mono 16-bit little-endian PCM samples; {@code null} for a tone
 */
public record Utterance(double seconds, Buffer samples) {

  /** The longest an utterance may be (the longest recording Graph makes is 120 s). */
  public static final double MAX_SECONDS = 120;

  public Utterance {
    if (!(seconds >= 0) || seconds > MAX_SECONDS) {
      throw new IllegalArgumentException("an utterance lasts 0 to " + (int) MAX_SECONDS + " seconds, got " + seconds);
    }
  }

  /** {@code seconds} of simulated voice (a 440 Hz tone); 0: the caller says nothing. */
  public static Utterance tone(double seconds) {
    return new Utterance(seconds, null);
  }

  /**
   * The audio of a WAV file, which must be in the format Graph records and plays ({@link WavInfo#PROMPT_FORMAT}).
   *
   * @throws IllegalArgumentException saying what is wrong with the file
   */
  public static Utterance ofWav(Buffer wav) {
    WavInfo info = WavInfo.parse(wav);
    if (!info.isGraphPromptFormat()) {
      throw new IllegalArgumentException("the audio must be " + WavInfo.PROMPT_FORMAT + "; this file is "
          + info.describe());
    }
    Buffer samples = wav.getBuffer(info.dataOffset(), info.dataOffset() + (int) info.dataBytes());
    return new Utterance(info.durationMillis() / 1000.0, samples);
  }

  /**
   * The WAV file a recording of {@code recordedSeconds} makes of this utterance: what the caller said, cut at the
   * end of the recording, then silence until it.
   */
  public Buffer recording(double recordedSeconds) {
    double voiced = Math.min(seconds, recordedSeconds);
    double silence = Math.max(0, recordedSeconds - voiced);
    if (samples == null) {
      return WavSynth.toneThenSilence(voiced, silence);
    }
    int bytes = Math.min(samples.length(), (int) Math.round(voiced * WavSynth.SAMPLE_RATE) * 2);
    return WavSynth.samplesThenSilence(samples.getBuffer(0, bytes), silence);
  }

  /** For messages: "2.5 s of audio" or "3.0 s of simulated voice". */
  public String describe() {
    return seconds + " s of " + (samples == null ? "simulated voice" : "audio");
  }
}
