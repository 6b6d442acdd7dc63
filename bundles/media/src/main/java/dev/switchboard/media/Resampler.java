package dev.switchboard.media;

/**
 * A band-limited sample-rate converter: each output sample is the input convolved with a Kaiser-windowed sinc
 * low-pass filter evaluated at the output instant (Smith's bandlimited interpolation), so any pair of rates
 * works, rational or not.
 *
 * <p>The filter's cutoff follows the lower of the two rates: it passes up to {@value #PASSBAND} of that rate's
 * Nyquist frequency with under 0.01 dB of ripple and attenuates everything from that Nyquist frequency up by at
 * least {@value #STOPBAND_DB} dB, so downsampling does not alias (44.1 kHz to 16 kHz: flat to 7.2 kHz, -90 dB from
 * 8 kHz) and upsampling does not image. The kernel is tabulated once per instance ({@value #TABLE_STEPS} points per
 * input sample, linearly interpolated). Instances are immutable and thread-safe.
 */
final class Resampler {

  static final double PASSBAND = 0.9;
  static final double STOPBAND_DB = 90;
  private static final int TABLE_STEPS = 512;

  private final int inRate;
  private final int outRate;
  private final int halfWidth;
  private final float[] kernel;

  Resampler(int inRate, int outRate) {
    if (inRate <= 0 || outRate <= 0) {
      throw new IllegalArgumentException("rates must be positive: " + inRate + " -> " + outRate);
    }
    this.inRate = inRate;
    this.outRate = outRate;
    double nyquist = Math.min(inRate, outRate) / 2.0;
    double passEdge = PASSBAND * nyquist;
    double cutoff = (passEdge + nyquist) / 2; // -6 dB point, midway through the transition band
    double transition = (nyquist - passEdge) / inRate; // in cycles per input sample
    double beta = 0.1102 * (STOPBAND_DB - 8.7);
    int taps = (int) Math.ceil((STOPBAND_DB - 7.95) / (14.357 * transition));
    this.halfWidth = taps / 2 + 1;
    double fc = cutoff / inRate; // cycles per input sample
    double i0Beta = besselI0(beta);
    this.kernel = new float[halfWidth * TABLE_STEPS + 2];
    for (int i = 0; i < kernel.length; i++) {
      double t = (double) i / TABLE_STEPS;
      double v = t / halfWidth;
      if (v >= 1) {
        continue;
      }
      double window = besselI0(beta * Math.sqrt(1 - v * v)) / i0Beta;
      kernel[i] = (float) (2 * fc * sinc(2 * fc * t) * window);
    }
  }

  int inRate() {
    return inRate;
  }

  int outRate() {
    return outRate;
  }

  /** Converts {@code in}, sampled at the input rate, to the output rate. The result has the same duration. */
  float[] process(float[] in) {
    if (inRate == outRate) {
      return in.clone();
    }
    int outLength = (int) Math.round((double) in.length * outRate / inRate);
    float[] out = new float[outLength];
    double step = (double) inRate / outRate;
    for (int n = 0; n < outLength; n++) {
      double x = n * step;
      int first = Math.max(0, (int) Math.ceil(x - halfWidth));
      int last = Math.min(in.length - 1, (int) Math.floor(x + halfWidth));
      double sum = 0;
      for (int k = first; k <= last; k++) {
        double d = Math.abs(x - k) * TABLE_STEPS;
        int i = (int) d;
        double frac = d - i;
        sum += in[k] * (kernel[i] + frac * (kernel[i + 1] - kernel[i]));
      }
      out[n] = (float) sum;
    }
    return out;
  }

  private static double sinc(double x) {
    if (Math.abs(x) < 1e-12) {
      return 1;
    }
    return Math.sin(Math.PI * x) / (Math.PI * x);
  }

  /** The zeroth-order modified Bessel function of the first kind, by its power series. */
  static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double half = x / 2;
    for (int k = 1; k < 200; k++) {
      term *= (half / k) * (half / k);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return sum;
  }
}
