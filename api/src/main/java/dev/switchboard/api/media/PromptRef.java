package dev.switchboard.api.media;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * What to play, in a media command: a prompt of the media bundle's store ({@link Stored}), text the media bundle
 * speaks with espeak-ng ({@link Text}), or a WAV file hosted elsewhere ({@link Hosted}). Graph plays only mono 16-bit
 * 16 kHz PCM WAV: stored and text prompts are converted to it by the media bundle, a hosted file must already be in it.
 */
public sealed interface PromptRef {

  /** A prompt of the store, by id or by name. */
  static PromptRef stored(String idOrName) {
    return new Stored(idOrName);
  }

  /** Text in the default voice ({@code en}). */
  static PromptRef text(String text) {
    return new Text(text, null);
  }

  /** A WAV file at {@code uri}, with no cache key. */
  static PromptRef hosted(String uri) {
    return new Hosted(uri, null);
  }

  /** The JSON form: a string for {@link Stored}, an object otherwise. */
  Object toJson();

  /**
   * Reads a prompt as the media commands accept it: a string (an id or a name), {@code {"id"}},
   * {@code {"text", "voice"}} or {@code {"uri", "resourceId"}}.
   *
   * @throws dev.switchboard.api.SwitchboardException {@code 400} when it is none of these
   */
  static PromptRef fromJson(Object json) {
    if (json instanceof String s) {
      return new Stored(s);
    }
    if (json instanceof JsonObject o) {
      if (o.getValue("text") != null) {
        return new Text(Fields.string(o, "text"), Fields.string(o, "voice"));
      }
      if (o.getValue("uri") != null) {
        return new Hosted(Fields.string(o, "uri"), Fields.string(o, "resourceId"));
      }
      if (o.getValue("id") != null) {
        return new Stored(Fields.string(o, "id"));
      }
    }
    throw Fields.bad("A prompt is an id or name, {\"id\"}, {\"text\", \"voice\"} or {\"uri\", \"resourceId\"}; got "
        + Fields.describe(json) + ".");
  }

  /** A prompt of the media bundle's store (uploaded, dropped into {@code data/prompts}, or spoken before). */
  record Stored(String idOrName) implements PromptRef {
    public Stored {
      if (idOrName == null || idOrName.isBlank()) {
        throw Fields.bad("A stored prompt needs its id or name.");
      }
    }

    @Override
    public Object toJson() {
      return idOrName;
    }
  }

  /**
   * Text spoken by the media bundle with espeak-ng, synthesised once per text and voice.
   *
   * @param voice an espeak-ng voice such as {@code en} or {@code fr}; {@code null} for {@code en}
   */
  record Text(String text, String voice) implements PromptRef {
    public Text {
      if (text == null || text.isBlank()) {
        throw Fields.bad("A text prompt needs 'text'.");
      }
    }

    @Override
    public Object toJson() {
      JsonObject json = new JsonObject().put("text", text);
      return voice == null ? json : json.put("voice", voice);
    }
  }

  /**
   * A WAV file Graph downloads from {@code uri}, played as given.
   *
   * @param resourceId Graph's cache key for the file, or {@code null}
   */
  record Hosted(String uri, String resourceId) implements PromptRef {
    public Hosted {
      Objects.requireNonNull(uri, "uri");
      if (!uri.startsWith("https://") && !uri.startsWith("http://")) {
        throw Fields.bad("A prompt 'uri' must be an absolute http(s) URL; got '" + uri + "'.");
      }
    }

    @Override
    public Object toJson() {
      JsonObject json = new JsonObject().put("uri", uri);
      return resourceId == null ? json : json.put("resourceId", resourceId);
    }
  }
}
