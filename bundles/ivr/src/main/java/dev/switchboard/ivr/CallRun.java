package dev.switchboard.ivr;

import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.calls.Target;
import dev.switchboard.api.media.MediaCommand;
import dev.switchboard.api.media.MediaEvent;
import dev.switchboard.api.media.OperationStatus;
import dev.switchboard.api.media.PromptRef;
import dev.switchboard.api.presence.CachedPresences;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One call walking one flow. Holds the {@link Flow} the call started with for its whole life. Driven by the plugin
 * from the call's events; all methods run on the plugin's context, one at a time.
 *
 * <p>Each media command carries a {@code clientContext} of its own ({@code ivr:<n>}): an event whose context is not
 * the one awaited (a cancelled play, a step already left) is ignored.
 *
 * <p>Everything the run knows is data ({@link #snapshot()}): the plugin stores it after each event, so that another
 * version of the plugin (a takeover) or the same one after a restart continues the call where it was
 * ({@link #restore}). What follows a prompt is decided by the node being played, not held as code.
 */
final class CallRun {

  /** What the run needs from the plugin: the media and calling bundles' commands, and the event address. */
  interface Bus {
    Future<?> media(MediaCommand.OnCall command);

    Future<?> calls(CallCommand<?> command);

    void publish(JsonObject event);

    /** The presence bundle's cached presence of these users, or a failure when it did not answer in time. */
    Future<CachedPresences> presence(List<String> userIds, long timeoutMs);

    /** The run changed outside the handling of an event (an answer arrived): store it. */
    void changed(CallRun run);
  }

  private final String callId;
  private final Flow flow;
  private final Bus bus;
  private final Map<String, Integer> attempts = new HashMap<>();
  private Step current;
  private String awaiting;
  /** Whether the awaited event is the end of the current node's prompt, after which the node goes on. */
  private boolean playing;
  /** The target of the transfer under way (the one a routed transfer chose). */
  private JsonObject transferTarget;
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

  String callId() {
    return callId;
  }

  /** All the run knows, as JSON; {@link #restore} reads it back. */
  JsonObject snapshot() {
    return new JsonObject().put("flowVersion", flow.version()).put("node", current == null ? null : current.id())
        .put("awaiting", awaiting).put("playing", playing).put("transferTarget", transferTarget)
        .put("sequence", sequence).put("ended", ended).put("attempts", new JsonObject(new HashMap<>(attempts)));
  }

  /**
   * The run of {@code callId} as {@link #snapshot()} left it, on {@code flow} (the version it started with). A run
   * that stopped while asking the presence bundle asks again.
   */
  static CallRun restore(String callId, Flow flow, Bus bus, JsonObject snapshot) {
    CallRun run = new CallRun(callId, flow, bus);
    String node = snapshot.getString("node");
    run.current = node == null ? null : flow.step(node) != null ? flow.step(node) : new Step.HangUp(node, 0, null);
    run.awaiting = snapshot.getString("awaiting");
    run.playing = snapshot.getBoolean("playing", false);
    run.transferTarget = snapshot.getJsonObject("transferTarget");
    run.sequence = snapshot.getInteger("sequence", 0);
    run.ended = snapshot.getBoolean("ended", false);
    snapshot.getJsonObject("attempts", new JsonObject()).forEach(e -> run.attempts.put(e.getKey(),
        ((Number) e.getValue()).intValue()));
    if (!run.ended && run.awaiting == null && run.current instanceof Step.Transfer t && t.routing() != null
        && run.transferTarget == null) {
      run.route(t, t.routing());
    }
    return run;
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
    playing = false;
    transferTarget = null;
    if (step instanceof Step.Play) {
      playThenGoOn(step);
    } else if (step instanceof Step.Gather g) {
      attempts.put(g.id(), 0); // entered afresh (e.g. "9 to hear this again"): a full set of retries
      gather(g);
    } else if (step instanceof Step.Record r) {
      record(r);
    } else if (step instanceof Step.Transfer t && t.routing() != null) {
      route(t, t.routing());
    } else if (step instanceof Step.Transfer t) {
      transfer(t, t.target());
    } else if (step instanceof Step.Invite || step instanceof Step.HangUp) {
      playThenGoOn(step);
    } else {
      // A redirect is handled when the call is claimed; reaching one here is impossible after validation.
      fail("node '" + id + "' cannot run on an answered call");
    }
  }

  private void transfer(Step.Transfer t, JsonObject target) {
    transferTarget = target;
    playThenGoOn(t);
  }

  /** Plays the prompt of {@code step} (if it has one), then {@link #goOn}. */
  private void playThenGoOn(Step step) {
    if (step.prompt() == null) {
      goOn(step);
      return;
    }
    playing = true;
    publish("playing", new JsonObject().put("prompt", step.prompt().describe()));
    command(bus.media(new MediaCommand.Play(callId, List.of(step.prompt().toMedia()), nextContext())));
  }

  /** What a node does once its prompt has played. */
  private void goOn(Step step) {
    if (step instanceof Step.Play p) {
      enter(p.next());
    } else if (step instanceof Step.Transfer) {
      publish("transferring", new JsonObject().put("target", transferTarget));
      command(bus.calls(new CallCommand.Transfer(callId, Target.fromJson(transferTarget), null, null)));
    } else if (step instanceof Step.Invite i) {
      publish("inviting", new JsonObject().put("target", i.target()));
      command(bus.calls(new CallCommand.InviteParticipants(callId, List.of(Target.fromJson(i.target())), null))
          .onSuccess(r -> {
            if (!ended && current == i) {
              enter(i.next());
              bus.changed(this);
            }
          }));
    } else if (step instanceof Step.HangUp) {
      publish("hangingUp", new JsonObject());
      command(bus.calls(new CallCommand.HangUp(callId)));
    }
  }

  /** Asks the presence bundle's cache, then transfers to the chosen user or goes to the fallback. */
  private void route(Step.Transfer t, Step.Routing routing) {
    bus.presence(PresenceRouting.userIds(routing), routing.presenceTimeoutMs()).onComplete(ar -> {
      if (ended || current != t) {
        return;
      }
      PresenceRouting.Decision decision = ar.succeeded() ? PresenceRouting.choose(routing, ar.result())
          : PresenceRouting.unanswered(routing, ar.cause());
      publish("routed", new JsonObject().put("strategy", routing.strategy()).put("target", decision.target())
          .put("reason", decision.reason()).put("presenceAnswered", ar.succeeded())
          .put("next", decision.target() != null ? null : routing.fallback() == null ? "hangup" : routing.fallback()));
      if (decision.target() == null) {
        enter(routing.fallback());
      } else {
        transfer(t, decision.target());
      }
      bus.changed(this);
    });
  }

  private void gather(Step.Gather g) {
    int attempt = attempts.merge(g.id(), 1, Integer::sum);
    List<PromptRef> prompts = new ArrayList<>();
    if (attempt > 1 && g.retryPrompt() != null) {
      prompts.add(g.retryPrompt().toMedia());
    }
    if (g.prompt() != null) {
      prompts.add(g.prompt().toMedia());
    }
    MediaCommand.Gather command = new MediaCommand.Gather(callId, prompts, g.maxDigits(), g.terminator(),
        g.interDigitTimeoutMs(), g.timeoutMs(), true, nextContext());
    publish("gathering", new JsonObject().put("attempt", attempt).put("prompt", g.prompt() == null ? null
        : g.prompt().describe()).put("maxDigits", g.maxDigits()));
    command(bus.media(command));
  }

  private void record(Step.Record r) {
    MediaCommand.Record command = new MediaCommand.Record(callId, r.prompt() == null ? null : r.prompt().toMedia(),
        r.maxDurationSeconds(), r.initialSilenceSeconds(), r.maxSilenceSeconds(), r.stopTones(), r.beep(),
        nextContext());
    publish("recording", new JsonObject().put("prompt", r.prompt() == null ? null : r.prompt().describe()));
    command(bus.media(command));
  }

  /** A media event of this call. */
  void onMedia(MediaEvent event) {
    if (ended || awaiting == null || !awaiting.equals(event.outcome().clientContext())) {
      return;
    }
    awaiting = null;
    if (event.outcome().callEnded()) {
      // The media operation ended with the call: the flow stops here (the calling bundle reports the end).
      return;
    }
    boolean completed = event.outcome().status() == OperationStatus.COMPLETED;
    if (event instanceof MediaEvent.PlayCompleted && playing) {
      if (!completed) {
        publish("error", new JsonObject().put("message", "the prompt did not play: " + event.outcome().reason()));
      }
      playing = false;
      goOn(current);
    } else if (event instanceof MediaEvent.GatherCompleted gathered && current instanceof Step.Gather g) {
      onDigits(g, gathered.digits(), gathered.endedBy().wire());
    } else if (event instanceof MediaEvent.RecordCompleted recorded && current instanceof Step.Record r) {
      if (completed && recorded.recording() != null) {
        publish("recorded", new JsonObject().put("recording", recorded.recording().toJson())
            .put("completionReason", recorded.completionReason()));
      } else {
        publish("error", new JsonObject().put("message", "the recording failed: " + event.outcome().reason()));
      }
      enter(r.next());
    }
  }

  private void onDigits(Step.Gather g, String digits, String endedBy) {
    String next = g.branches().get(digits);
    if (next != null) {
      publish("digits", new JsonObject().put("digits", digits).put("endedBy", endedBy).put("next", next));
      enter(next);
    } else if (attempts.getOrDefault(g.id(), 0) <= g.retries()) {
      publish("retry", new JsonObject().put("digits", digits).put("endedBy", endedBy));
      gather(g);
    } else {
      publish("digits", new JsonObject().put("digits", digits).put("endedBy", endedBy)
          .put("next", g.fallback() == null ? "hangup" : g.fallback()).put("fallback", true));
      enter(g.fallback());
    }
  }

  /** The transfer was refused or failed: the call is back with the bot. */
  void onTransferFailed(CallEvent.TransferFailed event) {
    if (!ended && current instanceof Step.Transfer t) {
      publish("transferFailed", new JsonObject().put("reason", event.reason())
          .put("next", t.next() == null ? "hangup" : t.next()));
      enter(t.next());
    }
  }

  void onTransferAccepted() {
    if (!ended && current instanceof Step.Transfer t) {
      publish("transferred", new JsonObject().put("target", transferTarget));
    }
  }

  void onTerminated(CallEvent.Terminated event) {
    if (!ended) {
      ended = true;
      publish("ended", new JsonObject().put("reason", event.reason()));
    }
  }

  /** The client context of the next media command: the one whose event the run waits for. */
  private String nextContext() {
    awaiting = "ivr:" + (++sequence);
    return awaiting;
  }

  private <T> Future<T> command(Future<T> sent) {
    return sent.onFailure(e -> {
      if (!ended) {
        fail(SwitchboardException.from(e).getMessage());
        bus.changed(this);
      }
    });
  }

  /** A step could not be carried out: say so and end the call rather than leave the caller in silence. */
  private void fail(String message) {
    publish("error", new JsonObject().put("message", message));
    if (!(current instanceof Step.HangUp)) {
      current = new Step.HangUp("hangup", 0, null);
      awaiting = null;
      playing = false;
      publish("hangingUp", new JsonObject());
      bus.calls(new CallCommand.HangUp(callId));
    }
  }

  private void publish(String type, JsonObject fields) {
    JsonObject event = new JsonObject().put("type", type).put("callId", callId).put("flow", flow.name())
        .put("flowVersion", flow.version()).put("file", flow.file())
        .put("node", current == null ? null : current.id()).put("at", java.time.Instant.now().toString());
    bus.publish(event.mergeIn(fields));
  }
}
