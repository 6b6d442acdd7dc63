package dev.switchboard.platform.graph;

import dev.switchboard.api.GraphClient;
import dev.switchboard.api.GraphException;
import dev.switchboard.api.GraphResponse;
import dev.switchboard.platform.metrics.SwitchboardMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link GraphClient} of one tenant: tokens from its {@link TokenSource}, retries by a {@link RetryPolicy}. While
 * no token can be had because the authority is unavailable, a request waits (backoff by {@code tokenWaits}, within
 * the retry budget, not counted as attempts: nothing reached Graph) and then goes out as if nothing happened.
 */
final class DefaultGraphClient implements GraphClient {

  private static final Logger LOG = LoggerFactory.getLogger(DefaultGraphClient.class);

  private final Vertx vertx;
  private final WebClient web;
  private final TokenSource tokens;
  private final String baseUrl;
  private final RetryPolicy retries;
  private final RetryPolicy tokenWaits;
  private final Duration timeout;
  private final GraphMeters meters;

  DefaultGraphClient(Vertx vertx, WebClient web, TokenSource tokens, String baseUrl, RetryPolicy retries,
      RetryPolicy tokenWaits, Duration timeout) {
    this.vertx = vertx;
    this.web = web;
    this.tokens = tokens;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.retries = retries;
    this.tokenWaits = tokenWaits;
    this.timeout = timeout;
    this.meters = new GraphMeters(SwitchboardMetrics.of(vertx).registry());
  }

  @Override
  public String tenantId() {
    return tokens.tenant();
  }

  @Override
  public String clientId() {
    return tokens.clientId();
  }

