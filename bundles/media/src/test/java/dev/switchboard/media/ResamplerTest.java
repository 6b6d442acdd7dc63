package dev.switchboard.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The resampler on generated tones: frequencies kept, passband flat, nothing above the new Nyquist aliased. */
class ResamplerTest {

  private static final double AMPLITUDE = 0.5;
  private static final double SINE_RMS = AMPLITUDE / Math.sqrt(2);

  private static double gainDb(double hz, int from, int to) {
    float[] out = new Resampler(from, to).process(Signals.sine(hz, from, 1.0, AMPLITUDE));
    return Signals.db(Signals.rms(out) / SINE_RMS);
  }

  @Test
  void keepsTheFrequencyAndLengthOfA1kHzSineFrom44100To16000() {
    float[] out = new Resampler(44_100, 16_000).process(Signals.sine(1000, 44_100, 2.0, AMPLITUDE));
    assertEquals(32_000, out.length);
    double hz = Signals.zeroCrossingHz(out, 16_000);
    assertEquals(1000.0, hz, 0.05, "measured " + hz + " Hz");
    assertEquals(0.0, Signals.db(Signals.rms(out) / SINE_RMS), 0.01);
  }

  @Test
  void passbandIsFlatUpTo7200HzAtEveryCommonRate() {
    for (int rate : new int[] {8_000, 11_025, 22_050, 24_000, 32_000, 44_100, 48_000}) {
      int nyquist = Math.min(rate, 16_000) / 2;
      for (double fraction : new double[] {0.1, 0.5, 0.85}) {
        double gain = gainDb(fraction * nyquist, rate, 16_000);
        assertEquals(0.0, gain, 0.05, rate + " Hz, tone at " + fraction * nyquist + " Hz: " + gain + " dB");
      }
    }
    // 7 kHz is below the new Nyquist frequency (8 kHz): it must pass, not be attenuated.
    double at7k = gainDb(7000, 44_100, 16_000);
    assertEquals(0.0, at7k, 0.05, "7 kHz: " + at7k + " dB");
  }

  @Test
  void tonesAboveTheNewNyquistAreAttenuatedBeyond85dB() {
    for (int rate : new int[] {22_050, 44_100, 48_000}) {
      for (double hz : new double[] {8_000, 8_500, 9_000, 10_000, 12_000, 15_000}) {
        if (hz >= rate / 2.0) {
          continue;
        }
        double gain = gainDb(hz, rate, 16_000);
        assertTrue(gain < -85, rate + " Hz, tone at " + hz + " Hz (would alias to " + (16_000 - hz) + " Hz): "
            + gain + " dB");
      }
    }
  }

  @Test
  void upsamplingDoesNotImage() {
    float[] out = new Resampler(8_000, 16_000).process(Signals.sine(1000, 8_000, 1.0, AMPLITUDE));
    assertEquals(1000.0, Signals.zeroCrossingHz(out, 16_000), 0.05);
    // An image of 1 kHz would sit at 7 kHz: take the sine out and what is left must be tiny.
    float[] ideal = Signals.sine(1000, 16_000, 1.0, AMPLITUDE);
    float[] residual = new float[out.length];
    for (int i = 0; i < out.length; i++) {
      residual[i] = out[i] - ideal[i];
    }
    assertTrue(Signals.db(Signals.rms(residual) / SINE_RMS) < -80, "residual " + Signals.rms(residual));
  }

  @Test
  void besselI0MatchesKnownValues() {
    assertEquals(1.0, Resampler.besselI0(0), 1e-15);
    assertEquals(2.2795853023360673, Resampler.besselI0(2), 1e-12);
    assertEquals(2815.716628466254, Resampler.besselI0(10), 1e-8);
  }
}
