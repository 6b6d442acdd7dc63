package dev.switchboard.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
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
    assertEquals(EmulatorOptions.DEFAULT_ROLES, defaults.getRoles());
  }

  @Test
  void rolesAreACommaSeparatedListOfPermissionNames() {
    EmulatorCommand command = new EmulatorCommand();
    new CommandLine(command).parseArgs("--roles", "calls.accessmedia.all,Calls.Initiate.All");
    assertEquals(List.of("Calls.Initiate.All", "Calls.AccessMedia.All"), command.options().getRoles());

    EmulatorCommand none = new EmulatorCommand();
    new CommandLine(none).parseArgs("--roles", "");
    assertEquals(List.of(), none.options().getRoles());
  }

  @Test
  void anUnknownPermissionIsOneLineListingTheValidOnesAndExitCode2() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new EmulatorCommand());
    cli.setErr(new PrintWriter(err));
    assertEquals(2, cli.execute("--roles", "Calls.Initiate.All,Calls.AccessMedia"));
    assertEquals("emulator: Unknown application permission 'Calls.AccessMedia'. Valid permissions: "
        + String.join(", ", EmulatorOptions.DEFAULT_ROLES) + ".", err.toString().trim());
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