  @Override
  public Future<GraphResponse> request(HttpMethod method, String path, JsonObject body) {
    Objects.requireNonNull(method, "method");
    String url;
    try {
      url = resolve(Objects.requireNonNull(path, "path"));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Promise<GraphResponse> result = Promise.promise();
    Call call = new Call(method, url, body, UUID.randomUUID().toString(), System.nanoTime(), result,
        new AtomicInteger());
    attempt(call, 1, false);
    return result.future();
  }

  private String resolve(String path) {
    if (path.startsWith("https://") || path.startsWith("http://")) {
      if (!path.startsWith(baseUrl + "/")) {
        throw new IllegalArgumentException("Graph URL " + path + " is not under graph.baseUrl " + baseUrl
            + "; the platform sends its token only there");
      }
      return path;
    }
    return baseUrl + (path.startsWith("/") ? path : "/" + path);
  }

  /** One request; {@code tokenWaits} counts the waits for a token while the authority was unavailable. */
  private record Call(HttpMethod method, String url, JsonObject body, String clientRequestId, long began,
      Promise<GraphResponse> result, AtomicInteger tokenWaits) {
  }

  private void attempt(Call call, int attempt, boolean freshToken) {
    tokens.token(freshToken).onComplete(token -> {
      if (token.failed()) {
        onNoToken(call, attempt, freshToken, token.cause());
        return;
      }
      HttpRequest<Buffer> request = web.requestAbs(call.method(), call.url())
          .putHeader("Authorization", "Bearer " + token.result())
          .putHeader("client-request-id", call.clientRequestId())
          .putHeader("Accept", "application/json")
          .timeout(timeout.toMillis());
      Future<HttpResponse<Buffer>> sent = call.body() == null ? request.send() : request.sendJsonObject(call.body());
      sent.onComplete(ar -> {
        if (ar.failed()) {
          onNoAnswer(call, attempt, ar.cause());
        } else {
          onAnswer(call, attempt, freshToken, ar.result());
        }
      });
    });
  }

  private void onAnswer(Call call, int attempt, boolean freshToken, HttpResponse<Buffer> response) {
    int status = response.statusCode();
    String requestId = response.getHeader("request-id");
    meters.answered(call.method(), call.url(), status, attempt);
    if (status >= 200 && status < 300) {
      call.result().complete(new GraphResponse(status, json(response.body()), response.getHeader("Location"),
          requestId, call.clientRequestId()));
      return;
    }
    if (status == 401 && !freshToken) {
      // The cached token was refused (revoked, or the clock is off): one retry with a fresh token.
      attempt(call, attempt, true);
      return;
    }
    if (RetryPolicy.retryableStatus(status)) {
      Duration delay = retries.nextDelay(attempt, elapsed(call), response.getHeader("Retry-After"), Instant.now());
      if (delay != null) {
        LOG.debug("Graph answered {} to {} {} (request-id {}); retry {} in {} ms", status, call.method(), call.url(),
            requestId, attempt + 1, delay.toMillis());
        meters.waited(status, delay);
        vertx.setTimer(Math.max(1, delay.toMillis()), id -> attempt(call, attempt + 1, false));
        return;
      }
    }
    JsonObject error = json(response.body()).getJsonObject("error", new JsonObject());
    String code = error.getString("code", "http" + status);
    String message = error.getString("message", "Graph answered HTTP " + status);
    if (RetryPolicy.retryableStatus(status)) {
      message = message + "; gave up after " + attempt + " attempts in " + elapsed(call).toMillis() + " ms";
    }
    LOG.warn("Graph refused {} {}: {} {} {} (request-id {}, client-request-id {})", call.method(), call.url(), status,
        code, message, requestId, call.clientRequestId());
    call.result().fail(new GraphException(status, code, message, requestId, call.clientRequestId(), null));
  }

  private void onNoToken(Call call, int attempt, boolean freshToken, Throwable cause) {
    boolean unavailable = cause instanceof GraphException g && TokenSource.UNAVAILABLE.equals(g.graphCode());
    Duration delay = unavailable
        ? tokenWaits.nextDelay(call.tokenWaits().incrementAndGet(), elapsed(call), null, Instant.now()) : null;
    if (delay != null) {
      // The token source logged the outage once; each waiting request says so only at debug.
      LOG.debug("No Graph token for {} {} (client-request-id {}): waiting {} ms", call.method(), call.url(),
          call.clientRequestId(), delay.toMillis());
      vertx.setTimer(Math.max(1, delay.toMillis()), id -> attempt(call, attempt, freshToken));
      return;
    }
    if (unavailable) {
      String message = cause.getMessage() + "; gave up on " + call.method() + " " + call.url() + " after waiting "
          + elapsed(call).toMillis() + " ms for a token";
      LOG.warn("{} (client-request-id {})", message, call.clientRequestId());
      call.result().fail(new GraphException(503, TokenSource.UNAVAILABLE, message, null, call.clientRequestId(),
          cause));
      return;
    }
    call.result().fail(cause);
  }

  private void onNoAnswer(Call call, int attempt, Throwable cause) {
    meters.answered(call.method(), call.url(), 0, attempt);
    // Reads may always be repeated; an action only when the connection was refused, i.e. Graph never saw it.
    boolean safe = call.method() == HttpMethod.GET || call.method() == HttpMethod.DELETE
        || cause instanceof ConnectException;
    Duration delay = safe ? retries.nextDelay(attempt, elapsed(call), null, Instant.now()) : null;
    if (delay != null) {
      vertx.setTimer(Math.max(1, delay.toMillis()), id -> attempt(call, attempt + 1, false));
      return;
    }
    String what = safe ? "no answer after " + attempt + " attempts" : "no answer, and a " + call.method()
        + " that may have reached Graph is not repeated";
    LOG.warn("Graph unreachable for {} {}: {} ({}; client-request-id {})", call.method(), call.url(), cause.toString(),
        what, call.clientRequestId());
    call.result().fail(new GraphException(0, "graphUnreachable", "Graph could not be reached at " + call.url() + ": "
        + cause.getMessage() + " (" + what + ")", null, call.clientRequestId(), cause));
  }

  private static Duration elapsed(Call call) {
    return Duration.ofNanos(System.nanoTime() - call.began());
  }

  private static JsonObject json(Buffer body) {
    if (body == null || body.length() == 0) {
      return new JsonObject();
    }
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return new JsonObject();
    }
  }
}
