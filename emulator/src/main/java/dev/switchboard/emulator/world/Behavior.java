package dev.switchboard.emulator.world;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How a simulated person (a directory user or a phone number) behaves in a call.
 *
 * <p>All durations are emulated milliseconds or seconds (see {@link EmulatedClock}).
 *
 * @param answer what the person does when called (by the bot, by an invite, a transfer or a redirect)
 * @param answerAfterMs how long the phone rings before they answer or decline
 * @param pressKeys key presses, each at a time counted from the moment the call is established
 * @param speakSeconds how long they speak when the bot records them (then they stay silent)
 * @param hangUpAfterMs when they hang up, counted from establishment; {@code null} = never
 */
public record Behavior(
    Answer answer, long answerAfterMs, List<KeyPress> pressKeys, double speakSeconds, Long hangUpAfterMs) {

  /** What a called person does. */
  public enum Answer {
    /** Picks up after {@code answerAfterMs}. */
    ACCEPT("accept"),
    /** Declines after {@code answerAfterMs}. */
    DECLINE("decline"),
    /** Lets it ring until the caller gives up. */
    NO_ANSWER("noAnswer");

    private final String json;

    Answer(String json) {
      this.json = json;
    }

    /** The JSON spelling. */
    public String json() {
      return json;
    }

    static Answer parse(String s) {
      for (Answer a : values()) {
        if (a.json.equalsIgnoreCase(s)) {
          return a;
        }
      }
      throw new IllegalArgumentException("behavior.answer must be one of accept, decline, noAnswer; got '" + s + "'");
    }
  }

  /**
   * Keys pressed at one moment.
   *
   * @param atMs emulated milliseconds after the call is established
   * @param tones Graph tone names, pressed one after another
   */
  public record KeyPress(long atMs, List<String> tones) {
    public KeyPress {
      tones = List.copyOf(tones);
    }

    JsonObject toJson() {
      return new JsonObject().put("atMs", atMs).put("tones", new JsonArray(new ArrayList<>(tones)));
    }
  }

  /** A person who answers after one emulated second, speaks three seconds when recorded, never presses keys. */
  public static final Behavior DEFAULT = new Behavior(Answer.ACCEPT, 1000, List.of(), 3.0, null);

  private static final Set<String> FIELDS =
      Set.of("answer", "answerAfterMs", "pressKeys", "speakSeconds", "hangUpAfterMs");

  public Behavior {
    pressKeys = List.copyOf(pressKeys);
    if (answerAfterMs < 0) {
      throw new IllegalArgumentException("behavior.answerAfterMs must be >= 0");
    }
    if (speakSeconds < 0) {
      throw new IllegalArgumentException("behavior.speakSeconds must be >= 0");
    }
    if (hangUpAfterMs != null && hangUpAfterMs < 0) {
      throw new IllegalArgumentException("behavior.hangUpAfterMs must be >= 0");
    }
  }

  /**
   * Reads a behavior, taking every field that {@code json} does not set from {@code base}.
   *
   * @throws IllegalArgumentException naming the offending field
   */
  public static Behavior fromJson(JsonObject json, Behavior base) {
    if (json == null) {
      return base;
    }
    for (String name : json.fieldNames()) {
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException("unknown field behavior." + name + "; expected one of " + FIELDS);
      }
    }
    try {
      Answer answer = json.containsKey("answer") ? Answer.parse(json.getString("answer")) : base.answer;
      long answerAfter = json.containsKey("answerAfterMs") ? json.getLong("answerAfterMs") : base.answerAfterMs;
      double speak = json.containsKey("speakSeconds") ? json.getDouble("speakSeconds") : base.speakSeconds;
      Long hangUp = json.containsKey("hangUpAfterMs") ? json.getLong("hangUpAfterMs") : base.hangUpAfterMs;
      List<KeyPress> keys = base.pressKeys;
      if (json.containsKey("pressKeys")) {
        keys = new ArrayList<>();
        for (Object o : json.getJsonArray("pressKeys")) {
          if (!(o instanceof JsonObject k)) {
            throw new IllegalArgumentException("behavior.pressKeys entries must be objects like {\"atMs\": 2000, \"tones\": \"1#\"}");
          }
          Long at = k.getLong("atMs");
          if (at == null || at < 0) {
            throw new IllegalArgumentException("behavior.pressKeys[].atMs is required and must be >= 0");
          }
          keys.add(new KeyPress(at, Tones.parse(k.getValue("tones"))));
        }
      }
      return new Behavior(answer, answerAfter, keys, speak, hangUp);
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("a behavior field has the wrong type: " + e.getMessage()
          + "; answer is a string, answerAfterMs/hangUpAfterMs/speakSeconds are numbers, pressKeys an array", e);
    }
  }

  /** The JSON form accepted by {@link #fromJson}. */
  public JsonObject toJson() {
    JsonArray keys = new JsonArray();
    pressKeys.forEach(k -> keys.add(k.toJson()));
    return new JsonObject()
        .put("answer", answer.json())
        .put("answerAfterMs", answerAfterMs)
        .put("pressKeys", keys)
        .put("speakSeconds", speakSeconds)
        .put("hangUpAfterMs", hangUpAfterMs);
  }
}
