package dev.switchboard.media;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallsClient;
import dev.switchboard.api.media.GatherEnd;
import dev.switchboard.api.media.MediaCommand;
import dev.switchboard.api.media.MediaEvent;
import dev.switchboard.api.media.OperationKind;
import dev.switchboard.api.media.OperationStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;

/**
 * Gather-digits: plays the gather's prompts, subscribes the call to tones (once), collects keys from the calling
 * bundle's tone events, and ends on the terminator, at {@code maxDigits}, or at one of two key timers: the overall
 * timeout (from the end of the prompts) and the inter-digit timeout (from the last key). Key timers belong to the
 * call's key, so a gather continues on whichever version of the plugin owns the call when they fire; each carries
 * the gather's operation id, so a timer of a gather that already ended is ignored.
 */
final class Gathering {

  static final String TIMEOUT = "gatherTimeout";
  static final String INTER_DIGIT_TIMEOUT = "gatherInterDigitTimeout";

  private final PluginContext context;
  private final Prompts prompts;
  private final GraphMedia graph;
  private final CallsClient calls;
  private final Outcomes outcomes;

  Gathering(PluginContext context, Prompts prompts, GraphMedia graph, CallsClient calls, Outcomes outcomes) {
    this.context = context;
    this.prompts = prompts;
    this.graph = graph;
    this.calls = calls;
    this.outcomes = outcomes;
  }

  Future<Step> start(CallState call, MediaCommand.Gather command) {
    if (call.gather() != null) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.CONFLICT, "illegalState", "Call "
          + call.callId() + " is already gathering digits (operation " + call.gather().operationId()
          + "); cancel it first."));
    }
    return prompts.resolve(command.prompts()).compose(list -> subscribeToTones(call).compose(subscribed -> {
      Operation op = Operation.started(UUID.randomUUID().toString(), OperationKind.GATHER, command.clientContext());
      CallState gathering = subscribed.withGather(GatherState.of(op.id(), command));
      if (list.isEmpty()) {
        arm(call.callId(), TIMEOUT, op.id(), command.timeoutMs());
        CallState with = gathering.with(op);
        return Future.succeededFuture(Step.of(with).replying(op.startedReply(call.callId())));
      }
      return graph.start(gathering, op, "playPrompt", new JsonObject().put("prompts", list)).map(started -> {
        Step step = Step.of(started.call()).replying(started.reply());
        return started.response().finished() ? promptFinished(step, started.operation().id()) : step;
      });
    }));
  }

  /** Subscribes the call to tones once (through the calling bundle, which reports each key once). */
  private Future<CallState> subscribeToTones(CallState call) {
    if (call.toneSubscribed()) {
      return Future.succeededFuture(call);
    }
    return calls.send(new CallCommand.SubscribeToTone(call.callId(), "switchboard-media"))
        .map(op -> call.withToneSubscribed());
  }

  /** The gather's prompts finished (or were cancelled): the overall timeout starts. */
  Step promptFinished(Step step, String operationId) {
    GatherState g = step.state().gather();
    if (g == null || !g.operationId().equals(operationId) || g.promptDone()) {
      return step;
    }
    arm(step.state().callId(), TIMEOUT, g.operationId(), g.timeoutMs());
    return step.with(step.state().withGather(g.withPromptDone()));
  }

  /**
   * A key was pressed; {@code key} is {@code 0}-{@code 9}, {@code *}, {@code #} or {@code A}-{@code D};
   * {@code sequenceId} is Graph's order of the tone ({@code null} if unknown), which a late tone is put back into.
   */
  Future<Step> key(Step step, String key, Long sequenceId) {
    GatherState g = step.state().gather();
    if (g == null) {
      return Future.succeededFuture(step);
    }
    if (key.equals(g.terminator())) {
      return Future.succeededFuture(finish(step, GatherEnd.TERMINATOR));
    }
    GatherState more = g.withDigit(key, sequenceId);
    Step next = step.with(step.state().withGather(more));
    Future<Step> bargeIn = Future.succeededFuture(next);
    if (!g.promptDone() && g.bargeIn()) {
      Step cut = promptFinished(next, g.operationId());
      bargeIn = graph.cancelMediaProcessing(cut.state(), "switchboard-media-barge-in").map(cut).recover(e -> {
        context.logger().log(System.Logger.Level.WARNING, "Barge-in could not cancel the prompt of call {0}: {1}",
            cut.state().callId(), e.getMessage());
        return Future.succeededFuture(cut);
      });
    }
    return bargeIn.map(s -> {
      if (more.digits().length() >= more.maxDigits()) {
        return finish(s, GatherEnd.MAX_DIGITS);
      }
      arm(s.state().callId(), INTER_DIGIT_TIMEOUT, g.operationId(), g.interDigitTimeoutMs());
      return s;
    });
  }

  /** A gather timer fired. */
  Step timer(Step step, String name, JsonObject payload) {
    GatherState g = step.state().gather();
    if (g == null || !g.operationId().equals(payload.getString("operationId"))) {
      return step; // a timer of a gather that already ended
    }
    return finish(step, name.equals(INTER_DIGIT_TIMEOUT) ? GatherEnd.INTER_DIGIT_TIMEOUT : GatherEnd.TIMEOUT);
  }

  /** Ends the gather under way, if any, and publishes how. */
  Step finish(Step step, GatherEnd endedBy) {
    CallState call = step.state();
    GatherState g = call.gather();
    if (g == null) {
      return step;
    }
    context.cancelKeyTimer(CallMedia.ADDRESS, call.callId(), TIMEOUT);
    context.cancelKeyTimer(CallMedia.ADDRESS, call.callId(), INTER_DIGIT_TIMEOUT);
    OperationStatus status = endedBy == GatherEnd.CANCELLED ? OperationStatus.CANCELLED
        : endedBy == GatherEnd.CALL_ENDED ? OperationStatus.FAILED : OperationStatus.COMPLETED;
    Operation ended = call.operation(g.operationId()).ended(status);
    CallState after = call.with(ended).withGather(null);
    MediaEvent event = new MediaEvent.GatherCompleted(endedBy == GatherEnd.CALL_ENDED
        ? outcomes.callEnded(call.callId(), ended)
        : outcomes.of(call.callId(), ended, endedBy == GatherEnd.CANCELLED ? "The gather was cancelled." : null, null),
        g.digits(), endedBy);
    return step.with(after).publishing(event);
  }

  private void arm(String callId, String name, String operationId, long millis) {
    context.keyTimer(CallMedia.ADDRESS, callId, name, Duration.ofMillis(millis),
        new JsonObject().put("operationId", operationId));
  }
}
