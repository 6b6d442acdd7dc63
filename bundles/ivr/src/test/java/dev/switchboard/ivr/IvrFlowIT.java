package dev.switchboard.ivr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.platform.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ivr bundle in a real server with the calling and media bundles and the emulator: flows answer calls, a flow
 * edited while a call is in it changes the next call only, and a broken edit leaves the old flow serving.
 */
class IvrFlowIT {

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

  @TempDir
  Path home;

  private IvrHarness h;

  @BeforeEach
  void start() throws Exception {
    h = IvrHarness.start(home, FLOW.replace("VERSION", "one"), Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void aFlowEditedMidCallChangesTheNextCallOnlyAndABrokenEditLeavesTheOldFlowServing() throws Exception {
    String first = h.call();
    JsonObject started = h.await(first, "flowStarted", e -> true);
    String v1 = started.getString("flowVersion");
    h.await(first, "gathering", e -> e.getString("prompt").equals("\"Menu one. Press 1.\""));

    // Edit the file while the first call sits in the menu.
    Files.writeString(h.flows.resolve("main.yaml"), FLOW.replace("VERSION", "two"));
    String v2 = awaitFlowVersion(v -> !v.equals(v1));

    h.press(first, "1");
    JsonObject firstBye = h.await(first, "playing", e -> "bye".equals(e.getString("node")));
    assertEquals("\"Goodbye from one.\"", firstBye.getString("prompt"), "the call in progress keeps its version");
    assertEquals(v1, firstBye.getString("flowVersion"));
    h.awaitOn(first, CallEvent.Terminated.TOPIC);

    String second = h.call();
    assertEquals(v2, h.await(second, "flowStarted", e -> true).getString("flowVersion"));
    h.await(second, "gathering", e -> e.getString("prompt").equals("\"Menu two. Press 1.\""));
    h.press(second, "1");
    assertEquals("\"Goodbye from two.\"", h.await(second, "playing", e -> "bye".equals(e.getString("node")))
        .getString("prompt"));
    h.awaitOn(second, CallEvent.Terminated.TOPIC);

    // A broken edit: refused with file and line, the previous version keeps serving.
    Files.writeString(h.flows.resolve("main.yaml"), FLOW.replace("VERSION", "three").replace("type: hangup",
        "type: hangpu"));
    TestServer.awaitUntil("the broken file is reported", Duration.ofSeconds(10), () -> flowFile().containsKey("errors"));
    JsonObject file = flowFile();
    assertEquals(v2, file.getString("version"));
    assertEquals("main.yaml:10:11: node 'bye' has unknown type 'hangpu' (types: gather, hangup, invite, play, record, "
        + "redirect, transfer)", file.getJsonArray("errors").getJsonObject(0).getString("text"));
    String third = h.call();
    assertEquals(v2, h.await(third, "flowStarted", e -> true).getString("flowVersion"));
    h.await(third, "gathering", e -> e.getString("prompt").equals("\"Menu two. Press 1.\""));
    h.emulated.post("/emulator/calls/" + third + "/hangup", new JsonObject());
    h.awaitOn(third, CallEvent.Terminated.TOPIC);
  }

  @Test
  void noInputIsAskedAgainThenTheDefaultIsTaken() throws Exception {
    Files.writeString(h.flows.resolve("main.yaml"), """
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
    String before = flowFile().getString("version");
    awaitFlowVersion(v -> !v.equals(before));
    String call = h.call();
    h.await(call, "retry", e -> "timeout".equals(e.getString("endedBy")));
    JsonObject fallback = h.await(call, "digits", e -> e.getBoolean("fallback", false));
    assertEquals("bye", fallback.getString("next"));
    h.await(call, "hangingUp", e -> true);
    CallEvent.Terminated ended = CallEvent.fromJson(h.awaitOn(call, CallEvent.Terminated.TOPIC),
        CallEvent.Terminated.class);
    assertTrue(ended.reason() != null, ended.toString());
  }

  private JsonObject flowFile() {
    try {
      JsonArray files = TestServer.json(h.t.http(HttpMethod.GET, "/api/v1/ivr/flows")).getJsonArray("flows");
      return files.isEmpty() ? new JsonObject() : files.getJsonObject(0);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private String awaitFlowVersion(Predicate<String> test) throws InterruptedException {
    TestServer.awaitUntil("the flow file is reloaded", Duration.ofSeconds(10), () -> {
      String v = flowFile().getString("version");
      return v != null && test.test(v);
    });
    return flowFile().getString("version");
  }
}
