package dev.switchboard.api.media;

import dev.switchboard.api.calls.MediaInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The reply to {@link MediaCommand.ResolvePrompts}: the files, in the order of the prompts, ready for the
 * {@code preFetchMedia} of a call's answer or creation ({@link dev.switchboard.api.calls.CallCommand.Answer}).
 */
public record ResolvedPrompts(List<MediaInfo> preFetchMedia) {

  public ResolvedPrompts {
    preFetchMedia = List.copyOf(preFetchMedia);
  }

  public JsonObject toJson() {
    return new JsonObject().put("preFetchMedia", new JsonArray(preFetchMedia.stream().map(MediaInfo::toJson).toList()));
  }

  /** @throws dev.switchboard.api.SwitchboardException {@code 400} when {@code json} is not this reply */
  public static ResolvedPrompts fromJson(JsonObject json) {
    return new ResolvedPrompts(Fields.objects(json, "preFetchMedia", MediaInfo::fromJson));
  }
}
