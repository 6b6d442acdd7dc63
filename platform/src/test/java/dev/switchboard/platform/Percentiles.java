package dev.switchboard.platform;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The benchmarks' arithmetic: percentiles of a sample and the rows of their Markdown tables. */
public final class Percentiles {

  private Percentiles() {
  }

  /** The {@code p}th percentile (nearest rank) of {@code values}; {@code NaN} when there are none. */
  public static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /** {@code | name | samples | p50 | p99 | max |}, in milliseconds. */
  public static String row(String name, List<Double> values) {
    return String.format("| %s | %d | %.2f | %.2f | %.2f |", name, values.size(), percentile(values, 50),
        percentile(values, 99), percentile(values, 100));
  }
}
