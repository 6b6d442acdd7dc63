package dev.switchboard.media;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.media.Recording;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Recordings: downloaded from Graph with their access token as soon as a record operation completes (retried with
 * doubling back-off, because Graph discards them shortly after the call ends), kept under
 * {@code <data.dir>/recordings/<callId>/<operationId>.wav} beside a {@code .json} description, listed, read and
 * deleted for REST. Download futures complete on the plugin's context; file access runs on worker threads.
 */
final class Recordings {

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]{1,100}");

  private final PluginContext context;
  private final HttpClient http;
  private final Path root;
  private final int attempts;
  private final long backoffMillis;

  Recordings(PluginContext context, HttpClient http, Path root, int attempts, long backoffMillis) {
    this.context = context;
    this.http = http;
    this.root = root;
    this.attempts = attempts;
    this.backoffMillis = backoffMillis;
  }

  static String segment(String value, String what) {
    if (value == null || !SEGMENT.matcher(value).matches()) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "Malformed " + what + ": '" + value + "'.");
    }
    return value;
  }

  /**
   * Downloads a recording and stores it, beside its description. Fails with the last attempt's error when every
   * attempt failed.
   */
  Future<Recording> download(String callId, String operationId, String location, String token) {
    Promise<Recording> done = Promise.promise();
    attempt(callId, operationId, location, token, 1, done);
    return done.future();
  }

  private void attempt(String callId, String operationId, String location, String token, int n,
      Promise<Recording> done) {
    fetch(location, token).compose(body -> context.vertx().executeBlocking(() -> save(callId, operationId, body, n),
        false)).onSuccess(done::complete).onFailure(e -> {
          if (n >= attempts) {
            done.fail(new SwitchboardException(ErrorCode.UPSTREAM, "recordingDownloadFailed", "Downloading the "
                + "recording failed " + n + " times; last: " + e.getMessage()));
            return;
          }
          long delay = backoffMillis << Math.min(n - 1, 10);
          context.logger().log(System.Logger.Level.INFO, "Recording {0} of call {1}: download attempt {2} failed "
              + "({3}); retrying in {4} ms", operationId, callId, n, e.getMessage(), delay);
          context.setTimer(delay, t -> attempt(callId, operationId, location, token, n + 1, done));
        });
  }

  private Future<Buffer> fetch(String location, String token) {
    URI uri;
    try {
      uri = URI.create(location);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IllegalArgumentException("recordingLocation is not a URL: " + location));
    }
    boolean loopback = "127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost())
        || "[::1]".equals(uri.getHost());
    if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
      // The access token is a secret: never send it in clear text off this machine.
      return Future.failedFuture(new IllegalArgumentException("refusing to send the recording token to " + location));
    }
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(location)
        .putHeader("Authorization", "Bearer " + token).setTimeout(30_000);
    return http.request(options).compose(request -> request.send()).compose(response -> {
      if (response.statusCode() != 200) {
        return response.body().transform(ar -> Future.failedFuture(new IllegalStateException("HTTP "
            + response.statusCode() + (ar.succeeded() ? " " + abbreviate(ar.result().toString()) : ""))));
      }
      return response.body();
    });
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  private Recording save(String callId, String operationId, Buffer body, int attemptsMade) throws IOException {
    Path folder = root.resolve(segment(callId, "call id"));
    Files.createDirectories(folder);
    byte[] bytes = body.getBytes();
    PromptStore.write(folder.resolve(operationId + ".wav"), bytes);
    Recording recording = new Recording(operationId, callId, durationMillis(bytes), bytes.length,
        "recordings/" + callId + "/" + operationId + ".wav", "/api/v1/calls/" + callId + "/recordings/" + operationId,
        Instant.now(), attemptsMade);
    PromptStore.write(folder.resolve(operationId + ".json"), recording.toJson().toBuffer().getBytes());
    return recording;
  }

  /** The duration of a PCM WAV from its header, or -1 when it is not one. */
  static long durationMillis(byte[] wav) {
    try {
      WavDecoder.Decoded d = WavDecoder.decode(wav);
      return d.durationMillis();
    } catch (SwitchboardException e) {
      return -1;
    }
  }

  Future<JsonArray> list(String callId) {
    return context.vertx().executeBlocking(() -> {
      Path folder = root.resolve(segment(callId, "call id"));
      JsonArray out = new JsonArray();
      if (!Files.isDirectory(folder)) {
        return out;
      }
      try (Stream<Path> files = Files.list(folder)) {
        for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".json"))
            .sorted(Comparator.comparing(Path::toString)).toList()) {
          out.add(new JsonObject(Files.readString(p)));
        }
      }
      return out;
    }, false);
  }

  /** The audio of a recording, or {@code null}. */
  Future<byte[]> audio(String callId, String id) {
    return context.vertx().executeBlocking(() -> {
      Path wav = root.resolve(segment(callId, "call id")).resolve(segment(id, "recording id") + ".wav");
      return Files.exists(wav) ? Files.readAllBytes(wav) : null;
    }, false);
  }

  Future<Boolean> delete(String callId, String id) {
    return context.vertx().executeBlocking(() -> {
      Path folder = root.resolve(segment(callId, "call id"));
      boolean existed = Files.deleteIfExists(folder.resolve(segment(id, "recording id") + ".wav"));
      Files.deleteIfExists(folder.resolve(id + ".json"));
      return existed;
    }, false);
  }

}
