package dev.switchboard.ivr;

import dev.switchboard.api.CallCommands;
import dev.switchboard.api.MediaCommands;
import dev.switchboard.api.MediaEvents;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * One call walking one flow. Holds the {@link Flow} the call started with for its whole life. Driven by the plugin
 * from the call's events; all methods run on the plugin's context, one at a time.
 *
 * <p>Each media command carries a {@code clientContext} of its own ({@code ivr:<n>}): an event whose context is not
 * the one awaited (a cancelled play, a step already left) is ignored.
 */
final class CallRun {

  /** What the run needs from the plugin: the two command addresses and the event address. */
  interface Bus {
    Future<JsonObject> media(JsonObject command);

    Future<JsonObject> calls(JsonObject command);

    void publish(JsonObject event);
  }

  private final String callId;
  private final Flow flow;
  private final Bus bus;
  private final Map<String, Integer> attempts = new HashMap<>();
  private Step current;
  private String awaiting;
  private Runnable afterPlay;
  private int sequence;
  private boolean ended;

  CallRun(String callId, Flow flow, Bus bus) {
    this.callId = callId;
    this.flow = flow;
    this.bus = bus;
  }

  Flow flow() {
    return flow;
  }

  void start(String caller) {
    publish("flowStarted", new JsonObject().put("caller", caller).put("start", flow.start()));
    enter(flow.start());
  }

  private void enter(String id) {
    if (ended) {
      return;
    }
    Step step = id == null || id.equals("hangup") ? new Step.HangUp("hangup", 0, null) : flow.step(id);
    current = step;
    awaiting = null;
    afterPlay = null;
    if (step instanceof Step.Play p) {
      playThen(p.prompt(), () -> enter(p.next()));
    } else if (step instanceof Step.Gather g) {
      attempts.put(g.id(), 0); // entered afresh (e.g. "9 to hear this again"): a full set of retries
      gather(g);
    } else if (step instanceof Step.Record r) {
      record(r);
    } else if (step instanceof Step.Transfer t) {
      playThen(t.prompt(), () -> {
        publish("transferring", new JsonObject().put("target", t.target()));
        command(bus.calls(call(CallCommands.TRANSFER).put("target", t.target())));
      });
    } else if (step instanceof Step.Invite i) {
      playThen(i.prompt(), () -> {
        publish("inviting", new JsonObject().put("target", i.target()));
        command(bus.calls(call(CallCommands.INVITE_PARTICIPANTS).put("participants", new JsonArray().add(i.target())))
            .onSuccess(r -> enter(i.next())));
      });
    } else if (step instanceof Step.HangUp h) {
      playThen(h.prompt(), () -> {
        publish("hangingUp", new JsonObject());
        command(bus.calls(call(CallCommands.HANG_UP)));
      });
    } else {
      // A redirect is handled when the call is claimed; reaching one here is impossible after validation.
      fail("node '" + id + "' cannot run on an answered call");
    }
  }

  private void playThen(Prompt prompt, Runnable then) {
    if (prompt == null) {
      then.run();
      return;
    }
    afterPlay = then;
    publish("playing", new JsonObject().put("prompt", prompt.describe()));
    command(bus.media(media(MediaCommands.PLAY).put("prompts", new JsonArray().add(prompt.toMedia()))));
  }

  private void gather(Step.Gather g) {
    int attempt = attempts.merge(g.id(), 1, Integer::sum);
    JsonArray prompts = new JsonArray();
    if (attempt > 1 && g.retryPrompt() != null) {
      prompts.add(g.retryPrompt().toMedia());
    }
    if (g.prompt() != null) {
      prompts.add(g.prompt().toMedia());
    }
    JsonObject command = media(MediaCommands.GATHER).put("maxDigits", g.maxDigits()).put("timeoutMs", g.timeoutMs())
        .put("interDigitTimeoutMs", g.interDigitTimeoutMs());
    if (!prompts.isEmpty()) {
      command.put("prompts", prompts);
    }
    if (g.terminator() != null) {
      command.put("terminator", g.terminator());
    }
    publish("gathering", new JsonObject().put("attempt", attempt).put("prompt", g.prompt() == null ? null
        : g.prompt().describe()).put("maxDigits", g.maxDigits()));
    command(bus.media(command));
  }

