package dev.switchboard.launcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parser of Prometheus' text exposition format 0.0.4, strict enough for tests: every sample belongs to a family
 * declared by {@code # TYPE} before it (histogram and summary samples by their {@code _bucket}, {@code _count},
 * {@code _sum} suffixes), names and label names are valid, label values are quoted with {@code \\}, {@code \"} and
 * {@code \n} escapes, values are numbers, {@code NaN} or {@code +Inf}/{@code -Inf}; anything else fails with the line.
 */
final class PrometheusText {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"\\s*(,|$)");

  record Sample(String name, Map<String, String> labels, double value) {
  }

  /** The families by name ({@code # TYPE}: counter, gauge, histogram, summary, untyped). */
  final Map<String, String> types = new LinkedHashMap<>();
  final List<Sample> samples = new ArrayList<>();

  static PrometheusText parse(String text) {
    PrometheusText out = new PrometheusText();
    int number = 0;
    for (String line : text.split("\n")) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      try {
        out.line(line);
      } catch (RuntimeException e) {
        throw new AssertionError("line " + number + " is not Prometheus text format (" + e.getMessage() + "): " + line);
      }
    }
    return out;
  }

  private void line(String line) {
    if (line.startsWith("# TYPE ")) {
      String[] parts = line.substring(7).trim().split(" ");
      check(parts.length == 2 && NAME.matcher(parts[0]).matches(), "bad TYPE line");
      check(List.of("counter", "gauge", "histogram", "summary", "untyped").contains(parts[1]), "unknown type");
      check(types.put(parts[0], parts[1]) == null, "family declared twice");
      return;
    }
    if (line.startsWith("#")) {
      return; // HELP and comments
    }
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    String name;
    Map<String, String> labels = new HashMap<>();
    String rest;
    if (brace >= 0 && (space < 0 || brace < space)) {
      name = line.substring(0, brace);
      int close = line.lastIndexOf('}');
      check(close > brace, "unclosed labels");
      String body = line.substring(brace + 1, close);
      Matcher m = LABEL.matcher(body);
      int at = 0;
      while (at < body.length()) {
        check(m.find(at) && m.start() == at, "bad label at " + at);
        check(labels.put(m.group(1), m.group(2).replace("\\\"", "\"").replace("\\n", "\n")
            .replace("\\\\", "\\")) == null, "label given twice");
        at = m.end();
      }
      rest = line.substring(close + 1).trim();
    } else {
      check(space > 0, "no value");
      name = line.substring(0, space);
      rest = line.substring(space + 1).trim();
    }
    check(NAME.matcher(name).matches(), "bad metric name");
    check(family(name) != null, "sample before its # TYPE");
    String value = rest.split(" ")[0];
    double parsed = switch (value) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(value);
    };
    samples.add(new Sample(name, labels, parsed));
  }

  /** The family a sample name belongs to, or null. */
  String family(String sample) {
    if (types.containsKey(sample)) {
      return sample;
    }
    for (String suffix : List.of("_bucket", "_count", "_sum", "_total", "_created")) {
      if (sample.endsWith(suffix)) {
        String base = sample.substring(0, sample.length() - suffix.length());
        if (types.containsKey(base)) {
          return base;
        }
      }
    }
    return null;
  }

  /** The samples named {@code name} whose labels include {@code labels} (pairs). */
  List<Sample> find(String name, String... labels) {
    return samples.stream().filter(s -> s.name().equals(name)).filter(s -> {
      for (int i = 0; i < labels.length; i += 2) {
        if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
          return false;
        }
      }
      return true;
    }).toList();
  }

  /** The sum of the samples {@link #find} gives; fails when there are none. */
  double sum(String name, String... labels) {
    List<Sample> found = find(name, labels);
    if (found.isEmpty()) {
      throw new AssertionError("no sample " + name + " with " + String.join(",", labels) + "; names present: "
          + samples.stream().map(Sample::name).filter(n -> n.startsWith("switchboard")).distinct().sorted().toList());
    }
    return found.stream().mapToDouble(Sample::value).sum();
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException(what);
    }
  }
}
