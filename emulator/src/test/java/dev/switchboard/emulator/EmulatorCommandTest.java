package dev.switchboard.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EmulatorCommandTest {

  @Test
  void optionsMapOntoEmulatorOptions() {
    EmulatorCommand command = new EmulatorCommand();
    new CommandLine(command).parseArgs("--port", "0", "--clock-speed", "20", "--tenant", "t", "--client-id", "c",
        "--client-secret", "s", "--bot-callback", "http://127.0.0.1:1/cb", "--host", "0.0.0.0", "--plain-http");
    EmulatorOptions o = command.options();
    assertEquals(0, o.getPort());
    assertEquals(20.0, o.getClockSpeed());
    assertEquals("t", o.getTenant());
    assertEquals("c", o.getClientId());
    assertEquals("s", o.getClientSecret());
    assertEquals("http://127.0.0.1:1/cb", o.getBotCallback());
    assertEquals("0.0.0.0", o.getHost());
    assertFalse(o.isTls());

    EmulatorOptions defaults = new EmulatorCommand().options();
    assertEquals(EmulatorOptions.DEFAULT_CLI_PORT, defaults.getPort());
    assertTrue(defaults.isTls());
  }

  @Test
  void aBadClockSpeedIsOneClearLineAndExitCode2() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new EmulatorCommand());
    cli.setErr(new PrintWriter(err));
    assertEquals(2, cli.execute("--clock-speed", "-1"));
    assertTrue(err.toString().startsWith("emulator: clock speed must be a positive number"), err.toString());
  }
}