  private void record(Step.Record r) {
    JsonObject command = media(MediaCommands.RECORD).put("maxDurationSeconds", r.maxDurationSeconds())
        .put("maxSilenceSeconds", r.maxSilenceSeconds()).put("initialSilenceSeconds", r.initialSilenceSeconds())
        .put("beep", r.beep());
    if (r.prompt() != null) {
      command.put("prompt", r.prompt().toMedia());
    }
    if (!r.stopTones().isEmpty()) {
      command.put("stopTones", new JsonArray(r.stopTones()));
    }
    publish("recording", new JsonObject().put("prompt", r.prompt() == null ? null : r.prompt().describe()));
    command(bus.media(command));
  }

  /** A media event of this call. */
  void onMedia(String address, JsonObject event) {
    if (ended || awaiting == null || !awaiting.equals(event.getString("clientContext"))) {
      return;
    }
    awaiting = null;
    if (event.getBoolean("callEnded", false)) {
      // The media operation ended with the call: the flow stops here (the calling bundle reports the end).
      return;
    }
    String status = event.getString("status");
    if (address.equals(MediaEvents.PLAY_COMPLETED) && afterPlay != null) {
      if (!"completed".equals(status)) {
        publish("error", new JsonObject().put("message", "the prompt did not play: " + event.getString("reason")));
      }
      Runnable then = afterPlay;
      afterPlay = null;
      then.run();
    } else if (address.equals(MediaEvents.GATHER_COMPLETED) && current instanceof Step.Gather g) {
      String digits = event.getString("digits", "");
      String next = g.branches().get(digits);
      if (next != null) {
        publish("digits", new JsonObject().put("digits", digits).put("endedBy", event.getString("endedBy"))
            .put("next", next));
        enter(next);
      } else if (attempts.getOrDefault(g.id(), 0) <= g.retries()) {
        publish("retry", new JsonObject().put("digits", digits).put("endedBy", event.getString("endedBy")));
        gather(g);
      } else {
        publish("digits", new JsonObject().put("digits", digits).put("endedBy", event.getString("endedBy"))
            .put("next", g.fallback() == null ? "hangup" : g.fallback()).put("fallback", true));
        enter(g.fallback());
      }
    } else if (address.equals(MediaEvents.RECORD_COMPLETED) && current instanceof Step.Record r) {
      JsonObject recording = event.getJsonObject("recording");
      if ("completed".equals(status) && recording != null) {
        publish("recorded", new JsonObject().put("recording", recording)
            .put("completionReason", event.getString("completionReason")));
      } else {
        publish("error", new JsonObject().put("message", "the recording failed: " + event.getString("reason")));
      }
      enter(r.next());
    }
  }

  /** The transfer was refused or failed: the call is back with the bot. */
  void onTransferFailed(JsonObject event) {
    if (!ended && current instanceof Step.Transfer t) {
      publish("transferFailed", new JsonObject().put("reason", event.getString("reason"))
          .put("next", t.next() == null ? "hangup" : t.next()));
      enter(t.next());
    }
  }

  void onTransferAccepted() {
    if (!ended && current instanceof Step.Transfer t) {
      publish("transferred", new JsonObject().put("target", t.target()));
    }
  }

  void onTerminated(JsonObject event) {
    if (!ended) {
      ended = true;
      publish("ended", new JsonObject().put("reason", event.getString("reason")));
    }
  }

  private JsonObject media(String command) {
    awaiting = "ivr:" + (++sequence);
    return new JsonObject().put(MediaCommands.COMMAND, command).put(MediaCommands.CALL_ID, callId)
        .put("clientContext", awaiting);
  }

  private JsonObject call(String command) {
    return new JsonObject().put(CallCommands.COMMAND, command).put(CallCommands.CALL_ID, callId);
  }

  private Future<JsonObject> command(Future<JsonObject> sent) {
    return sent.onFailure(e -> {
      if (!ended) {
        fail(SwitchboardException.from(e).getMessage());
      }
    });
  }

  /** A step could not be carried out: say so and end the call rather than leave the caller in silence. */
  private void fail(String message) {
    publish("error", new JsonObject().put("message", message));
    if (!(current instanceof Step.HangUp)) {
      current = new Step.HangUp("hangup", 0, null);
      awaiting = null;
      publish("hangingUp", new JsonObject());
      bus.calls(call(CallCommands.HANG_UP));
    }
  }

  private void publish(String type, JsonObject fields) {
    JsonObject event = new JsonObject().put("type", type).put("callId", callId).put("flow", flow.name())
        .put("flowVersion", flow.version()).put("file", flow.file())
        .put("node", current == null ? null : current.id()).put("at", java.time.Instant.now().toString());
    bus.publish(event.mergeIn(fields));
  }
}
