package dev.switchboard.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;

/** The ivr flow the kit's own tests call: a menu that sends key 1 to sales (a transfer to Megan Bowen). */
final class Flows {

  static final String MEGAN = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e03";
  static final String FILE = "conf/flows/main.yaml";
  static final String MENU = "Press 1 for sales.";
  static final String CONNECTING = "Connecting you to sales.";
  static final String SALES = """
      default: true
      nodes:
        menu:
          type: gather
          say: Press 1 for sales.
          timeout: 10s
          branches:
            "1": sales
        sales:
          type: transfer
          say: Connecting you to sales.
          target: {user: 6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e03, displayName: Megan Bowen}
      """;

  private Flows() {
  }

  /** The flows' prompts are text ({@code say:}), which the media bundle speaks with espeak-ng. */
  static void assumeSpeech() {
    Assumptions.assumeTrue(Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(d -> Files.isExecutable(Path.of(d, "espeak-ng"))),
        "the flows' prompts are text (say:), which needs espeak-ng; .ci/run installs it");
  }
}
