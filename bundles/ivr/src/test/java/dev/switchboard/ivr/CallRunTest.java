package dev.switchboard.ivr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.calls.CallView;
import dev.switchboard.api.calls.IdentityKind;
import dev.switchboard.api.calls.ResultInfo;
import dev.switchboard.api.media.GatherEnd;
import dev.switchboard.api.media.MediaCommand;
import dev.switchboard.api.media.MediaEvent;
import dev.switchboard.api.media.OperationStatus;
import dev.switchboard.api.media.Outcome;
import dev.switchboard.api.media.PromptRef;
import dev.switchboard.api.presence.CachedPresences;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
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

  private final List<MediaCommand.OnCall> media = new ArrayList<>();
  private final List<CallCommand<?>> calls = new ArrayList<>();
  private final List<JsonObject> events = new ArrayList<>();

  private final CallRun.Bus bus = new CallRun.Bus() {
    @Override
    public Future<?> media(MediaCommand.OnCall command) {
      media.add(command);
      return Future.succeededFuture();
    }

    @Override
    public Future<?> calls(CallCommand<?> command) {
      calls.add(command);
      return Future.succeededFuture();
    }

    @Override
    public void publish(JsonObject event) {
      events.add(event);
    }

    @Override
    public Future<CachedPresences> presence(List<String> userIds, long timeoutMs) {
      return Future.failedFuture("this flow routes by no presence");
    }

    @Override
    public void changed(CallRun run) {
    }
  };

  private CallRun run() throws Exception {
    CallRun run = new CallRun("c1", FlowParser.parse("main.yaml", FLOW), bus);
    run.start("+14255550123");
    return run;
  }

  private static <T> T last(List<T> list) {
    return list.get(list.size() - 1);
  }

  private static String clientContext(MediaCommand.OnCall command) {
    return command instanceof MediaCommand.Gather g ? g.clientContext()
        : command instanceof MediaCommand.Play p ? p.clientContext() : ((MediaCommand.Record) command).clientContext();
  }

  private static Outcome completed(String clientContext) {
    return new Outcome("c1", "op", clientContext, OperationStatus.COMPLETED, null, false, null, Instant.now(), "1");
  }

  private void gathered(CallRun run, String digits, GatherEnd endedBy) {
    run.onMedia(new MediaEvent.GatherCompleted(completed(clientContext(last(media))), digits, endedBy));
  }

  private static CallEvent.Header header() {
    return new CallEvent.Header("c1", "t1", Instant.now(), "1", CallView.builder("c1").build());
  }

  @Test
  void repeatingTheMenuIsNotARetryAndNoInputEndsAtTheDefault() throws Exception {
    CallRun run = run();
    MediaCommand.Gather menu = assertInstanceOf(MediaCommand.Gather.class, media.get(0));
    assertEquals(1, menu.prompts().size());
    gathered(run, "9", GatherEnd.MAX_DIGITS);
    gathered(run, "9", GatherEnd.MAX_DIGITS);
    assertEquals(3, media.size());
    assertEquals(1, ((MediaCommand.Gather) last(media)).prompts().size(),
        "'9' replays the menu without the retry prompt");
    gathered(run, "", GatherEnd.TIMEOUT);
    assertEquals(PromptRef.text("Sorry."), ((MediaCommand.Gather) last(media)).prompts().get(0));
    gathered(run, "5", GatherEnd.MAX_DIGITS);
    assertInstanceOf(MediaCommand.Play.class, last(media), "retries used up: the default says bye");
    assertEquals("bye", last(events).getString("node"));
    // A stale event (an earlier command's context) changes nothing.
    run.onMedia(new MediaEvent.GatherCompleted(completed(menu.clientContext()), "1", GatherEnd.MAX_DIGITS));
    assertEquals(0, calls.size());
    run.onMedia(new MediaEvent.PlayCompleted(completed(clientContext(last(media)))));
    assertInstanceOf(CallCommand.HangUp.class, last(calls));
  }

  @Test
  void aFailedTransferGoesToNext() throws Exception {
    CallRun run = run();
    gathered(run, "1", GatherEnd.MAX_DIGITS);
    CallCommand.Transfer transfer = assertInstanceOf(CallCommand.Transfer.class, last(calls));
    assertEquals(IdentityKind.PHONE, transfer.target().identity().kind());
    assertEquals("+14255550101", transfer.target().identity().id());
    run.onTransferFailed(new CallEvent.TransferFailed(header(), null, new ResultInfo(487, 0, "declined"), "declined"));
    assertEquals("transferFailed", events.get(events.size() - 2).getString("type"));
    assertInstanceOf(MediaCommand.Play.class, last(media));
    run.onTerminated(new CallEvent.Terminated(header(), null, "the caller hung up", false));
    assertEquals("ended", last(events).getString("type"));
  }

  @Test
  void aRunRestoredFromItsSnapshotGoesOnWhereItWas() throws Exception {
    CallRun run = run();
    gathered(run, "9", GatherEnd.MAX_DIGITS);
    gathered(run, "", GatherEnd.TIMEOUT);
    // Stored after the event, read back by another version of the plugin (through JSON, as the state store keeps it).
    JsonObject snapshot = new JsonObject(run.snapshot().encode());
    CallRun restored = CallRun.restore("c1", FlowParser.parse("main.yaml", FLOW), bus, snapshot);
    assertEquals(snapshot, restored.snapshot());

    gathered(restored, "5", GatherEnd.MAX_DIGITS);
    MediaCommand.Play bye = assertInstanceOf(MediaCommand.Play.class, last(media),
        "the retry used before the snapshot counts: the default says bye");
    assertEquals(0, calls.size());
    CallRun playing = CallRun.restore("c1", FlowParser.parse("main.yaml", FLOW), bus,
        new JsonObject(restored.snapshot().encode()));
    playing.onMedia(new MediaEvent.PlayCompleted(completed(bye.clientContext())));
    assertInstanceOf(CallCommand.HangUp.class, last(calls), "after the prompt, the restored run hangs up");
  }
}
