package dev.switchboard.media;

import dev.switchboard.api.PluginContext;
import dev.switchboard.api.calls.OperationView;
import dev.switchboard.api.calls.ResultInfo;
import dev.switchboard.api.media.Cancelled;
import dev.switchboard.api.media.MediaCommand;
import dev.switchboard.api.media.MediaEvent;
import dev.switchboard.api.media.OperationKind;
import dev.switchboard.api.media.OperationStatus;
import dev.switchboard.api.media.Outcome;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Plays and recordings: started with Graph's playPrompt and recordResponse, finished when Graph reports them
 * (through the calling bundle's operationCompleted event, or at once in Graph's answer), a recording then downloaded
 * before its event is published. Cancel and the end of the call finish what is still running.
 */
final class PlaysAndRecordings {

  /** Graph's subcode of an operation cancelled by cancelMediaProcessing. */
  private static final int CANCELLED_SUBCODE = 8508;

  private final PluginContext context;
  private final Prompts prompts;
  private final GraphMedia graph;
  private final Recordings recordings;
  private final Outcomes outcomes;

  PlaysAndRecordings(PluginContext context, Prompts prompts, GraphMedia graph, Recordings recordings,
      Outcomes outcomes) {
    this.context = context;
    this.prompts = prompts;
    this.graph = graph;
    this.recordings = recordings;
    this.outcomes = outcomes;
  }

  Future<Step> play(CallState call, MediaCommand.Play play) {
    return prompts.resolve(play.prompts()).compose(list -> start(call, OperationKind.PLAY, play.clientContext(),
        "playPrompt", new JsonObject().put("prompts", list)));
  }

  Future<Step> record(CallState call, MediaCommand.Record record) {
    return prompts.resolve(record.prompt() == null ? List.of() : List.of(record.prompt())).compose(list -> {
      JsonObject body = new JsonObject().put("prompts", list).put("bargeInAllowed", false)
          .put("initialSilenceTimeoutInSeconds", record.initialSilenceSeconds())
          .put("maxSilenceTimeoutInSeconds", record.maxSilenceSeconds())
          .put("maxRecordDurationInSeconds", record.maxDurationSeconds()).put("playBeep", record.beep())
          .put("stopTones", new JsonArray(record.stopTones()));
      return start(call, OperationKind.RECORD, record.clientContext(), "recordResponse", body);
    });
  }

  private Future<Step> start(CallState call, OperationKind kind, String clientContext, String action,
      JsonObject body) {
    Operation op = Operation.started(UUID.randomUUID().toString(), kind, clientContext);
    return graph.start(call, op, action, body).map(started -> {
      Step step = Step.of(started.call()).replying(started.reply());
      return started.response().finished() ? finished(step, started.operation(), started.response()) : step;
    });
  }

  /** Graph finished a play or a recording: publish how, or first download the recording. */
  Step finished(Step step, Operation op, OperationView graphOp) {
    if (!op.running()) {
      return step;
    }
    ResultInfo result = graphOp.resultInfo();
    boolean cancelled = "operationCanceled".equals(graphOp.completionReason())
        || result != null && result.subcode() != null && result.subcode() == CANCELLED_SUBCODE;
    OperationStatus status = "completed".equals(graphOp.status()) ? OperationStatus.COMPLETED
        : cancelled ? OperationStatus.CANCELLED : OperationStatus.FAILED;
    String reason = status == OperationStatus.COMPLETED ? null : result != null && result.message() != null
        ? result.message() : "Graph reported the operation " + graphOp.status() + ".";
    String callId = step.state().callId();
    if (op.kind() == OperationKind.RECORD && status == OperationStatus.COMPLETED
        && graphOp.recordingLocation() != null) {
      Operation downloading = op.downloading(new PendingDownload(graphOp.recordingLocation(),
          graphOp.recordingAccessToken(), result, graphOp.completionReason()));
      startDownload(callId, downloading);
      return step.with(step.state().with(downloading));
    }
    Operation ended = op.ended(status);
    Outcome outcome = outcomes.of(callId, ended, reason, result);
    return step.with(step.state().with(ended)).publishing(op.kind() == OperationKind.PLAY
        ? new MediaEvent.PlayCompleted(outcome)
        : new MediaEvent.RecordCompleted(outcome, graphOp.completionReason(), null));
  }

  /** Starts (or, for a call left by another version, restarts) a recording's download. */
  void startDownload(String callId, Operation op) {
    PendingDownload d = op.download();
    recordings.download(callId, op.id(), d.location(), d.accessToken())
        .transform(ar -> context.sendToKey(CallMedia.ADDRESS, callId, new DownloadFinished(op.id(),
            ar.succeeded() ? ar.result() : null, ar.failed() ? ar.cause().getMessage() : null).toJson()))
        .onFailure(e -> context.logger().log(System.Logger.Level.WARNING,
            "Call {0}: the end of the download of recording {1} was not handled: {2}", callId, op.id(),
            e.getMessage()));
  }

  /** A download ended: the recording's event. */
  Step downloaded(Step step, DownloadFinished download) {
    Operation op = step.state().operation(download.operationId());
    if (op == null || op.status() != OperationStatus.DOWNLOADING) {
      return step;
    }
    PendingDownload d = op.download();
    Operation ended = op.ended(download.recording() != null ? OperationStatus.COMPLETED : OperationStatus.FAILED);
    Outcome outcome = outcomes.of(step.state().callId(), ended, download.error(), d.resultInfo());
    return step.with(step.state().with(ended)).publishing(new MediaEvent.RecordCompleted(outcome,
        d.completionReason(), download.recording()));
  }

  /**
   * Asks Graph to cancel the call's running plays and recordings (each then finishes as cancelled); the reply lists
   * them with {@code alsoCancelled} (the gather, cancelled by the caller).
   */
  Future<Step> cancel(Step step, List<String> alsoCancelled) {
    CallState call = step.state();
    List<String> cancelled = new ArrayList<>(alsoCancelled);
    for (Operation op : call.withStatus(OperationStatus.RUNNING)) {
      if (op.kind() != OperationKind.GATHER) {
        cancelled.add(op.id());
        call = call.with(op.cancelling());
      }
    }
    CallState cancelling = call;
    return graph.cancelMediaProcessing(cancelling, "switchboard-media-cancel")
        .map(v -> step.with(cancelling).replying(new Cancelled(cancelling.callId(), cancelled).toJson()));
  }

  /** The call ended: its running plays and recordings failed with it (recordings being downloaded go on). */
  Step callEnded(Step step) {
    Step out = step;
    for (Operation op : step.state().withStatus(OperationStatus.RUNNING)) {
      if (op.kind() == OperationKind.GATHER) {
        continue;
      }
      Operation ended = op.ended(OperationStatus.FAILED);
      Outcome outcome = outcomes.callEnded(step.state().callId(), ended);
      out = out.with(out.state().with(ended)).publishing(op.kind() == OperationKind.PLAY
          ? new MediaEvent.PlayCompleted(outcome) : new MediaEvent.RecordCompleted(outcome, null, null));
    }
    return out;
  }
}
