package dev.switchboard.emulator.calls;

import dev.switchboard.emulator.http.Bodies;
import dev.switchboard.emulator.http.GraphException;
import dev.switchboard.emulator.media.MediaFailure;
import dev.switchboard.emulator.media.RecordingStore;
import dev.switchboard.emulator.media.WavInfo;
import dev.switchboard.emulator.media.Utterance;
import dev.switchboard.emulator.world.Tones;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service-hosted media (graph-reference §2): playPrompt and recordResponse, queued and processed in
 * order per call; cancelMediaProcessing; subscribeToTone and the tone notifications; sendDtmfTones.
 *
 * <p>A prompt completes after its audio's duration, scaled by the clock speed. A recording lasts
 * as what the caller says (the next utterance queued by the control API, else their behavior's
 * {@code speakSeconds}) and the request's timeouts and stop tones decide.
 * Runs on the emulator's event-loop context only.
 */
final class Ivr {

  private static final Logger LOG = LoggerFactory.getLogger(Ivr.class);
  private static final long BEEP_MS = 500;
  private static final long DTMF_TONE_MS = 100;

  private final CallEnv env;

  Ivr(CallEnv env) {
    this.env = env;
  }

  /** {@code POST .../playPrompt}: 1 to 20 prompts; returns the running operation. */
  Operation playPrompt(Call call, JsonObject body) {
    requireServiceHostedMedia(call, "playPrompt");
    JsonArray prompts = prompts(body, 1, 20);
    Operation op = env.newOperation(call, "playPromptOperation", Bodies.string(body, "clientContext", false), "running");
    call.mediaQueue.addLast(MediaJob.play(op, prompts));
    return op;
  }

  /** {@code POST .../recordResponse}; returns the running operation. */
  Operation record(Call call, JsonObject body) {
    requireServiceHostedMedia(call, "recordResponse");
    JsonArray prompts = prompts(body, 0, 1);
    List<String> stopTones = new ArrayList<>();
    if (body.getValue("stopTones") != null) {
      if (!(body.getValue("stopTones") instanceof JsonArray a)) {
        throw GraphException.badRequest("Property 'stopTones' must be an array such as [\"#\",\"*\"].");
      }
      for (Object t : a) {
        try {
          Tones.normalize(String.valueOf(t));
          stopTones.add(String.valueOf(t));
        } catch (IllegalArgumentException e) {
          throw GraphException.badRequest("stopTones: " + e.getMessage());
        }
      }
    }
    MediaJob job = new MediaJob(MediaJob.Kind.RECORD,
        env.newOperation(call, "recordOperation", Bodies.string(body, "clientContext", false), "running"),
        prompts,
        Bodies.integer(body, "initialSilenceTimeoutInSeconds", 5, 1, 120),
        Bodies.integer(body, "maxSilenceTimeoutInSeconds", 5, 1, 120),
        Bodies.integer(body, "maxRecordDurationInSeconds", 5, 1, 120),
        !Boolean.FALSE.equals(body.getValue("playBeep")),
        stopTones);
    job.operation.extra.put("recordingLocation", null);
    if (Boolean.TRUE.equals(body.getValue("bargeInAllowed"))) {
      cancelMedia(call);
    }
    call.mediaQueue.addLast(job);
    return job.operation;
  }

  /** Starts the next queued media job, if none is running. Call after answering the request. */
  void pump(Call call) {
    if (call.currentJob != null || call.mediaQueue.isEmpty() || !call.live()) {
      return;
    }
    MediaJob job = call.mediaQueue.pollFirst();
    call.currentJob = job;
    Future<Double> prompts = promptsDuration(job.prompts);
    prompts.onComplete(ar -> {
      if (call.currentJob != job) {
        return; // cancelled or the call ended meanwhile
      }
      if (ar.failed()) {
        MediaFailure f = ar.cause() instanceof MediaFailure m ? m : new MediaFailure(500, 0, ar.cause().toString());
        ResultInfo r = new ResultInfo(f.code(), f.subcode(), f.getMessage());
        if (job.kind == MediaJob.Kind.PLAY) {
          finish(call, job, "failed", r, new JsonObject().put("completionReason", "unknown"));
        } else {
          finish(call, job, "failed", r, recordFields("", "", "playPromptFailed"));
        }
        return;
      }
      double ms = ar.result();
      if (job.kind == MediaJob.Kind.PLAY) {
        job.timer = env.schedule(call, ms, () -> finish(call, job, "completed", ResultInfo.SUCCESS,
            new JsonObject().put("completionReason", "completedSuccessfully")));
      } else {
        job.timer = env.schedule(call, ms + (job.playBeep ? BEEP_MS : 0), () -> startRecording(call, job));
      }
    });
  }

