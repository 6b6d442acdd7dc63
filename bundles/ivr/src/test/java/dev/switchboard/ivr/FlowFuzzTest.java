package dev.switchboard.ivr;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.switchboard.platform.fuzz.Fuzz;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Property-based fuzzing of IVR flow files: the documented menu flow with its structure mutated (fields removed,
 * values of other types, unknown keys), with its text cut and spliced, random text and YAML bombs. Invariant: a
 * {@link Flow} or a {@link FlowException} naming file and line, never another exception and never a hang (the
 * generous bound is not a timing assertion: a parse takes milliseconds).
 */
class FlowFuzzTest {

  private static final String MENU = """
      name: main
      default: true
      match: {to: ["+14255550100"], from: [alice]}
      nodes:
        menu:
          type: gather
          say: Press 1 for sales, 2 to leave a message, 9 to hear this again.
          timeout: 4s
          retries: 1
          maxDigits: 1
          branches: {"1": sales, "2": message, "9": menu, "3": conference}
          default: goodbye
        sales:
          type: transfer
          say: Connecting you to sales.
          target: {user: 6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e03, displayName: Megan Bowen}
          next: goodbye
        conference:
          type: invite
          target: {phone: "+14255550155"}
          next: goodbye
        message:
          type: record
          prompt: beep.wav
          maxDuration: 30s
          maxSilence: 2s
          stopTones: ["#"]
          next: goodbye
        elsewhere:
          type: redirect
          target: {phone: "+14255550166"}
        goodbye:
          type: play
          say: Goodbye.
          next: hangup
      """;
  private static final Duration BOUND = Duration.ofSeconds(20);

  @Property(seed = Fuzz.SEED)
  void structurallyMutatedFlows(@ForAll Random random) {
    JsonObject flow = new JsonObject(new Yaml().<Map<String, Object>>load(MENU));
    JsonObject mutated = Fuzz.mutate(flow, random, 1 + random.nextInt(5));
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(random.nextBoolean() ? DumperOptions.FlowStyle.BLOCK : DumperOptions.FlowStyle.FLOW);
    String text;
    try {
      text = new Yaml(options).dump(mutated.getMap());
    } catch (org.yaml.snakeyaml.error.YAMLException e) {
      text = mutated.encode(); // a lone surrogate SnakeYAML will not write: JSON is YAML too
    }
    parse(text);
  }

  @Property(seed = Fuzz.SEED)
  void cutAndSplicedText(@ForAll Random random) {
    List<String> lines = new java.util.ArrayList<>(MENU.lines().toList());
    for (int i = 1 + random.nextInt(4); i > 0; i--) {
      int at = random.nextInt(lines.size());
      switch (random.nextInt(4)) {
        case 0 -> lines.remove(at);
        case 1 -> lines.add(at, lines.get(random.nextInt(lines.size())));
        case 2 -> lines.set(at, " ".repeat(random.nextInt(8)) + lines.get(at).strip());
        default -> lines.set(at, lines.get(at) + Fuzz.randomString(random));
      }
      if (lines.isEmpty()) {
        break;
      }
    }
    parse(String.join("\n", lines));
  }

  @Property(seed = Fuzz.SEED)
  void randomText(@ForAll("text") String text) {
    parse(text);
  }

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(400),
        Arbitraries.strings().withChars("{}[]:,-&*!|>'\"#% \n\tnodestype:gatherplay0123.").ofMaxLength(300),
        Arbitraries.of(Fuzz.billionLaughs("nodes: *a11\n"), "nodes: &a {x: *a}", "nodes:\n  a: !!java.io.File [x]", "nodes: " + "[".repeat(
            5000), "nodes:\n  a: {type: gather, timeout: 99999999999999999999s}", "nodes:\n  a: {type: play, say: "
            + "x".repeat(100_000) + "}", "nodes:\n  a: {type: gather, maxDigits: -1, branches: {\"\": a}}",
            "\u0000", "nodes:\n  a: {type: record, maxDuration: 1e309s}"));
  }

  private static void parse(String text) {
    assertTimeoutPreemptively(BOUND, () -> {
      try {
        FlowParser.parse("fuzz.yaml", text);
      } catch (FlowException e) {
        assertFalse(e.getMessage().isBlank(), "a clear message");
      }
    }, () -> "parsing did not end: " + (text.length() > 500 ? text.substring(0, 500) : text));
  }
}
