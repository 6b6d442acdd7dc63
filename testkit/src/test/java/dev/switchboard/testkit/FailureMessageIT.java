package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * A red kit test says what happened: a deliberately failing test class, run with the JUnit launcher as a build
 * would, fails with a message holding the call's transcript.
 */
class FailureMessageIT {

  @BeforeAll
  static void speech() {
    Flows.assumeSpeech();
  }

  /** Waits for a prompt the flow never plays after the caller pressed a key it has no branch for. Run only here. */
  static class DeliberatelyFailing {

    @RegisterExtension
    final SwitchboardKit kit = SwitchboardKit.withBundles("calling", "media", "ivr").withFile(Flows.FILE, Flows.SALES)
        .timeout(Duration.ofSeconds(3));

    @Test
    void theCallerIsTransferredAfterPressingNine() {
      Caller caller = kit.dial("+14255550199");
      caller.awaitPrompt(Flows.MENU);
      caller.press("9");
      caller.awaitPrompt(Flows.CONNECTING);
    }
  }

  @Test
  void theFailureHoldsWhatTheCallerDidAndHeardWhatTheBotAskedGraphForAndTheCallsEvents() {
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(DeliberatelyFailing.class)).build(), listener);
    TestExecutionSummary summary = listener.getSummary();
    assertEquals(1, summary.getTestsFailedCount(), "the deliberately failing test fails");
    Throwable failure = summary.getFailures().get(0).getException();
    assertTrue(failure instanceof AssertionError, failure.toString());
    String message = failure.getMessage();
    for (String expected : List.of(
        "Timed out after 3000 ms waiting until the caller hears " + Flows.CONNECTING,
        "caller dials the bot from +14255550199",
        "caller hears \"" + Flows.MENU + "\"",
        "caller presses 9",
        "/answer -> 202",
        "/playPrompt -> 200: plays \"" + Flows.MENU + "\"",
        "established, answered by ivr",
        "gatherCompleted completed digits '9'")) {
      assertTrue(message.contains(expected), "the message has '" + expected + "':\n" + message);
    }
    // In time order: the menu is played before the caller presses 9.
    assertTrue(Pattern.compile("(?s)plays \"" + Pattern.quote(Flows.MENU) + "\".*caller presses 9").matcher(message)
        .find(), message);
  }
}