  /** {@code POST .../cancelMediaProcessing}: fails the running and queued prompts and recordings. */
  Operation cancel(Call call, JsonObject body) {
    requireServiceHostedMedia(call, "cancelMediaProcessing");
    Operation op = env.newOperation(call, "cancelMediaProcessingOperation",
        Bodies.string(body, "clientContext", false), "completed");
    cancelMedia(call);
    return op;
  }

  /** {@code POST .../subscribeToTone}: from now on every key press is an {@code updated} notification. */
  Operation subscribeToTone(Call call, JsonObject body) {
    requireServiceHostedMedia(call, "subscribeToTone");
    call.toneSubscribed = true;
    return env.newOperation(call, "subscribeToToneOperation", Bodies.string(body, "clientContext", false), "completed");
  }

  /** {@code POST .../sendDtmfTones}: completes after the tones have been played. */
  Operation sendDtmfTones(Call call, JsonObject body) {
    List<String> tones;
    try {
      tones = Tones.parse(body.getValue("tones"));
    } catch (IllegalArgumentException e) {
      throw GraphException.badRequest("Property 'tones': " + e.getMessage());
    }
    int delay = Bodies.integer(body, "delayBetweenTonesMs", 0, 0, 10_000);
    Operation op = env.newOperation(call, "sendDtmfTonesOperation", Bodies.string(body, "clientContext", false), "running");
    long total = tones.size() * DTMF_TONE_MS + (long) (tones.size() - 1) * delay;
    env.schedule(call, total, () -> {
      op.finish("completed", null);
      op.extra.put("completionReason", "completedSuccessfully");
      env.notifyOperation(call, op);
    });
    return op;
  }

  /**
   * The remote party presses a key: ends a recording whose stop tones include it, and, once the bot
   * has subscribed to tones, sends an {@code updated} call notification with {@code toneInfo}.
   */
  void press(Call call, String tone) {
    if (call.state != CallState.ESTABLISHED) {
      LOG.debug("Tone {} on call {} ignored: the call is {}", tone, call.id, call.state.json());
      return;
    }
    MediaJob job = call.currentJob;
    if (job != null && job.recording() && Tones.matches(tone, job.stopTones)) {
      env.cancel(call, job.timer);
      endRecording(call, job, ResultInfo.STOP_TONE, "stopToneDetected", recordedSeconds(job));
    }
    if (call.toneSubscribed) {
      call.toneInfo = new JsonObject()
          .put("@odata.type", "#microsoft.graph.toneInfo")
          .put("sequenceId", ++call.toneSequence)
          .put("tone", tone);
      env.notify(call, "updated", call.path(), new JsonObject()
          .put("@odata.type", "#microsoft.graph.call")
          .put("@odata.id", call.path())
          .put("id", call.id)
          .put("state", call.state.json())
          .put("toneInfo", call.toneInfo.copy()));
    }
  }

  /** The call ended: drops its media jobs without notifications. */
  void abandon(Call call) {
    call.currentJob = null;
    call.mediaQueue.clear();
  }

  // ---------------------------------------------------------------- recording

  private void startRecording(Call call, MediaJob job) {
    job.recordingStarted = env.clock.now();
    List<Participant> remote = call.remoteParticipants();
    Utterance said = call.speech.pollFirst();
    if (said == null) {
      said = Utterance.tone(remote.isEmpty() ? 0 : remote.get(0).behavior.speakSeconds());
    }
    job.said = said;
    double speak = said.seconds();
    double max = job.maxRecordSeconds;
    if (speak <= 0) {
      job.timer = env.schedule(call, job.initialSilenceSeconds * 1000.0,
          () -> endRecording(call, job, ResultInfo.INITIAL_SILENCE, "initialSilenceTimeout", job.initialSilenceSeconds));
    } else if (speak + job.maxSilenceSeconds >= max) {
      job.timer = env.schedule(call, max * 1000.0,
          () -> endRecording(call, job, ResultInfo.MAX_RECORD_DURATION, "maxRecordDurationReached", max));
    } else {
      double end = speak + job.maxSilenceSeconds;
      job.timer = env.schedule(call, end * 1000.0,
          () -> endRecording(call, job, ResultInfo.MAX_SILENCE, "maxSilenceTimeout", end));
    }
  }

