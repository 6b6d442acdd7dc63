package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docs/testing-a-bundle.md}, run verbatim: in an empty folder, the commands of step 3 of
 * {@code docs/writing-a-bundle.md} write hello-bot, then the page's commands add the test kit, write a first test
 * that fails (with the call's transcript in its message) and make it pass. Maven runs offline against a temporary
 * local repository holding only this build's api, platform, emulator and test kit artifacts (and links to the
 * libraries they use): the example builds against what a third party gets, and nothing is installed into ~/.m2.
 */
class TestingABundleIT {

  /** Marks, in the doc, a command that must fail (the red test). */
  private static final String FAILS = "<!-- testing-a-bundle: this command fails -->";
  private static final Pattern BLOCK = Pattern.compile("(" + Pattern.quote(FAILS) + "\\n)?```sh\\n(.*?)```\\n",
      Pattern.DOTALL);

  @TempDir
  Path dir;

  @Test
  void theDocsCommandsTakeHelloBotFromNoTestToAPassingOne() throws Exception {
    assumeTrue(java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .anyMatch(d -> Files.isExecutable(Path.of(d, "espeak-ng"))),
        "hello-bot's greeting is a text prompt, which needs espeak-ng; .ci/run installs it");
    Path root = ExampleRepository.root();
    Path repo = ExampleRepository.create(dir);
    // Found by mvn from the folders below (the doc's commands say plain "mvn"): offline, this repository.
    Files.createDirectories(dir.resolve(".mvn"));
    Files.writeString(dir.resolve(".mvn/maven.config"), "-o\n-Dmaven.repo.local=" + repo + "\n");

    String writing = Files.readString(root.resolve("docs/writing-a-bundle.md"));
    String stepThree = writing.substring(writing.indexOf("## 3. Write the bundle"), writing.indexOf("## 4."));
    StringBuilder script = new StringBuilder("set -eu\n");
    int commands = 0;
    int failing = 0;
    for (String doc : List.of(stepThree, Files.readString(root.resolve("docs/testing-a-bundle.md")))) {
      Matcher block = BLOCK.matcher(doc);
      while (block.find()) {
        commands++;
        if (block.group(1) == null) {
          script.append(block.group(2));
        } else {
          failing++;
          script.append("echo '>>> the red test'\nif (\n").append(block.group(2)).append(") ; then\n")
              .append("  echo 'the red test passed'; exit 97\nfi\necho '<<< the red test'\n");
        }
      }
    }
    assertEquals(1, failing, "the doc shows one failing command");
    assertTrue(commands >= 6, "the docs' commands were found: " + commands);

    String output = ExampleRepository.run(dir, 0, List.of("bash", "-c", script.toString()));

    String red = output.substring(output.indexOf(">>> the red test"), output.indexOf("<<< the red test"));
    for (String expected : List.of("Timed out after 10000 ms waiting until the caller hears Hello, world!",
        "caller dials the bot from +14255550123", "established, answered by hello-bot",
        "plays \"Hello from hello-bot!\"")) {
      assertTrue(red.contains(expected), "the red test's output has '" + expected + "':\n" + red);
    }
    assertTrue(output.contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0"), output);
    for (String file : List.of("pom.xml", "src/main/java/com/example/hello/HelloBot.java",
        "src/test/java/com/example/hello/HelloBotTest.java", "src/test/java/com/example/hello/HelloBotClockTest.java")) {
      assertEquals(Files.readString(root.resolve("examples/hello-bot").resolve(file)),
          Files.readString(dir.resolve("hello-bot").resolve(file)), "the docs write " + file + " as the example has it");
    }
  }
}
