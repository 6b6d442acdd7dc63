package dev.switchboard.media;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.calls.CallsClient;
import dev.switchboard.api.media.MediaCommand;
import dev.switchboard.api.media.OperationStatus;
import dev.switchboard.api.media.ResolvedPrompts;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;

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

  private PluginContext context;
  private Prompts prompts;
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
    long watchdogMs = config.getLong("watchdogQuietForMs", 120_000L);
    if (watchdogMs < 0) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "badConfig",
          "plugins.media.watchdogQuietForMs must be 0 (off) or a positive number of milliseconds; got " + watchdogMs
              + "."));
    }
    http = context.vertx().createHttpClient(recordingsClientOptions(config));
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
      CallStates states = new CallStates(context.state());
      GraphMedia graph = new GraphMedia(context, states);
      Outcomes outcomes = new Outcomes(context.version());
      CallsClient calls = CallsClient.of(context);
      PlaysAndRecordings playsAndRecordings = new PlaysAndRecordings(context, prompts, graph, recordings, outcomes);
      OperationWatchdog watchdog = new OperationWatchdog(context,
          java.time.Duration.ofMillis(watchdogMs));
      CallMedia media = new CallMedia(context, states, calls, new Gathering(context, prompts, graph, calls, outcomes),
          playsAndRecordings, watchdog);
      context.keyedConsumer(CallMedia.ADDRESS, media::handle);
      CallMedia.FOLLOWED.forEach(topic -> context.follow(topic, CallMedia.ADDRESS));
      context.serve(MediaCommand.ADDRESS, this::command);
      new MediaRoutes(context, prompts, recordings, dropFolder, this::command).register();
      long scan = config.getLong("dropScanIntervalMs", 2000L);
      context.setPeriodic(scan, t -> context.vertx().executeBlocking(dropFolder::scan, true)
          .onFailure(e -> context.logger().log(System.Logger.Level.WARNING, "Scanning {0} failed: {1}",
              dropFolder.folder(), e.getMessage())));
      return resumeDownloads(states, playsAndRecordings);
    });
  }

  /** Recordings come from Graph's hosts: trust what the platform trusts toward Graph, unless told otherwise. */
  private HttpClientOptions recordingsClientOptions(JsonObject config) {
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
    return options;
  }

  /**
   * Restarts the downloads an earlier version left unfinished (it was stopped, or the server restarted). Gather
   * timers need nothing: they are key timers, kept with the call's key.
   */
  private Future<Void> resumeDownloads(CallStates states, PlaysAndRecordings playsAndRecordings) {
    return states.all().map(calls -> {
      calls.forEach(call -> call.withStatus(OperationStatus.DOWNLOADING)
          .forEach(op -> playsAndRecordings.startDownload(call.callId(), op)));
      return null;
    });
  }

  /**
   * Runs a media command (see {@link MediaCommand}): prompts are resolved here, commands on a call go to the call's
   * owner.
   */
  Future<JsonObject> command(JsonObject body) {
    return Future.succeededFuture(body).map(MediaCommand::fromJson).compose(command -> {
      if (command instanceof MediaCommand.ResolvePrompts resolve) {
        return prompts.files(resolve.prompts()).map(files -> new ResolvedPrompts(files).toJson());
      }
      MediaCommand.OnCall onCall = (MediaCommand.OnCall) command;
      return context.sendToKey(CallMedia.ADDRESS, onCall.callId(), command.toJson())
          .recover(e -> Future.failedFuture(SwitchboardException.from(e)));
    });
  }

  @Override
  public Future<Void> stop() {
    return http == null ? Future.succeededFuture() : http.close();
  }
}
