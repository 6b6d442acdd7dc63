package dev.switchboard.testkit;

/**
 * A prompt the caller heard: one of the prompts of a {@code playPrompt} or {@code recordResponse} request the bot sent
 * Graph (the emulator) for the call, described by the media bundle's store when it hosts the file.
 *
 * @param id the prompt's id in the media bundle's store (its Graph {@code resourceId}), or the request's
 *     {@code resourceId} for a file hosted elsewhere
 * @param name its name in the store, or {@code null}
 * @param text what it says, for a text prompt (spoken by espeak-ng), or {@code null}
 * @param uri where Graph fetched it
 */
public record Prompt(String id, String name, String text, String uri) {

  /** Whether {@code textIdOrName} is this prompt's text, id, name or URI. */
  public boolean matches(String textIdOrName) {
    return textIdOrName.equals(text) || textIdOrName.equals(id) || textIdOrName.equals(name)
        || textIdOrName.equals(uri);
  }

  /** How the transcript shows it: the text in quotes, else the name or id. */
  @Override
  public String toString() {
    return text != null ? "\"" + text + "\"" : name != null ? "prompt '" + name + "'" : "prompt " + id;
  }
}
