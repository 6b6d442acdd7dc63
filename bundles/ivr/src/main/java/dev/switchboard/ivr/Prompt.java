package dev.switchboard.ivr;

import io.vertx.core.json.JsonObject;

/**
 * What a node plays: text spoken by the media bundle ({@code say}), a prompt of the media bundle's store by id or
 * name ({@code prompt}), or a WAV file at a URL ({@code url}).
 */
record Prompt(Kind kind, String value, String voice) {

  enum Kind { SAY, PROMPT, URL }

  /** The prompt in the form {@code MediaCommands} take. */
  Object toMedia() {
    return switch (kind) {
      case SAY -> voice == null ? new JsonObject().put("text", value)
          : new JsonObject().put("text", value).put("voice", voice);
      case PROMPT -> value;
      case URL -> new JsonObject().put("uri", value);
    };
  }

  /** How a transcript shows it. */
  String describe() {
    return switch (kind) {
      case SAY -> "\"" + value + "\"";
      case PROMPT -> "prompt '" + value + "'";
      case URL -> value;
    };
  }
}