  private double recordedSeconds(MediaJob job) {
    double seconds = java.time.Duration.between(job.recordingStarted, env.clock.now()).toNanos() / 1e9;
    return Math.min(job.maxRecordSeconds, seconds);
  }

  private void endRecording(Call call, MediaJob job, ResultInfo result, String reason, double seconds) {
    if (result == ResultInfo.INITIAL_SILENCE) {
      finish(call, job, "failed", result, recordFields("", "", reason));
      return;
    }
    RecordingStore.Recording rec = env.recordings.put(job.said.recording(seconds));
    finish(call, job, "completed", result, recordFields(rec.location(), rec.accessToken(), reason));
  }

  private static JsonObject recordFields(String location, String token, String reason) {
    return new JsonObject().put("recordingLocation", location).put("recordingAccessToken", token)
        .put("completionReason", reason);
  }

  // ---------------------------------------------------------------- helpers

  private void finish(Call call, MediaJob job, String status, ResultInfo result, JsonObject extra) {
    if (call.currentJob != job) {
      return;
    }
    call.currentJob = null;
    job.operation.finish(status, result);
    extra.forEach(e -> job.operation.extra.put(e.getKey(), e.getValue()));
    env.notifyOperation(call, job.operation);
    pump(call);
  }

  private void cancelMedia(Call call) {
    List<MediaJob> cancelled = new ArrayList<>();
    if (call.currentJob != null) {
      cancelled.add(call.currentJob);
      env.cancel(call, call.currentJob.timer);
      call.currentJob = null;
    }
    cancelled.addAll(call.mediaQueue);
    call.mediaQueue.clear();
    for (MediaJob job : cancelled) {
      job.operation.finish("failed", ResultInfo.CANCELLED);
      job.operation.extra.mergeIn(job.kind == MediaJob.Kind.PLAY
          ? new JsonObject().put("completionReason", "mediaOperationCanceled")
          : recordFields("", "", "operationCanceled"));
      env.notifyOperation(call, job.operation);
    }
  }

  private Future<Double> promptsDuration(JsonArray prompts) {
    List<Future<WavInfo>> loads = new ArrayList<>();
    for (Object p : prompts) {
      JsonObject media = ((JsonObject) p).getJsonObject("mediaInfo");
      loads.add(env.prompts.load(media.getString("uri"), media.getString("resourceId")));
    }
    if (loads.isEmpty()) {
      return Future.succeededFuture(0.0);
    }
    return Future.all(loads).map(all -> loads.stream().mapToDouble(f -> f.result().durationMillis()).sum());
  }

  private static JsonArray prompts(JsonObject body, int min, int max) {
    Object v = body.getValue("prompts");
    if (v == null && min == 0) {
      return new JsonArray();
    }
    if (!(v instanceof JsonArray a) || a.size() < min || a.size() > max) {
      throw GraphException.badRequest("Property 'prompts' must be an array of " + min + " to " + max + " mediaPrompt.");
    }
    for (Object p : a) {
      JsonObject media = p instanceof JsonObject o && o.getValue("mediaInfo") instanceof JsonObject m ? m : null;
      if (media == null || !(media.getValue("uri") instanceof String)) {
        throw GraphException.badRequest("Each prompt must be a mediaPrompt with mediaInfo.uri (the URL of a WAV file).");
      }
    }
    return a;
  }

  private static void requireServiceHostedMedia(Call call, String action) {
    if (!call.serviceHostedMedia()) {
      throw GraphException.notSupported(action + " is not supported on call " + call.id
          + ": it uses application-hosted media (appHostedMediaConfig). Only calls created or answered with"
          + " serviceHostedMediaConfig can play prompts, record or receive tones.");
    }
    if (call.state != CallState.ESTABLISHED) {
      throw GraphException.conflict("Cannot " + action + " on call " + call.id + ": it is " + call.state.json()
          + "; media actions need an established call.");
    }
  }
}
