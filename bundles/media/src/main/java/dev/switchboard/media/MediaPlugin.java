package dev.switchboard.media;

import dev.switchboard.api.CallEvents;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.MediaCommands;
import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.util.List;

/**
 * The media plugin: prompt store and hosting, text prompts, and play/record/gather/cancel on calls.
 *
 * <p>Configuration ({@code plugins.media.*}): {@code publicUrl} (the base URL Graph downloads prompts from, default
 * the server's public URL), {@code maxPromptBytes} (default 50 MB; the platform's {@code http.maxBodyBytes}
 * limits uploads first), {@code speechCommand} (default {@code espeak-ng}), {@code dropScanIntervalMs} (default
 * 2000), {@code recordingDownloadAttempts} (default 5), {@code recordingDownloadBackoffMs} (default 1000, doubling),
 * {@code recordingsTlsCertificatePem} / {@code recordingsTlsCertificateFile} (the certificate to trust when
 * downloading recordings instead of the platform's Graph trust, inline or as a PEM file's path).
 */
public final class MediaPlugin implements Plugin {

  private static final List<String> FORWARDED = List.of(CallEvents.TONE_RECEIVED, CallEvents.OPERATION_COMPLETED,
      CallEvents.TERMINATED);

  private PluginContext context;
  private Prompts prompts;
  private CallMedia calls;
  private HttpClient http;

  @Override
  public Future<Void> start(PluginContext context) {
    this.context = context;
    JsonObject config = context.config();
    String publicUrl = config.getString("publicUrl", context.publicUrl()).replaceAll("/+$", "");
    if (!publicUrl.startsWith("http://") && !publicUrl.startsWith("https://")) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "badConfig",
          "plugins.media.publicUrl must be an absolute http(s) URL (the base Graph downloads prompts from); got '"
              + publicUrl + "'."));
    }
    // Recordings come from Graph's hosts: trust what the platform trusts toward Graph, unless told otherwise.
    HttpClientOptions options = new HttpClientOptions().setTrustOptions(context.trustOptions());
    String pem = config.getString("recordingsTlsCertificatePem");
    String pemFile = config.getString("recordingsTlsCertificateFile");
    if (pem != null || pemFile != null) {
      PemTrustOptions trust = new PemTrustOptions();
      if (pem != null) {
        trust.addCertValue(Buffer.buffer(pem));
      }
      if (pemFile != null) {
        trust.addCertPath(pemFile);
      }
      options.setTrustOptions(trust);
    }
    http = context.vertx().createHttpClient(options);
    PromptStore store = new PromptStore(context.dataDir().resolve("media").resolve("prompts"));
    DropFolder dropFolder = new DropFolder(context.dataDir().resolve("prompts"), store, context.logger());
    Recordings recordings = new Recordings(context, http, context.dataDir().resolve("recordings"),
        config.getInteger("recordingDownloadAttempts", 5), config.getLong("recordingDownloadBackoffMs", 1000L));
    String speechCommand = config.getString("speechCommand", "espeak-ng");
    return context.vertx().executeBlocking(() -> {
      store.load();
      dropFolder.scan();
      return Speech.detect(speechCommand);
    }, false).compose(speech -> {
      context.logger().log(System.Logger.Level.INFO, speech.available()
          ? "Text prompts: " + speech.version() : "Text prompts unavailable: '" + speechCommand + "' was not found");
      prompts = new Prompts(context.vertx(), store, speech, publicUrl, config.getLong("maxPromptBytes", 50L << 20));
      calls = new CallMedia(context, prompts, recordings);
      context.keyedConsumer(CallMedia.ADDRESS, calls::handle);
      context.<JsonObject>consumer(MediaCommands.ADDRESS, m -> {
        Future<JsonObject> reply;
        try {
          reply = command(m.body());
        } catch (RuntimeException e) {
          reply = Future.failedFuture(e);
        }
        reply.onSuccess(m::reply).onFailure(e -> m.reply(SwitchboardException.from(e).toReplyException()));
      });
      for (String address : FORWARDED) {
        context.<JsonObject>consumer(address, m -> forward(address, m.body()));
      }
      new MediaRoutes(context, prompts, recordings, dropFolder, this::command).register();
      long scan = config.getLong("dropScanIntervalMs", 2000L);
      context.setPeriodic(scan, t -> context.vertx().executeBlocking(dropFolder::scan, true)
          .onFailure(e -> context.logger().log(System.Logger.Level.WARNING, "Scanning {0} failed: {1}",
              dropFolder.folder(), e.getMessage())));
      return resume();
    });
  }

  /** Re-arms gather timers and restarts interrupted downloads of calls left by an earlier version. */
  private Future<Void> resume() {
    return context.state().keys().compose(keys -> {
      Future<Void> all = Future.succeededFuture();
      for (String key : keys) {
        if (!key.startsWith("call:")) {
          continue;
        }
        all = all.compose(v -> context.state().get(key).map(call -> {
          if (call != null) {
            calls.rearm(call);
            call.getJsonObject("operations", new JsonObject()).forEach(e -> {
              JsonObject op = (JsonObject) e.getValue();
              if ("downloading".equals(op.getString("status"))) {
                calls.startDownload(call.getString("callId"), op);
              }
            });
          }
          return null;
        }));
      }
      return all;
    });
  }

  /** Hands a calling event to the call's owner, for calls the media plugin works on. */
  private void forward(String address, JsonObject event) {
    String callId = event.getString("callId");
    if (callId == null) {
      return;
    }
    context.state().get(CallMedia.stateKey(callId)).onSuccess(call -> {
      if (call != null) {
        context.sendToKey(CallMedia.ADDRESS, callId, new JsonObject().put("event", address).put("data", event))
            .onFailure(e -> context.logger().log(System.Logger.Level.WARNING, "Call {0}: handling {1} failed: {2}",
                callId, address, e.getMessage()));
      }
    });
  }

  /** Runs a media command (see {@link MediaCommands}). */
  Future<JsonObject> command(JsonObject body) {
    String command = body.getString(MediaCommands.COMMAND);
    if (MediaCommands.RESOLVE_PROMPTS.equals(command)) {
      return prompts.resolve(body.getValue("prompts"), Prompts.MAX_PROMPTS).map(list -> {
        JsonArray media = new JsonArray();
        list.forEach(p -> media.add(((JsonObject) p).getJsonObject("mediaInfo").copy()));
        return new JsonObject().put("preFetchMedia", media);
      });
    }
    String callId = body.getString(MediaCommands.CALL_ID);
    if (callId == null || callId.isBlank()) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "Media command '" + command
          + "' needs '" + MediaCommands.CALL_ID + "'."));
    }
    return context.sendToKey(CallMedia.ADDRESS, callId, body).recover(e -> Future.failedFuture(
        SwitchboardException.from(e)));
  }

  @Override
  public Future<Void> stop() {
    return http == null ? Future.succeededFuture() : http.close();
  }
}
