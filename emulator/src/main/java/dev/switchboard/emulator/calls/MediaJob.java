package dev.switchboard.emulator.calls;

import dev.switchboard.emulator.media.Utterance;
import io.vertx.core.json.JsonArray;
import java.util.List;

/** A queued playPrompt or recordResponse of one call. */
final class MediaJob {

  enum Kind { PLAY, RECORD }

  final Kind kind;
  final Operation operation;
  final JsonArray prompts;
  // recordResponse parameters, in emulated seconds
  final int initialSilenceSeconds;
  final int maxSilenceSeconds;
  final int maxRecordSeconds;
  final boolean playBeep;
  final List<String> stopTones;

  long timer = -1;
  /** Set while the caller is being recorded: when it began, on the emulated clock. */
  java.time.Instant recordingStarted;
  /** Set while the caller is being recorded: what they say. */
  Utterance said;

  MediaJob(Kind kind, Operation operation, JsonArray prompts, int initialSilenceSeconds, int maxSilenceSeconds,
      int maxRecordSeconds, boolean playBeep, List<String> stopTones) {
    this.kind = kind;
    this.operation = operation;
    this.prompts = prompts;
    this.initialSilenceSeconds = initialSilenceSeconds;
    this.maxSilenceSeconds = maxSilenceSeconds;
    this.maxRecordSeconds = maxRecordSeconds;
    this.playBeep = playBeep;
    this.stopTones = List.copyOf(stopTones);
  }

  static MediaJob play(Operation op, JsonArray prompts) {
    return new MediaJob(Kind.PLAY, op, prompts, 0, 0, 0, false, List.of());
  }

  boolean recording() {
    return recordingStarted != null;
  }
}
