package dev.switchboard.api.media;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * A command to the media bundle. Sent (request/reply) as JSON to {@link #ADDRESS}, most simply through
 * {@link MediaClient}; the same operations are served over REST ({@code docs/media.md}).
 *
 * <p>Commands on a call ({@link OnCall}) are carried out one at a time, in order, by the version of the media plugin
 * that owns the call; their state lives in the plugin's state store, so they survive an update of the media bundle.
 * {@link Play}, {@link Record} and {@link Gather} reply {@link OperationStarted} at once; the outcome is a
 * {@link MediaEvent}. Failures come back as a {@link dev.switchboard.api.SwitchboardException}: {@code 400 badRequest},
 * {@code 404 promptNotFound} / {@code callNotFound}, {@code 409 illegalState}, {@code 415}/{@code 422} for unusable
 * audio, {@code 503 speechUnavailable} when espeak-ng is not installed, and Graph's failures.
 *
 * <p>The records check their values when built (a {@code 400} naming the value), so a command that was built was
 * valid. Their JSON form: {@code {"command": "<name>", "callId": "...", ...the record's fields}}.
 */
public sealed interface MediaCommand {

  /** Where commands are sent (request/reply). */
  String ADDRESS = "switchboard.media.commands";

  /** The most prompts one command plays. */
  int MAX_PROMPTS = 20;

  /** The most digits one gather collects. */
  int MAX_DIGITS = 64;

  /** The command's name on the wire ({@code play}, {@code record}, ...). */
  String name();

  /** The JSON form, for the event bus. */
  JsonObject toJson();

  /** A command on one call. */
  sealed interface OnCall extends MediaCommand {
    /** The call's id. */
    String callId();
  }

  /**
   * Reads a command from its JSON form.
   *
   * @throws dev.switchboard.api.SwitchboardException {@code 400}, with a sentence naming what is wrong, when
   *     {@code json} is not a valid command
   */
  static MediaCommand fromJson(JsonObject json) {
    Objects.requireNonNull(json, "json");
    String name = Fields.string(json, "command");
    if (name == null) {
      throw Fields.bad("A media command needs 'command' (play, record, gather, cancel, status or resolvePrompts).");
    }
    if (name.equals(ResolvePrompts.NAME)) {
      return new ResolvePrompts(prompts(json, "prompts", 1));
    }
    if (!List.of(Play.NAME, Record.NAME, Gather.NAME, Cancel.NAME, Status.NAME).contains(name)) {
      throw Fields.bad("Unknown media command '" + name + "'; known: play, record, gather, cancel, status, "
          + "resolvePrompts.");
    }
    String callId = Fields.string(json, "callId");
    if (callId == null || callId.isBlank()) {
      throw Fields.bad("Media command '" + name + "' needs 'callId'.");
    }
    String clientContext = Fields.string(json, "clientContext");
    return switch (name) {
      case Play.NAME -> new Play(callId, prompts(json, "prompts", 1), clientContext);
      case Record.NAME -> new Record(callId, json.getValue("prompt") == null ? null
          : PromptRef.fromJson(json.getValue("prompt")), Fields.integer(json, "maxDurationSeconds", 60),
          Fields.integer(json, "initialSilenceSeconds", 5), Fields.integer(json, "maxSilenceSeconds", 5),
          Fields.strings(json, "stopTones"), Fields.bool(json, "beep", true), clientContext);
      case Gather.NAME -> new Gather(callId, prompts(json, "prompts", 0), Fields.integer(json, "maxDigits", 1),
          Fields.string(json, "terminator"), Fields.number(json, "interDigitTimeoutMs", 3_000),
          Fields.number(json, "timeoutMs", 10_000), Fields.bool(json, "bargeIn", true), clientContext);
      case Cancel.NAME -> new Cancel(callId);
      default -> new Status(callId);
    };
  }

  private static List<PromptRef> prompts(JsonObject json, String field, int min) {
    Object v = json.getValue(field);
    if (v == null && min == 0) {
      return List.of();
    }
    if (!(v instanceof JsonArray list) || list.size() < min || list.size() > MAX_PROMPTS) {
      throw Fields.bad("'" + field + "' must be an array of " + Math.max(1, min) + "-" + MAX_PROMPTS
          + " prompts (ids, names, {\"text\"} or {\"uri\"}); got " + Fields.describe(v) + ".");
    }
    return Fields.list(list, PromptRef::fromJson);
  }

  private static List<PromptRef> checkPrompts(List<PromptRef> prompts, int min) {
    Objects.requireNonNull(prompts, "prompts");
    if (prompts.size() < min || prompts.size() > MAX_PROMPTS) {
      throw Fields.bad("A command plays " + min + "-" + MAX_PROMPTS + " prompts; got " + prompts.size() + ".");
    }
    return List.copyOf(prompts);
  }

  private static String checkCallId(String callId) {
    if (callId == null || callId.isBlank()) {
      throw Fields.bad("A media command on a call needs the call's id.");
    }
    return callId;
  }

  private static JsonObject onCall(OnCall command) {
    return new JsonObject().put("command", command.name()).put("callId", command.callId());
  }

  private static JsonArray toJson(List<PromptRef> prompts) {
    return new JsonArray(prompts.stream().map(PromptRef::toJson).toList());
  }

  /**
   * Plays {@code prompts} (1-20) in order. Outcome: {@link MediaEvent.PlayCompleted}.
   *
   * @param clientContext the caller's own reference, echoed in the event; may be {@code null}
   */
  record Play(String callId, List<PromptRef> prompts, String clientContext) implements OnCall {
    static final String NAME = "play";

    public Play {
      checkCallId(callId);
      prompts = checkPrompts(prompts, 1);
    }

    /** Plays {@code prompts} on {@code callId}. */
    public static Play of(String callId, PromptRef... prompts) {
      return new Play(callId, List.of(prompts), null);
    }

    public Play withPrompts(List<PromptRef> prompts) {
      return new Play(callId, prompts, clientContext);
    }

    public Play withClientContext(String clientContext) {
      return new Play(callId, prompts, clientContext);
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public JsonObject toJson() {
      return Fields.putIfPresent(onCall(this).put("prompts", MediaCommand.toJson(prompts)), "clientContext",
          clientContext);
    }
  }

  /**
   * Records the caller. The recording is downloaded at once into {@code data.dir/recordings/<callId>/<operationId>.wav},
   * retried on failure. Outcome: {@link MediaEvent.RecordCompleted}.
   *
   * @param prompt played before recording, or {@code null}
   * @param maxDurationSeconds 1-120 (default 60)
   * @param initialSilenceSeconds 1-120 (default 5): silence allowed before the caller speaks
   * @param maxSilenceSeconds 1-120 (default 5): silence that ends the recording
   * @param stopTones keys that end the recording ({@code "#"}; Graph's names such as {@code "pound"} are read as keys)
   * @param beep whether a beep is played before recording (default {@code true})
   * @param clientContext the caller's own reference, echoed in the event; may be {@code null}
   */
  record Record(String callId, PromptRef prompt, int maxDurationSeconds, int initialSilenceSeconds,
      int maxSilenceSeconds, List<String> stopTones, boolean beep, String clientContext) implements OnCall {
    static final String NAME = "record";

    public Record {
      checkCallId(callId);
      seconds("maxDurationSeconds", maxDurationSeconds);
      seconds("initialSilenceSeconds", initialSilenceSeconds);
      seconds("maxSilenceSeconds", maxSilenceSeconds);
      stopTones = Objects.requireNonNull(stopTones, "stopTones").stream().map(t -> Keys.check("stopTones", t)).toList();
    }

    private static void seconds(String field, int value) {
      if (value < 1 || value > 120) {
        throw Fields.bad("'" + field + "' must be a number of seconds from 1 to 120; got " + value + ".");
      }
    }

    /** Records on {@code callId} with the defaults: no prompt, 60 s at most, 5 s of silence, no stop tone, a beep. */
    public static Record of(String callId) {
      return new Record(callId, null, 60, 5, 5, List.of(), true, null);
    }

    public Record withPrompt(PromptRef prompt) {
      return new Record(callId, prompt, maxDurationSeconds, initialSilenceSeconds, maxSilenceSeconds, stopTones, beep,
          clientContext);
    }

    public Record withLimits(int maxDurationSeconds, int initialSilenceSeconds, int maxSilenceSeconds) {
      return new Record(callId, prompt, maxDurationSeconds, initialSilenceSeconds, maxSilenceSeconds, stopTones, beep,
          clientContext);
    }

    public Record withStopTones(List<String> stopTones) {
      return new Record(callId, prompt, maxDurationSeconds, initialSilenceSeconds, maxSilenceSeconds, stopTones, beep,
          clientContext);
    }

    public Record withBeep(boolean beep) {
      return new Record(callId, prompt, maxDurationSeconds, initialSilenceSeconds, maxSilenceSeconds, stopTones, beep,
          clientContext);
    }

    public Record withClientContext(String clientContext) {
      return new Record(callId, prompt, maxDurationSeconds, initialSilenceSeconds, maxSilenceSeconds, stopTones, beep,
          clientContext);
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = onCall(this).put("maxDurationSeconds", maxDurationSeconds)
          .put("initialSilenceSeconds", initialSilenceSeconds).put("maxSilenceSeconds", maxSilenceSeconds)
          .put("stopTones", new JsonArray(stopTones)).put("beep", beep);
      Fields.putIfPresent(json, "prompt", prompt == null ? null : prompt.toJson());
      return Fields.putIfPresent(json, "clientContext", clientContext);
    }
  }

  /**
   * Plays {@code prompts} (none, or 1-20) and collects keys. Outcome: {@link MediaEvent.GatherCompleted}.
   *
   * @param maxDigits 1-64 (default 1): the gather ends when this many keys were pressed
   * @param terminator a key that ends the gather and is not part of the digits, or {@code null}
   * @param interDigitTimeoutMs the most time between two keys (default 3000)
   * @param timeoutMs the most time for the whole gather, from the end of the prompts (default 10000)
   * @param bargeIn whether the first key cuts the prompts short (default {@code true})
   * @param clientContext the caller's own reference, echoed in the event; may be {@code null}
   */
  record Gather(String callId, List<PromptRef> prompts, int maxDigits, String terminator, long interDigitTimeoutMs,
      long timeoutMs, boolean bargeIn, String clientContext) implements OnCall {
    static final String NAME = "gather";

    public Gather {
      checkCallId(callId);
      prompts = checkPrompts(prompts, 0);
      Fields.range("maxDigits", maxDigits, 1, MAX_DIGITS);
      terminator = terminator == null ? null : Keys.check("terminator", terminator);
      if (interDigitTimeoutMs < 1 || timeoutMs < 1) {
        throw Fields.bad("'interDigitTimeoutMs' and 'timeoutMs' must be positive numbers of milliseconds; got "
            + interDigitTimeoutMs + " and " + timeoutMs + ".");
      }
    }

    /** Gathers one key on {@code callId}, with no prompt and the default timeouts. */
    public static Gather of(String callId) {
      return new Gather(callId, List.of(), 1, null, 3_000, 10_000, true, null);
    }

    public Gather withPrompts(List<PromptRef> prompts) {
      return new Gather(callId, prompts, maxDigits, terminator, interDigitTimeoutMs, timeoutMs, bargeIn, clientContext);
    }

    public Gather withMaxDigits(int maxDigits) {
      return new Gather(callId, prompts, maxDigits, terminator, interDigitTimeoutMs, timeoutMs, bargeIn, clientContext);
    }

    public Gather withTerminator(String terminator) {
      return new Gather(callId, prompts, maxDigits, terminator, interDigitTimeoutMs, timeoutMs, bargeIn, clientContext);
    }

    public Gather withTimeouts(long interDigitTimeoutMs, long timeoutMs) {
      return new Gather(callId, prompts, maxDigits, terminator, interDigitTimeoutMs, timeoutMs, bargeIn, clientContext);
    }

    public Gather withBargeIn(boolean bargeIn) {
      return new Gather(callId, prompts, maxDigits, terminator, interDigitTimeoutMs, timeoutMs, bargeIn, clientContext);
    }

    public Gather withClientContext(String clientContext) {
      return new Gather(callId, prompts, maxDigits, terminator, interDigitTimeoutMs, timeoutMs, bargeIn, clientContext);
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = onCall(this).put("maxDigits", maxDigits).put("interDigitTimeoutMs", interDigitTimeoutMs)
          .put("timeoutMs", timeoutMs).put("bargeIn", bargeIn);
      if (!prompts.isEmpty()) {
        json.put("prompts", MediaCommand.toJson(prompts));
      }
      Fields.putIfPresent(json, "terminator", terminator);
      return Fields.putIfPresent(json, "clientContext", clientContext);
    }
  }

  /**
   * Cancels the call's running and queued plays and recordings (Graph's cancelMediaProcessing; each then ends with
   * status {@code cancelled}) and its gather. Reply: {@link Cancelled}.
   */
  record Cancel(String callId) implements OnCall {
    static final String NAME = "cancel";

    public Cancel {
      checkCallId(callId);
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public JsonObject toJson() {
      return onCall(this);
    }
  }

  /** The call's media operations (running and finished) and its gather. Reply: {@link MediaStatus}. */
  record Status(String callId) implements OnCall {
    static final String NAME = "status";

    public Status {
      checkCallId(callId);
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public JsonObject toJson() {
      return onCall(this);
    }
  }

  /**
   * Resolves prompts (1-20) into the files Graph downloads, e.g. to have Graph fetch them when the call is answered.
   * Reply: {@link ResolvedPrompts}.
   */
  record ResolvePrompts(List<PromptRef> prompts) implements MediaCommand {
    static final String NAME = "resolvePrompts";

    public ResolvePrompts {
      prompts = checkPrompts(prompts, 1);
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("command", NAME).put("prompts", MediaCommand.toJson(prompts));
    }
  }
}
