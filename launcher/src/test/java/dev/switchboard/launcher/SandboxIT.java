package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code switchboard sandbox --exit} from the built jar: the whole demo (two calls, then a meeting the bot joins at its
 * start), its transcript and the stored recording.
 */
class SandboxIT {

  @TempDir
  Path dir;

  @Test
  void theSandboxPlaysTheScenarioPrintsEveryStepAndExitsZero() throws Exception {
    long began = System.nanoTime();
    Cli.Result result = Cli.run(Map.of(), "sandbox", "--exit", "--dir", dir.toString());
    double seconds = (System.nanoTime() - began) / 1e9;
    String out = result.out();
    assertEquals(0, result.exitCode(), result.toString());
    // A guard against a demo that hangs, not a speed figure (a loaded CI machine takes 25 s to start the sandbox).
    assertTrue(seconds < 120, "the sandbox took " + seconds + " s:\n" + result);

    String[] steps = {
        "call 1   dials the bot",
        "call 1   incoming call from phone +14255550123 to the bot",
        "call 1   flow 'main' (main.yaml, version ",
        "call 1   [menu] plays \"Welcome to Switchboard. Press 1 for sales, 2 to leave a message, 9 to hear this again.\""
            + " and waits for 1 key(s)",
        "call 1   the caller's line turns bad: 15% packet loss, 45 ms jitter",
        "call 1   caller presses 2",
        "call 1   [menu] got '2': goes to 'message'",
        "call 1   [message] plays \"Please leave a message after the tone.",
        "call 1   [message] recording stored: ",
        "call 1   [thanks] plays \"Thank you, your message was recorded.",
        "call 1   caller hangs up",
        "call 1   call ended: ended by the PSTN user (200/540000)",
        "Megan Bowen (sales) is in a call (Busy, InACall); Adele Vance (sales) is Available",
        "call 2   incoming call from Alex Wilber (user 6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e02) to the bot",
        "call 2   caller presses 1",
        "call 2   [menu] got '1': goes to 'sales'",
        "call 2   [sales] Megan Bowen (sales) is Busy (InACall) since ",
        "; transferring to Adele Vance (sales) (Available since ",
        "call 2   [sales] plays \"Connecting you to sales.\"",
        "call 2   [sales] transfers the call to Adele Vance (sales) (user 6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01)",
        "call 2   transfer accepted",
        "call 2   call ended: the transfer completed (0/7015)",
        "call 1   call record: ",
        "quality POOR (packet loss over 10%, jitter over 30 ms)",
        "call 2   call record: ",
        "quality good",
        "meeting  the tenant grants the bot an application access policy for Adele Vance",
        "meeting  Adele Vance's meeting 'Sandbox standup' starts at ",
        "meeting  the bot's join is scheduled at the start",
        "meeting  Alex Wilber joins the meeting",
        "meeting  Megan Bowen joins the meeting",
        "meeting  the bot joined at the start: its call was placed at ",
        "meeting  the bot played a welcome announcement in the meeting",
        "meeting  Alex Wilber leaves the meeting",
        "meeting  Megan Bowen leaves the meeting",
        "meeting  the bot left: the last attendee left the meeting",
        "Scenario passed: "};
    int from = 0;
    for (String step : steps) {
      int at = out.indexOf(step, from);
      assertTrue(at >= 0, "the transcript shows, in order: " + step + "\n" + result);
      from = at;
    }
    // Events of different bundles are not ordered among themselves: "connected" may come after the flow starts.
    assertTrue(out.contains("call 1   connected: answered by ivr") && out.contains("call 2   connected: answered by ivr"),
        out);
    assertTrue(out.lines().filter(l -> l.matches(" +[0-9]+\\.[0-9]{2}s  (call [12] |meeting ) .*")).count()
        >= steps.length - 2,
        "every line has a time:\n" + out);

    // the bot joined at or after the meeting's start, both on the emulator's clock
    Matcher starts = Pattern.compile("meeting 'Sandbox standup' starts at (\\S+) ").matcher(out);
    Matcher placed = Pattern.compile("its call was placed at (\\S+) \\(call ").matcher(out);
    assertTrue(starts.find() && placed.find(), out);
    assertTrue(!java.time.Instant.parse(placed.group(1)).isBefore(java.time.Instant.parse(starts.group(1))),
        "the bot joined (" + placed.group(1) + ") at or after the start (" + starts.group(1) + ")");

    Matcher stored = Pattern.compile("recording stored: (\\S+\\.wav) \\(([0-9.]+) s, ([0-9]+) bytes").matcher(out);
    assertTrue(stored.find(), out);
    Path recording = Path.of(stored.group(1));
    assertTrue(recording.startsWith(dir), recording + " is in the sandbox's folder");
    assertTrue(Files.isRegularFile(recording), recording + " exists");
    assertEquals(Long.parseLong(stored.group(3)), Files.size(recording));
    assertEquals("RIFF", new String(Files.readAllBytes(recording), 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
    assertTrue(!out.contains("WARN") && !out.contains("ERROR"), "no warnings in the transcript:\n" + out);

    Matcher key = Pattern.compile("API key +(sb_\\S+)").matcher(out);
    assertTrue(key.find(), "the sandbox prints the REST API key it created:\n" + out);
    try (var files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertTrue(!new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)
            .contains(key.group(1)), "the key's secret is stored nowhere in clear: " + file);
      }
    }
  }
}
