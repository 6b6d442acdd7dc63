package dev.switchboard.ivr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.CallCommands;
import dev.switchboard.api.MediaCommands;
import dev.switchboard.api.MediaEvents;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A call walking a flow, with the bus replaced by a recorder: which commands go out for which events. */
class CallRunTest {

  private static final String FLOW = """
      nodes:
        menu:
          type: gather
          say: Press 1 for sales, 9 to repeat.
          retries: 1
          retrySay: Sorry.
          branches:
            "1": sales
            "9": menu
          default: bye
        sales:
          type: transfer
          target: "+14255550101"
          next: bye
        bye:
          type: hangup
          say: Bye.
      """;

  private final List<JsonObject> media = new ArrayList<>();
  private final List<JsonObject> calls = new ArrayList<>();
  private final List<JsonObject> events = new ArrayList<>();

  private final CallRun.Bus bus = new CallRun.Bus() {
    @Override
    public Future<JsonObject> media(JsonObject command) {
      media.add(command);
      return Future.succeededFuture(new JsonObject());
    }

    @Override
    public Future<JsonObject> calls(JsonObject command) {
      calls.add(command);
      return Future.succeededFuture(new JsonObject());
    }

    @Override
    public void publish(JsonObject event) {
      events.add(event);
    }
  };

  private CallRun run() throws Exception {
    CallRun run = new CallRun("c1", FlowParser.parse("main.yaml", FLOW), bus);
    run.start("+14255550123");
    return run;
  }

  private JsonObject last(List<JsonObject> list) {
    return list.get(list.size() - 1);
  }

  private void gathered(CallRun run, String digits, String endedBy) {
    run.onMedia(MediaEvents.GATHER_COMPLETED, new JsonObject().put("callId", "c1").put("status", "completed")
        .put("digits", digits).put("endedBy", endedBy).put("clientContext", last(media).getString("clientContext")));
  }

  @Test
  void repeatingTheMenuIsNotARetryAndNoInputEndsAtTheDefault() throws Exception {
    CallRun run = run();
    assertEquals(MediaCommands.GATHER, media.get(0).getString("command"));
    assertEquals(1, media.get(0).getJsonArray("prompts").size());
    gathered(run, "9", "maxDigits");
    gathered(run, "9", "maxDigits");
    assertEquals(3, media.size());
    assertEquals(1, last(media).getJsonArray("prompts").size(), "'9' replays the menu without the retry prompt");
    gathered(run, "", "timeout");
    assertEquals("Sorry.", last(media).getJsonArray("prompts").getJsonObject(0).getString("text"));
    gathered(run, "5", "maxDigits");
    assertEquals(MediaCommands.PLAY, last(media).getString("command"), "retries used up: the default says bye");
    assertEquals("bye", last(events).getString("node"));
    // A stale event (an earlier command's context) changes nothing.
    run.onMedia(MediaEvents.GATHER_COMPLETED, new JsonObject().put("clientContext", media.get(0)
        .getString("clientContext")).put("digits", "1"));
    assertEquals(0, calls.size());
    run.onMedia(MediaEvents.PLAY_COMPLETED, new JsonObject().put("status", "completed")
        .put("clientContext", last(media).getString("clientContext")));
    assertEquals(CallCommands.HANG_UP, last(calls).getString("command"));
  }

  @Test
  void aFailedTransferGoesToNext() throws Exception {
    CallRun run = run();
    gathered(run, "1", "maxDigits");
    assertEquals(CallCommands.TRANSFER, last(calls).getString("command"));
    assertEquals("+14255550101", last(calls).getJsonObject("target").getString("phone"));
    run.onTransferFailed(new JsonObject().put("reason", "declined"));
    assertEquals("transferFailed", events.get(events.size() - 2).getString("type"));
    assertEquals(MediaCommands.PLAY, last(media).getString("command"));
    run.onTerminated(new JsonObject().put("reason", "the caller hung up"));
    assertEquals("ended", last(events).getString("type"));
  }
}
