package dev.switchboard.testkit;

import dev.switchboard.api.calls.CallEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The other side of one call: a person who dialled the bot through the emulator ({@link SwitchboardKit#dial}). Acts
 * on the call through the emulator's control API and waits for what the bot does, as the calling and media
 * bundles report it (the contracts' events) and as Graph saw it (the emulator's journal of the bot's requests).
 *
 * <p>Every {@code await} waits at most the kit's timeout; when what it waits for does not happen, it fails with an
 * {@link AssertionError} whose message holds the call's transcript: what the caller did and heard, what the bot asked
 * Graph for, and the events published about the call. Use a caller from the test's thread; it is not thread-safe.
 */
public final class Caller {

  private final SwitchboardKit kit;
  private final String id;
  private final String from;
  private final List<CallTranscript.Line> actions = new CopyOnWriteArrayList<>();
  private int promptsAwaited;

  Caller(SwitchboardKit kit, String id, String from) {
    this.kit = kit;
    this.id = id;
    this.from = from;
    act("dials the bot from " + from + " (call id " + id + ")");
  }

  /** The call's id (Graph's, the same in every contract event about it). */
  public String id() {
    return id;
  }

  /** Who called: the number or user id given to {@link SwitchboardKit#dial}. */
  public String from() {
    return from;
  }

  /** Waits until a bot answers the call ({@link CallEvent.Established}); the event. */
  public CallEvent.Established awaitAnswered() {
    return awaitEvent(CallEvent.Established.class, e -> true);
  }

  /**
   * Waits until the caller hears a prompt that {@link Prompt#matches matches} {@code textIdOrName} (a text prompt's
   * text, or a stored prompt's id or name), after the prompts already awaited: awaiting the same prompt twice waits
   * for it to be played twice. The prompt.
   */
  public Prompt awaitPrompt(String textIdOrName) {
    Objects.requireNonNull(textIdOrName, "textIdOrName");
    Prompt prompt = Await.until(kit.timeout(), "the caller hears " + textIdOrName, () -> {
      List<Prompt> heard = kit.transcripts().heard(id);
      for (int i = promptsAwaited; i < heard.size(); i++) {
        if (heard.get(i).matches(textIdOrName)) {
          promptsAwaited = i + 1;
          return heard.get(i);
        }
      }
      return null;
    }, this::transcript);
    act("hears " + prompt);
    return prompt;
  }

  /** Every prompt heard so far, in order. */
  public List<Prompt> heard() {
    try {
      return kit.transcripts().heard(id);
    } catch (Exception e) {
      throw new AssertionError("the emulator's journal could not be read: " + e.getMessage(), e);
    }
  }

  /**
   * Presses {@code keys} on the phone ({@code 0-9}, {@code *}, {@code #}, {@code A-D}), one tone every 200 emulated
   * ms. Press after {@link #awaitPrompt} of the prompt that asks for them: keys pressed before the bot listens are
   * lost, as on a real call.
   */
  public Caller press(String keys) {
    Objects.requireNonNull(keys, "keys");
    act("presses " + keys);
    kit.control("POST /emulator/calls/" + id + "/tones",
        c -> c.post("/emulator/calls/" + id + "/tones", new JsonObject().put("tones", keys)), this::transcript);
    return this;
  }

  /**
   * The caller says what the WAV file {@code wav} holds (16 kHz mono 16-bit PCM, the format Graph records) the next
   * time the bot records them: that recording is the file's audio, then the silence that ends it. Say it before the
   * bot starts recording (e.g. before pressing the key that leads to it): a recording under way is not changed.
   * Several {@code say}s are heard by successive recordings, in order; once they are used up, a recording hears the
   * caller's behavior again ({@link SwitchboardKit#dialSpeaking}).
   *
   * @throws AssertionError when the file cannot be read or the emulator refuses it (its format, with what it is)
   */
  public Caller say(Path wav) {
    Objects.requireNonNull(wav, "wav");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(wav);
    } catch (IOException e) {
      throw new AssertionError("the caller cannot say " + wav + ": " + e.getMessage(), e);
    }
    return say(bytes, "the audio of " + wav.getFileName());
  }

  /** As {@link #say(Path)}, the WAV file's bytes. */
  public Caller say(byte[] wav) {
    Objects.requireNonNull(wav, "wav");
    return say(wav, wav.length + " bytes of audio");
  }

  /**
   * The caller speaks for {@code speaking} (emulated; simulated voice, a tone) the next time the bot records them,
   * then stays silent; {@link Duration#ZERO}: they say nothing to it. Otherwise as {@link #say(Path)}.
   */
  public Caller say(Duration speaking) {
    Objects.requireNonNull(speaking, "speaking");
    act("will say " + seconds(speaking) + " s when recorded");
    String path = "/emulator/calls/" + id + "/speech";
    kit.control("POST " + path, c -> c.post(path, new JsonObject().put("seconds", speaking.toNanos() / 1e9)),
        this::transcript);
    return this;
  }

  private Caller say(byte[] wav, String what) {
    act("will say " + what + " when recorded");
    String path = "/emulator/calls/" + id + "/speech";
    kit.control("POST " + path, c -> c.postWav(path, Buffer.buffer(wav)), this::transcript);
    return this;
  }

  private static String seconds(Duration d) {
    return java.math.BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
  }

  /** Hangs up. */
  public Caller hangUp() {
    act("hangs up");
    kit.control("POST /emulator/calls/" + id + "/hangup",
        c -> c.post("/emulator/calls/" + id + "/hangup", new JsonObject()), this::transcript);
    return this;
  }

  /**
   * Waits until the call is transferred to the Teams user {@code userId} and the user accepts
   * ({@link CallEvent.TransferAccepted}); the event.
   */
  public CallEvent.TransferAccepted awaitTransferTo(String userId) {
    Objects.requireNonNull(userId, "userId");
    return awaitEvent(CallEvent.TransferAccepted.class, e -> e.transfer() != null && e.transfer().target() != null
        && e.transfer().target().encode().contains("\"" + userId + "\""));
  }

  /** Waits until the call ends ({@link CallEvent.Terminated}), whoever ended it; the event. */
  public CallEvent.Terminated awaitEnded() {
    return awaitEvent(CallEvent.Terminated.class, e -> true);
  }

  /** Waits for the first event of {@code type} about this call that {@code test} accepts; the event. */
  public <E> E awaitEvent(Class<E> type, Predicate<? super E> test) {
    Objects.requireNonNull(type, "type");
    return Await.until(kit.timeout(), "a " + type.getSimpleName() + " of call " + id + " that the test accepts",
        () -> kit.runtime().events.all().stream().filter(e -> id.equals(e.callId()) && type.isInstance(e.typed())
            && test.test(type.cast(e.typed()))).map(e -> type.cast(e.typed())).findFirst().orElse(null),
        this::transcript);
  }

  /** The emulator's view of the call ({@code GET /emulator/calls/{id}}): state, participants, chain id. */
  public JsonObject emulatorView() {
    return kit.control("GET /emulator/calls/" + id, c -> c.get("/emulator/calls/" + id), this::transcript);
  }

  /** The call's transcript so far (what a failed await prints). */
  public String transcript() {
    return kit.transcripts().of(id, actions);
  }

  private void act(String what) {
    actions.add(new CallTranscript.Line(Instant.now(), "caller", what));
  }

  /** Something the test did that concerns this call too. */
  void note(String what) {
    actions.add(new CallTranscript.Line(Instant.now(), "test", what));
  }

  @Override
  public String toString() {
    return "caller " + from + " on call " + id;
  }
}
