package dev.switchboard.media;

import dev.switchboard.api.ApiRequest;
import dev.switchboard.api.ApiResponse;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.media.MediaCommand;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/** The media plugin's HTTP face: prompts and call media under {@code /api/v1}, prompt files for Graph outside it. */
final class MediaRoutes {

  /** The API scopes of these routes: reading, and changing or placing. */
  private static final String READ = "media:read";
  private static final String WRITE = "media:write";

  private final PluginContext context;
  private final Prompts prompts;
  private final Recordings recordings;
  private final DropFolder dropFolder;
  private final Function<JsonObject, Future<JsonObject>> commands;

  MediaRoutes(PluginContext context, Prompts prompts, Recordings recordings, DropFolder dropFolder,
      Function<JsonObject, Future<JsonObject>> commands) {
    this.context = context;
    this.prompts = prompts;
    this.recordings = recordings;
    this.dropFolder = dropFolder;
    this.commands = commands;
  }

  void register() {
    context.route(HttpMethod.POST, "/media/prompts", WRITE, this::upload);
    context.route(HttpMethod.GET, "/media/prompts", READ, r -> Future.succeededFuture(ApiResponse.ok(new JsonObject()
        .put("value", prompts.store().list().stream().map(p -> prompts.describe((JsonObject) p)).toList())
        .put("dropFolder", dropFolder.folder().toString()).put("rejected", new JsonObject(
            new java.util.HashMap<>(dropFolder.rejected()))))));
    context.route(HttpMethod.GET, "/media/prompts/:id", READ, r -> {
      JsonObject meta = prompts.store().find(r.pathParam("id"));
      return meta == null ? Future.failedFuture(notFound(r.pathParam("id")))
          : Future.succeededFuture(ApiResponse.ok(prompts.describe(meta)));
    });
    context.route(HttpMethod.DELETE, "/media/prompts/:id", WRITE, r -> context.vertx()
        .executeBlocking(() -> prompts.store().delete(r.pathParam("id")), false)
        .compose(deleted -> deleted ? Future.succeededFuture(ApiResponse.noContent())
            : Future.failedFuture(notFound(r.pathParam("id")))));
    context.route(HttpMethod.GET, "/media/status", READ, r -> Future.succeededFuture(ApiResponse.ok(new JsonObject()
        .put("speech", new JsonObject().put("available", prompts.speech().available())
            .put("command", prompts.speech().command()).put("version", prompts.speech().version()))
        .put("publicUrl", prompts.uri("").replace("/media/prompts/.wav", ""))
        .put("prompts", prompts.store().list().size()).put("maxPromptBytes", prompts.maxBytes()))));
    context.publicRoute(HttpMethod.GET, "/media/prompts/:file", this::promptFile);

    // The body is the command's JSON without "command" and "callId", which the path gives.
    for (String action : new String[] {"play", "record", "gather", "cancel"}) {
      context.route(HttpMethod.POST, "/calls/:id/" + action, WRITE, r -> {
        JsonObject body = r.body().length() == 0 ? new JsonObject() : r.bodyAsJson();
        return commands.apply(body.put("command", action).put("callId", r.pathParam("id")))
            .map(reply -> ApiResponse.json(action.equals("cancel") ? 200 : 202, reply));
      });
    }
    context.route(HttpMethod.GET, "/calls/:id/media", READ, r -> commands.apply(new MediaCommand.Status(r.pathParam("id"))
        .toJson()).map(ApiResponse::ok));
    context.route(HttpMethod.GET, "/calls/:id/recordings", READ, r -> recordings.list(r.pathParam("id"))
        .map(list -> ApiResponse.ok(new JsonObject().put("value", list))));
    context.route(HttpMethod.GET, "/calls/:id/recordings/:rid", READ, r -> recordings.audio(r.pathParam("id"),
        r.pathParam("rid")).compose(audio -> audio == null
            ? Future.failedFuture(new SwitchboardException(ErrorCode.NOT_FOUND, "recordingNotFound", "Call "
                + r.pathParam("id") + " has no recording " + r.pathParam("rid") + "."))
            : Future.succeededFuture(wav(audio, "\"" + r.pathParam("rid") + "\"", "private, max-age=0"))));
    context.route(HttpMethod.DELETE, "/calls/:id/recordings/:rid", WRITE, r -> recordings.delete(r.pathParam("id"),
        r.pathParam("rid")).compose(deleted -> deleted ? Future.succeededFuture(ApiResponse.noContent())
            : Future.failedFuture(new SwitchboardException(ErrorCode.NOT_FOUND, "recordingNotFound", "Call "
                + r.pathParam("id") + " has no recording " + r.pathParam("rid") + "."))));
  }

  private static SwitchboardException notFound(String idOrName) {
    return new SwitchboardException(ErrorCode.NOT_FOUND, "promptNotFound", "No prompt has the id or name '"
        + idOrName + "'.");
  }

  private Future<ApiResponse> upload(ApiRequest r) {
    String type = r.headers().get("Content-Type");
    Future<JsonObject> stored;
    if (type != null && type.toLowerCase().startsWith("application/json")) {
      JsonObject body = r.bodyAsJson();
      if (body.getString("text") == null) {
        return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "A JSON upload is a text prompt: "
            + "{\"text\": \"...\", \"voice\": \"en\", \"name\": \"...\"}; to upload audio, send the WAV file as the "
            + "body (Content-Type audio/wav)."));
      }
      stored = prompts.speak(body.getString("text"), body.getString("voice"), body.getString("name"));
    } else {
      stored = prompts.upload(r.body().getBytes(), r.queryParam("name"));
    }
    return stored.map(meta -> {
      boolean created = (Boolean) meta.remove("created");
      return ApiResponse.json(created ? 201 : 200, meta).withHeader("Location", "/api/v1/media/prompts/"
          + meta.getString("id"));
    });
  }

  /** {@code GET /media/prompts/<id>.wav}: content-addressed, so cacheable for good. */
  private Future<ApiResponse> promptFile(ApiRequest r) {
    String file = r.pathParam("file");
    String id = file.endsWith(".wav") ? file.substring(0, file.length() - 4) : file;
    String etag = "\"" + id + "\"";
    if (!PromptStore.ID.matcher(id).matches() || prompts.store().find(id) == null) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.NOT_FOUND, "promptNotFound", "No prompt file "
          + file + "."));
    }
    if (etag.equals(r.headers().get("If-None-Match"))) {
      return Future.succeededFuture(new ApiResponse(304, java.util.Map.of("ETag", etag,
          "Cache-Control", "public, max-age=31536000, immutable"), Buffer.buffer()));
    }
    return context.vertx().executeBlocking(() -> prompts.store().audio(id), false).compose(audio -> audio == null
        ? Future.failedFuture(notFound(id))
        : Future.succeededFuture(wav(audio, etag, "public, max-age=31536000, immutable")));
  }

  private static ApiResponse wav(byte[] audio, String etag, String cacheControl) {
    return ApiResponse.of(200, "audio/wav", Buffer.buffer(audio)).withHeader("ETag", etag)
        .withHeader("Cache-Control", cacheControl).withHeader("Content-Length", Integer.toString(audio.length));
  }
}
