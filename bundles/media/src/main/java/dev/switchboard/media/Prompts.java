package dev.switchboard.media;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.calls.MediaInfo;
import dev.switchboard.api.media.PromptRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The asynchronous face of the prompt store: uploads, text prompts and the resolution of prompt references into
 * Graph's {@code mediaInfo}. Blocking work (conversion, files, espeak-ng) runs on worker threads; futures complete
 * on the caller's context.
 */
final class Prompts {

  private final Vertx vertx;
  private final PromptStore store;
  private final Speech speech;
  private final String publicUrl;
  private final long maxBytes;

  Prompts(Vertx vertx, PromptStore store, Speech speech, String publicUrl, long maxBytes) {
    this.vertx = vertx;
    this.store = store;
    this.speech = speech;
    this.publicUrl = publicUrl;
    this.maxBytes = maxBytes;
  }

  PromptStore store() {
    return store;
  }

  Speech speech() {
    return speech;
  }

  long maxBytes() {
    return maxBytes;
  }

  /** The absolute URL Graph downloads a prompt from. */
  String uri(String id) {
    return publicUrl + "/media/prompts/" + id + ".wav";
  }

  JsonObject describe(JsonObject meta) {
    return meta.put("uri", uri(meta.getString("id"))).put("resourceId", meta.getString("id"));
  }

  /** Converts and stores an uploaded file. */
  Future<JsonObject> upload(byte[] file, String name) {
    if (file.length > maxBytes) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.PAYLOAD_TOO_LARGE, "promptTooLarge",
          "The upload is " + file.length + " bytes; prompts may be at most " + maxBytes
              + " bytes (plugins.media.maxPromptBytes)."));
    }
    return vertx.executeBlocking(() -> describe(store.store(file, name, new JsonObject().put("source", "upload"))),
        false);
  }

  /** A text prompt: synthesised once per text and voice, then served from the store. */
  Future<JsonObject> speak(String text, String voice, String name) {
    String v = voice == null ? "en" : voice;
    try {
      Speech.check(text, v);
      PromptStore.checkName(name);
    } catch (SwitchboardException e) {
      return Future.failedFuture(e);
    }
    String key = PromptConverter.contentId(v + "\n" + text);
    JsonObject cached = store.findBy("speechKey", key);
    if (cached != null) {
      return Future.succeededFuture(describe(cached.put("created", false)));
    }
    return vertx.executeBlocking(() -> describe(store.store(speech.synthesize(text, v), name, new JsonObject()
        .put("source", "speech").put("text", text).put("voice", v).put("speechKey", key))), false);
  }

  /** Resolves {@code prompts} into Graph {@code mediaPrompt} objects, in order. */
  Future<JsonArray> resolve(List<PromptRef> prompts) {
    Future<JsonArray> out = Future.succeededFuture(new JsonArray());
    for (PromptRef ref : prompts) {
      out = out.compose(acc -> resolveOne(ref).map(acc::add));
    }
    return out;
  }

  /** Resolves {@code prompts} into the files Graph downloads, in order. */
  Future<List<MediaInfo>> files(List<PromptRef> prompts) {
    return resolve(prompts).map(list -> list.stream().map(p -> ((JsonObject) p).getJsonObject("mediaInfo"))
        .map(info -> new MediaInfo(info.getString("uri"), info.getString("resourceId"))).toList());
  }

  private Future<JsonObject> resolveOne(PromptRef ref) {
    if (ref instanceof PromptRef.Text text) {
      return speak(text.text(), text.voice(), null).map(p -> mediaPrompt(p.getString("uri"), p.getString("id")));
    }
    if (ref instanceof PromptRef.Hosted hosted) {
      return Future.succeededFuture(mediaPrompt(hosted.uri(), hosted.resourceId()));
    }
    String idOrName = ((PromptRef.Stored) ref).idOrName();
    JsonObject meta = store.find(idOrName);
    if (meta == null) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.NOT_FOUND, "promptNotFound",
          "No prompt has the id or name '" + idOrName + "'; upload it to POST /api/v1/media/prompts first."));
    }
    return Future.succeededFuture(mediaPrompt(uri(meta.getString("id")), meta.getString("id")));
  }

  static JsonObject mediaPrompt(String uri, String resourceId) {
    JsonObject info = new JsonObject().put("@odata.type", "#microsoft.graph.mediaInfo").put("uri", uri);
    if (resourceId != null) {
      info.put("resourceId", resourceId);
    }
    return new JsonObject().put("@odata.type", "#microsoft.graph.mediaPrompt").put("mediaInfo", info);
  }
}
