package dev.switchboard.media;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.calls.CallsClient;
import dev.switchboard.api.calls.OperationView;
import dev.switchboard.api.media.GatherEnd;
import dev.switchboard.api.media.MediaCommand;
import dev.switchboard.api.media.OperationKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/**
 * The media of each call, as the owner of the call's key on {@link #ADDRESS}. What arrives there, one at a time and in
 * order, each of its own type: commands on the call ({@link MediaCommand.OnCall}, and the plugin's own
 * {@link DownloadFinished}), the calling bundle's events of the call that the plugin follows (operation completed,
 * tone received, terminated), and the call's gather timers. Each message turns the call's {@link CallState} into a
 * {@link Step}: the new state is stored (or, once the call has ended and nothing is left to download, removed and the
 * key released) before the step's events are published and its reply is sent, so that a newer version of the plugin
 * that takes the key over carries on from it.
 */
final class CallMedia {

  /** The keyed address of call media; the key is the call id. */
  static final String ADDRESS = "switchboard.media.calls";

  /** The calling bundle's events the plugin follows on {@link #ADDRESS}. */
  static final List<String> FOLLOWED = List.of(CallEvent.ToneReceived.TOPIC, CallEvent.OperationCompleted.TOPIC,
      CallEvent.Terminated.TOPIC);

  private final PluginContext context;
  private final MediaMeters meters;
  private final CallStates states;
  private final CallsClient calls;
  private final Gathering gathering;
  private final PlaysAndRecordings playsAndRecordings;
  private final OperationWatchdog watchdog;

  CallMedia(PluginContext context, CallStates states, CallsClient calls, Gathering gathering,
      PlaysAndRecordings playsAndRecordings, OperationWatchdog watchdog) {
    this.context = context;
    this.watchdog = watchdog;
    this.states = states;
    this.calls = calls;
    this.gathering = gathering;
    this.playsAndRecordings = playsAndRecordings;
    this.meters = new MediaMeters(context.meters());
  }

  Future<JsonObject> handle(KeyedMessage message) {
    try {
      return dispatch(message);
    } catch (RuntimeException e) {
      return Future.failedFuture(e); // e.g. a malformed command: its 400 goes back to the sender
    }
  }

