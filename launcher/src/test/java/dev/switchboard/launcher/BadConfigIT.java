package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad configuration stops {@code switchboard run} with exit code 2 and one line naming the key. */
class BadConfigIT {

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown key          | 'http:\n  prot: 8080'            | unknown configuration key 'http.prot'",
      "wrong type           | 'http:\n  port: eighty'          | http.port: expected a whole number, got \"eighty\"",
      "port out of range    | 'admin:\n  port: 70000'          | admin.port: 70000 is out of range",
      "bad duration         | 'deploy:\n  pollInterval: soon'  | deploy.pollInterval: expected a duration",
      "not YAML             | 'http: [unclosed'                | is not valid YAML",
      "short token          | 'admin:\n  token: abc'           | admin.token: too short"})
  void badConfigurationIsOneClearLine(String name, String yaml, String expected) throws Exception {
    Path file = dir.resolve("switchboard.yaml");
    Files.writeString(file, yaml.replace("\\n", "\n"));
    Cli.Result result = Cli.run(Map.of(), "run", "--config", file.toString());
    assertEquals(2, result.exitCode(), result.toString());
    assertEquals(1, result.err().lines().count(), "exactly one line: " + result);
    assertTrue(result.err().startsWith("switchboard: bad configuration: "), result.toString());
    assertTrue(result.err().contains(expected), result.toString());
  }

  @Test
  void badEnvironmentOverrideNamesTheVariable() throws Exception {
    Cli.Result result = Cli.run(Map.of("SWITCHBOARD_HTTP_PORTT", "1"), "run");
    assertEquals(2, result.exitCode(), result.toString());
    assertTrue(result.err().contains("SWITCHBOARD_HTTP_PORTT matches no configuration key"), result.toString());
    Cli.Result range = Cli.run(Map.of("SWITCHBOARD_HTTP_PORT", "-5"), "run");
    assertEquals(2, range.exitCode(), range.toString());
    assertTrue(range.err().contains("http.port: -5 is out of range"), range.toString());
  }

  @Test
  void missingConfigFileIsNamed() throws Exception {
    Cli.Result result = Cli.run(Map.of(), "run", "--config", dir.resolve("nope.yaml").toString());
    assertEquals(2, result.exitCode(), result.toString());
    assertTrue(result.err().contains("nope.yaml does not exist"), result.toString());
  }
}
