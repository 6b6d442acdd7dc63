package dev.switchboard.ivr;

import dev.switchboard.api.media.PromptRef;

/**
 * What a node plays: text spoken by the media bundle ({@code say}), a prompt of the media bundle's store by id or
 * name ({@code prompt}), or a WAV file at a URL ({@code url}).
 */
record Prompt(Kind kind, String value, String voice) {

  enum Kind { SAY, PROMPT, URL }

  /** The prompt as the media bundle's commands take it. */
  PromptRef toMedia() {
    return switch (kind) {
      case SAY -> new PromptRef.Text(value, voice);
      case PROMPT -> PromptRef.stored(value);
      case URL -> PromptRef.hosted(value);
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
