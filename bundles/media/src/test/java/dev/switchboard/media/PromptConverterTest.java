package dev.switchboard.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.SwitchboardException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** WAV parsing and the whole conversion to Graph's format, on generated files. */
class PromptConverterTest {

  private final PromptConverter converter = new PromptConverter();

  private static void assertGraphFormat(byte[] wav) {
    ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals("RIFF", new String(wav, 0, 4, StandardCharsets.US_ASCII));
    assertEquals(wav.length - 8, b.getInt(4));
    assertEquals("WAVE", new String(wav, 8, 4, StandardCharsets.US_ASCII));
    assertEquals(1, b.getShort(20), "PCM");
    assertEquals(1, b.getShort(22), "mono");
    assertEquals(16_000, b.getInt(24));
    assertEquals(32_000, b.getInt(28));
    assertEquals(16, b.getShort(34));
    assertEquals(wav.length - 44, b.getInt(40));
  }

  @Test
  void a1kHzSineAt44100StereoAnd24BitComesOut16kHzMono16BitAt1kHz() {
    byte[] in = Signals.wav(Signals.sine(1000, 44_100, 2.0, 0.5), 44_100, 2, 24, 1);
    PromptConverter.Converted out = converter.convert(in);
    assertGraphFormat(out.wav());
    assertEquals("PCM 24-bit stereo 44100 Hz", out.sourceFormat());
    assertEquals(2000, out.durationMillis());
    float[] samples = Signals.pcm16(out.wav());
    assertEquals(32_000, samples.length);
    assertEquals(1000.0, Signals.zeroCrossingHz(samples, 16_000), 0.05);
    assertEquals(0.5 / Math.sqrt(2), Signals.rms(samples), 0.001);
  }

  @Test
  void a7kHzToneIsKeptAndTonesAboveTheNewNyquistVanishInto16BitSilence() {
    float[] at7k = Signals.pcm16(converter.convert(Signals.wav(Signals.sine(7000, 44_100, 1.0, 0.5), 44_100, 2, 24, 1))
        .wav());
    assertEquals(7000.0, Signals.zeroCrossingHz(at7k, 16_000), 0.1);
    assertEquals(0.0, Signals.db(Signals.rms(at7k) / (0.5 / Math.sqrt(2))), 0.05);
    for (double hz : new double[] {9_000, 10_000, 12_000}) {
      float[] out = Signals.pcm16(converter.convert(Signals.wav(Signals.sine(hz, 44_100, 1.0, 0.5), 44_100, 2, 24, 1))
          .wav());
      double db = Signals.db(Signals.rms(out) / (0.5 / Math.sqrt(2)));
      // 16-bit rounding noise alone is about -92 dB below this tone.
      assertTrue(db < -85, hz + " Hz came out at " + db + " dB");
    }
  }

  @Test
  void everyCommonPcmLayoutConverts() {
    float[] tone = Signals.sine(440, 8_000, 0.5, 0.5);
    for (int rate : new int[] {8_000, 11_025, 16_000, 22_050, 32_000, 44_100, 48_000}) {
      float[] s = Signals.sine(440, rate, 0.5, 0.5);
      for (int channels : new int[] {1, 2}) {
        for (int bits : new int[] {8, 16, 24, 32}) {
          PromptConverter.Converted out = converter.convert(Signals.wav(s, rate, channels, bits, 1));
          assertGraphFormat(out.wav());
          assertEquals(440.0, Signals.zeroCrossingHz(Signals.pcm16(out.wav()), 16_000), 0.5,
              rate + "/" + channels + "/" + bits);
        }
      }
    }
    assertGraphFormat(converter.convert(Signals.wav(tone, 8_000, 1, 32, 3)).wav());
  }

  @Test
  void idsAreStableContentHashesInGuidForm() {
    byte[] in = Signals.wav(Signals.sine(440, 16_000, 0.2, 0.5), 16_000, 1, 16, 1);
    String id = converter.convert(in).id();
    assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), id);
    assertEquals(id, converter.convert(in.clone()).id());
    assertArrayEquals(in, converter.convert(in).wav(), "16 kHz mono 16-bit passes through unchanged");
    assertNotEquals(id, converter.convert(Signals.wav(Signals.sine(441, 16_000, 0.2, 0.5), 16_000, 1, 16, 1)).id());
  }

  private static SwitchboardException refused(byte[] file) {
    return assertThrows(SwitchboardException.class, () -> new PromptConverter().convert(file));
  }

  @Test
  void unusableFilesAreRefusedWithWhatIsWrong() {
    byte[] good = Signals.wav(Signals.sine(440, 16_000, 0.2, 0.5), 16_000, 1, 16, 1);

    SwitchboardException text = refused("Hello, this is a text file\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(415, text.status());
    assertEquals("notWav", text.errorId());
    assertTrue(text.getMessage().contains("'Hello, t'"), text.getMessage());

    SwitchboardException empty = refused(new byte[0]);
    assertEquals(422, empty.status());
    assertEquals("emptyAudio", empty.errorId());

    SwitchboardException truncated = refused(Arrays.copyOf(good, 30));
    assertEquals(422, truncated.status());
    assertEquals("corruptWav", truncated.errorId());
    assertTrue(truncated.getMessage().contains("'fmt ' chunk is truncated"), truncated.getMessage());

    SwitchboardException noSamples = refused(Arrays.copyOf(good, 44));
    assertEquals("emptyAudio", noSamples.errorId());

    SwitchboardException adpcm = refused(Signals.wav(Signals.sine(440, 8_000, 0.2, 0.5), 8_000, 1, 16, 0x11));
    assertEquals(415, adpcm.status());
    assertEquals("compressedWav", adpcm.errorId());
    assertTrue(adpcm.getMessage().contains("IMA ADPCM"), adpcm.getMessage());

    byte[] badRate = good.clone();
    ByteBuffer.wrap(badRate).order(ByteOrder.LITTLE_ENDIAN).putInt(24, 4_000);
    SwitchboardException rate = refused(badRate);
    assertEquals("unsupportedWav", rate.errorId());
    assertTrue(rate.getMessage().contains("4000 Hz"), rate.getMessage());

    byte[] riffAvi = good.clone();
    System.arraycopy("AVI ".getBytes(StandardCharsets.US_ASCII), 0, riffAvi, 8, 4);
    assertEquals("notWav", refused(riffAvi).errorId());
  }

  @Test
  void aTruncatedDataChunkKeepsTheWholeFramesThatArePresent() {
    byte[] good = Signals.wav(Signals.sine(440, 16_000, 0.5, 0.5), 16_000, 2, 16, 1);
    PromptConverter.Converted out = converter.convert(Arrays.copyOf(good, good.length - 1001));
    assertEquals((good.length - 44 - 1001) / 4, Signals.pcm16(out.wav()).length);
  }
}