  private Future<JsonObject> dispatch(KeyedMessage message) {
    if (message instanceof KeyedMessage.Command command) {
      return command(command);
    }
    if (message instanceof KeyedMessage.Event event) {
      return followUp(event.key(), step -> event(step, CallEvent.fromJson(event.body())));
    }
    if (message instanceof KeyedMessage.Timer timer && OperationWatchdog.TIMER.equals(timer.name())) {
      return followUp(timer.key(), step -> watchdog.check(step.state()).map(found -> {
        Step next = step;
        for (OperationView graphOp : found) {
          next = operationFinished(next, graphOp);
        }
        return next;
      }));
    }
    if (message instanceof KeyedMessage.Timer timer) {
      return followUp(timer.key(), step -> Future.succeededFuture(gathering.timer(step, timer.name(),
          timer.payload())));
    }
    return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "The media plugin takes no Graph "
        + "notifications on " + ADDRESS + "; send media commands to " + MediaCommand.ADDRESS + "."));
  }

  private Future<JsonObject> command(KeyedMessage.Command command) {
    String callId = command.key();
    if (context.name().equals(command.sender()) && DownloadFinished.isOne(command.body())) {
      DownloadFinished download = DownloadFinished.fromJson(command.body());
      return followUp(callId, step -> Future.succeededFuture(playsAndRecordings.downloaded(step, download)));
    }
    MediaCommand parsed = MediaCommand.fromJson(command.body());
    if (!(parsed instanceof MediaCommand.OnCall onCall) || !onCall.callId().equals(callId)) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "A command to " + ADDRESS
          + " is a media command on the call " + callId + "; got " + command.body().encode()));
    }
    return states.get(callId).compose(call -> {
      if (onCall instanceof MediaCommand.Status) {
        if (call == null) {
          context.releaseKey(ADDRESS, callId);
          return Future.succeededFuture(CallState.begin(callId, null, false).view().toJson());
        }
        return Future.succeededFuture(call.view().toJson());
      }
      if (call != null && call.ended()) {
        return Future.failedFuture(new SwitchboardException(ErrorCode.CONFLICT, "illegalState", "Call " + callId
            + " has ended."));
      }
      if (call != null) {
        return run(call, onCall).compose(this::watchedAndSaved);
      }
      // A call the plugin did not work on: if the first command fails, there is nothing to own.
      return begin(callId).compose(c -> run(c, onCall)).compose(this::watchedAndSaved)
          .onFailure(e -> context.releaseKey(ADDRESS, callId));
    });
  }

  /** The first command on a call: learn its tenant, and whether its tones are subscribed, from the calling bundle. */
  private Future<CallState> begin(String callId) {
    return calls.get(callId).map(view -> CallState.begin(callId, view.tenantId(), view.toneSubscribed()));
  }

  private Future<Step> run(CallState call, MediaCommand.OnCall command) {
    if (command instanceof MediaCommand.Play play) {
      return playsAndRecordings.play(call, play);
    }
    if (command instanceof MediaCommand.Record record) {
      return playsAndRecordings.record(call, record);
    }
    if (command instanceof MediaCommand.Gather gather) {
      return gathering.start(call, gather);
    }
    List<String> gather = call.gather() == null ? List.of() : List.of(call.gather().operationId());
    return playsAndRecordings.cancel(gathering.finish(Step.of(call), GatherEnd.CANCELLED), gather);
  }

  private Future<Step> event(Step step, CallEvent event) {
    if (event instanceof CallEvent.ToneReceived tone) {
      String key = Tones.key(tone.tone());
      return key == null ? Future.succeededFuture(step) : gathering.key(step, key, tone.sequenceId());
    }
    if (event instanceof CallEvent.OperationCompleted completed) {
      return Future.succeededFuture(operationFinished(step, completed.operation()));
    }
    if (event instanceof CallEvent.Terminated && !step.state().ended()) {
      Step ended = step.with(step.state().withEnded());
      return Future.succeededFuture(playsAndRecordings.callEnded(gathering.finish(ended, GatherEnd.CALL_ENDED)));
    }
    return Future.succeededFuture(step);
  }

  /** A Graph operation finished (its notification, or the watchdog's read): the media operation it belongs to ends. */
  private Step operationFinished(Step step, OperationView graphOp) {
    return step.state().forGraphOperation(graphOp.clientContext(), graphOp.id())
        .map(op -> op.kind() == OperationKind.GATHER ? gathering.promptFinished(step, op.id())
            : playsAndRecordings.finished(step, op, graphOp)).orElse(step);
  }

  /** A command's step: its call watched while it has running operations, then stored. */
  private Future<JsonObject> watchedAndSaved(Step step) {
    watchdog.arm(step.state());
    return save(step);
  }

  /**
   * Handles an event, timer or download of a call: of a call the plugin does not work on (it follows every call's
   * events), nothing is kept and the key is released.
   */
  private Future<JsonObject> followUp(String callId, Function<Step, Future<Step>> handler) {
    return states.get(callId).compose(call -> {
      if (call == null) {
        context.releaseKey(ADDRESS, callId);
        return Future.succeededFuture(new JsonObject());
      }
      return handler.apply(Step.of(call)).compose(this::save);
    });
  }

  /** Stores the step's state (or forgets a finished call), then publishes its events; its reply. */
  private Future<JsonObject> save(Step step) {
    CallState call = step.state();
    Future<Void> written = call.finished() ? states.remove(call.callId()) : states.put(call);
    return written.map(v -> {
      if (call.finished()) {
        context.releaseKey(ADDRESS, call.callId());
      }
      step.events().forEach(e -> {
        context.publishKeyed(e.topic(), call.callId(), e.toJson());
        meters.ended(e);
      });
      return step.reply();
    });
  }
}
