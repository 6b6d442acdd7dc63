package dev.switchboard.platform.fuzz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What the property tests of this package share: the fixed seed of the CI run, and a mutator that turns a
 * well-formed JSON document (a documented notification, say) into the near-misses a parser meets in the wild:
 * a field removed, a value of another type, a huge or odd string, deep nesting.
 */
public final class Fuzz {

  /**
   * The seed of every property: a CI failure reproduces on any machine. The tries come from
   * {@code jqwik.tries.default} (src/test/resources/junit-platform.properties; {@code -Djqwik.tries.default=N} for
   * the long run).
   */
  public static final String SEED = "20261129";

  private static final String[] ODD_STRINGS = {"", " ", "null", "0", "-1", "1e309", "NaN", "true", "{}", "[]",
      "/", "//", "../../etc/passwd", "communications/calls/", "/communications/calls/", "\u0000", "\uFFFF",
      "\uD800", "é", "💥", "%00", "<script>", "running", "Running", "RUNNING", "#microsoft.graph.call",
      "https://graph.microsoft.com/v1.0/communications/calls/x", "/communications/calls/a/b/c/d/operations/"};

  private Fuzz() {
  }

  /** {@code mutations} random edits of a copy of {@code document}. */
  public static JsonObject mutate(JsonObject document, Random random, int mutations) {
    JsonObject copy = document.copy();
    for (int i = 0; i < mutations; i++) {
      List<Object> containers = new ArrayList<>();
      collect(copy, containers);
      Object target = containers.get(random.nextInt(containers.size()));
      if (target instanceof JsonObject o) {
        mutateObject(o, random);
      } else if (target instanceof JsonArray a) {
        mutateArray(a, random);
      }
    }
    return copy;
  }

  private static void collect(Object node, List<Object> out) {
    if (node instanceof JsonObject o) {
      out.add(o);
      o.forEach(e -> collect(e.getValue(), out));
    } else if (node instanceof JsonArray a) {
      out.add(a);
      a.forEach(e -> collect(e, out));
    }
  }

  private static void mutateObject(JsonObject o, Random random) {
    List<String> keys = new ArrayList<>(o.fieldNames());
    int what = random.nextInt(4);
    if (keys.isEmpty() || what == 0) {
      o.put(randomString(random), value(random, 0));
    } else if (what == 1) {
      o.remove(keys.get(random.nextInt(keys.size())));
    } else {
      o.put(keys.get(random.nextInt(keys.size())), value(random, 0));
    }
  }

  private static void mutateArray(JsonArray a, Random random) {
    if (a.isEmpty() || random.nextBoolean()) {
      a.add(value(random, 0));
    } else {
      a.set(random.nextInt(a.size()), value(random, 0));
    }
  }

  /** A random JSON value: scalars of every type, odd strings, objects and arrays (nested a few levels). */
  public static Object value(Random random, int depth) {
    return switch (random.nextInt(depth > 3 ? 7 : 9)) {
      case 0 -> null;
      case 1 -> random.nextBoolean();
      case 2 -> random.nextLong();
      case 3 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
      case 4 -> ODD_STRINGS[random.nextInt(ODD_STRINGS.length)];
      case 5 -> randomString(random);
      case 6 -> "x".repeat(random.nextInt(5000));
      case 7 -> {
        JsonObject o = new JsonObject();
        for (int i = random.nextInt(4); i > 0; i--) {
          o.put(randomString(random), value(random, depth + 1));
        }
        yield o;
      }
      default -> {
        JsonArray a = new JsonArray();
        for (int i = random.nextInt(4); i > 0; i--) {
          a.add(value(random, depth + 1));
        }
        yield a;
      }
    };
  }

  /** A short string of random code points, surrogates and controls included. */
  public static String randomString(Random random) {
    StringBuilder b = new StringBuilder();
    for (int i = random.nextInt(12); i > 0; i--) {
      b.append((char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x10000)));
    }
    return b.toString();
  }

  /**
   * A YAML "billion laughs": 12 levels of anchors, each a list of nine aliases of the one before (9^12 nodes once
   * expanded), followed by {@code tail}.
   */
  public static String billionLaughs(String tail) {
    StringBuilder b = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 12; i++) {
      b.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 9; j++) {
        b.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      b.append("]\n");
    }
    return b.append(tail).toString();
  }

  /** JSON nested {@code depth} levels deep: {@code [[[...]]]}. */
  public static String deeplyNested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }
}
