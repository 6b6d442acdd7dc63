package dev.switchboard.emulator.media;

import dev.switchboard.emulator.http.OutboundClients;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads prompt files and checks them as Graph does: each {@code mediaInfo.uri} must serve a
 * WAV of {@link WavInfo#PROMPT_FORMAT}. A prompt with a {@code resourceId} is cached against that
 * id (as {@code preFetchMedia} and Graph's cache do); one without is downloaded every time.
 *
 * <p>Not thread-safe: used on the emulator's event-loop context only.
 */
public final class PromptLoader {

  private static final Logger LOG = LoggerFactory.getLogger(PromptLoader.class);
  private static final long TIMEOUT_MS = 10_000;
  private static final int CACHE_LIMIT = 500;

  private final OutboundClients clients;
  private final Map<String, Future<WavInfo>> cache = new HashMap<>();

  public PromptLoader(OutboundClients clients) {
    this.clients = clients;
  }

  /**
   * The prompt's format, downloaded or from the cache. Fails with a {@link MediaFailure} when the
   * file cannot be downloaded (8536) or is not in Graph's prompt format (8535).
   */
  public Future<WavInfo> load(String uri, String resourceId) {
    if (resourceId == null) {
      return download(uri);
    }
    Future<WavInfo> cached = cache.get(resourceId);
    if (cached != null && !cached.failed()) {
      return cached;
    }
    if (cache.size() >= CACHE_LIMIT) {
      cache.clear();
    }
    Future<WavInfo> f = download(uri);
    cache.put(resourceId, f);
    return f;
  }

  /** Forgets every cached prompt. */
  public void clear() {
    cache.clear();
  }

  private Future<WavInfo> download(String uri) {
    String bad = OutboundClients.checkUrl(uri);
    if (bad != null) {
      return Future.failedFuture(new MediaFailure(400, MediaFailure.DOWNLOAD_FAILED,
          "Action failed, the prompt could not be downloaded: " + bad + "."));
    }
    return clients.forUrl(uri).getAbs(uri).timeout(TIMEOUT_MS).send()
        .recover(e -> Future.failedFuture(new MediaFailure(400, MediaFailure.DOWNLOAD_FAILED,
            "Action failed, the prompt could not be downloaded from " + uri + ": " + e.getMessage() + ".")))
        .compose(resp -> {
          if (resp.statusCode() != 200) {
            return Future.failedFuture(new MediaFailure(400, MediaFailure.DOWNLOAD_FAILED,
                "Action failed, the prompt could not be downloaded from " + uri + ": HTTP " + resp.statusCode() + "."));
          }
          WavInfo info;
          try {
            info = WavInfo.parse(resp.bodyAsBuffer() == null ? io.vertx.core.buffer.Buffer.buffer() : resp.bodyAsBuffer());
          } catch (IllegalArgumentException e) {
            return Future.failedFuture(invalid(uri, e.getMessage()));
          }
          if (!info.isGraphPromptFormat()) {
            return Future.failedFuture(invalid(uri, "it is " + info.describe()));
          }
          LOG.debug("Prompt {} ok: {} ms", uri, info.durationMillis());
          return Future.succeededFuture(info);
        });
  }

  private static MediaFailure invalid(String uri, String why) {
    return new MediaFailure(400, MediaFailure.INVALID_FORMAT, "Action failed, the prompt file format is invalid: "
        + uri + " must be " + WavInfo.PROMPT_FORMAT + ", but " + why + ".");
  }
}
