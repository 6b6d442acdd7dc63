package dev.switchboard.ivr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.platform.TestServer;
import dev.switchboard.testkit.Caller;
import dev.switchboard.testkit.SwitchboardKit;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ivr bundle in a real server with the calling and media bundles and the emulator (the test kit): flows answer
 * calls, a flow edited while a call is in it changes the next call only, and a broken edit leaves the old flow
 * serving.
 */
class IvrFlowIT {

  private static final String MAIN = "conf/flows/main.yaml";
  private static final String FLOW = """
      default: true
      nodes:
        menu:
          type: gather
          say: Menu VERSION. Press 1.
          timeout: 10s
          branches:
            "1": bye
        bye:
          type: hangup
          say: Goodbye from VERSION.
      """;

  @RegisterExtension
  final SwitchboardKit kit = SwitchboardKit.withBundles("calling", "media")
      .withFile(MAIN, FLOW.replace("VERSION", "one"))
      .setting("SWITCHBOARD_PLUGINS_IVR_RELOAD_INTERVAL_MS", "100")
      .recordEvents(IvrEvents.ADDRESS);

  @Test
  void aFlowEditedMidCallChangesTheNextCallOnlyAndABrokenEditLeavesTheOldFlowServing() throws Exception {
    Caller first = kit.dial("+14255550123");
    String v1 = ivr(first, "flowStarted", e -> true).getString("flowVersion");
    ivr(first, "gathering", e -> e.getString("prompt").equals("\"Menu one. Press 1.\""));
    first.awaitPrompt("Menu one. Press 1.");

    // Edit the file while the first call sits in the menu.
    Files.writeString(kit.home().resolve(MAIN), FLOW.replace("VERSION", "two"));
    String v2 = awaitFlowVersion(v -> !v.equals(v1));

    first.press("1");
    JsonObject firstBye = ivr(first, "playing", e -> "bye".equals(e.getString("node")));
    assertEquals("\"Goodbye from one.\"", firstBye.getString("prompt"), "the call in progress keeps its version");
    assertEquals(v1, firstBye.getString("flowVersion"));
    first.awaitPrompt("Goodbye from one.");
    first.awaitEnded();

    Caller second = kit.dial("+14255550123");
    assertEquals(v2, ivr(second, "flowStarted", e -> true).getString("flowVersion"));
    ivr(second, "gathering", e -> e.getString("prompt").equals("\"Menu two. Press 1.\""));
    second.awaitPrompt("Menu two. Press 1.");
    second.press("1");
    assertEquals("\"Goodbye from two.\"", ivr(second, "playing", e -> "bye".equals(e.getString("node")))
        .getString("prompt"));
    second.awaitPrompt("Goodbye from two.");
    second.awaitEnded();

    // A broken edit: refused with file and line, the previous version keeps serving.
    Files.writeString(kit.home().resolve(MAIN), FLOW.replace("VERSION", "three").replace("type: hangup",
        "type: hangpu"));
    TestServer.awaitUntil("the broken file is reported", Duration.ofSeconds(10), () -> flowFile().containsKey("errors"));
    JsonObject file = flowFile();
    assertEquals(v2, file.getString("version"));
    assertEquals("main.yaml:10:11: node 'bye' has unknown type 'hangpu' (types: gather, hangup, invite, play, record, "
        + "redirect, transfer)", file.getJsonArray("errors").getJsonObject(0).getString("text"));
    Caller third = kit.dial("+14255550123");
    assertEquals(v2, ivr(third, "flowStarted", e -> true).getString("flowVersion"));
    ivr(third, "gathering", e -> e.getString("prompt").equals("\"Menu two. Press 1.\""));
    third.awaitPrompt("Menu two. Press 1.");
    third.hangUp().awaitEnded();
  }

  @Test
  void noInputIsAskedAgainThenTheDefaultIsTaken() throws Exception {
    String before = flowFile().getString("version");
    Files.writeString(kit.home().resolve(MAIN), """
        default: true
        nodes:
          menu:
            type: gather
            say: Press 1.
            timeout: 1s
            retries: 1
            retrySay: Sorry.
            branches:
              "1": menu
            default: bye
          bye:
            type: hangup
        """);
    awaitFlowVersion(v -> !v.equals(before));
    Caller caller = kit.dial("+14255550123");
    caller.awaitPrompt("Press 1.");
    ivr(caller, "retry", e -> "timeout".equals(e.getString("endedBy")));
    caller.awaitPrompt("Sorry.");
    JsonObject fallback = ivr(caller, "digits", e -> e.getBoolean("fallback", false));
    assertEquals("bye", fallback.getString("next"));
    ivr(caller, "hangingUp", e -> true);
    CallEvent.Terminated ended = caller.awaitEnded();
    assertTrue(ended.reason() != null, ended.toString());
  }

  /** The first ivr event of {@code caller}'s call of {@code type} that {@code test} accepts, once there is one. */
  private JsonObject ivr(Caller caller, String type, Predicate<JsonObject> test) {
    return kit.awaitMessage(IvrEvents.ADDRESS, e -> caller.id().equals(e.getString("callId"))
        && type.equals(e.getString("type")) && test.test(e));
  }

  private JsonObject flowFile() {
    JsonArray files = kit.http(HttpMethod.GET, "/api/v1/ivr/flows").bodyAsJsonObject().getJsonArray("flows");
    return files.isEmpty() ? new JsonObject() : files.getJsonObject(0);
  }

  private String awaitFlowVersion(Predicate<String> test) throws InterruptedException {
    TestServer.awaitUntil("the flow file is reloaded", Duration.ofSeconds(10), () -> {
      String v = flowFile().getString("version");
      return v != null && test.test(v);
    });
    return flowFile().getString("version");
  }
}
