package dev.switchboard.emulator.subscriptions;

import dev.switchboard.emulator.http.GraphException;
import dev.switchboard.emulator.http.OutboundClients;
import io.vertx.core.Future;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graph's endpoint validation (graph-reference §8.2): {@code POST {url}?validationToken={token}}
 * with {@code Content-Type: text/plain} and no body; the endpoint must answer, within 10 real
 * seconds, {@code 200} with a {@code text/plain} body that is exactly the decoded token.
 *
 * <p>The token is Graph's kind of text ({@code Validation: Testing client application reachability
 * for subscription Request-Id: <uuid>}), form-encoded into the query (spaces as {@code +},
 * {@code :} as {@code %3A}), so an endpoint that echoes the raw query fails as it would with Graph.
 */
final class Handshake {

  /** Graph's limit for the answer, real milliseconds. */
  static final long TIMEOUT_MS = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(Handshake.class);

  private final OutboundClients clients;

  Handshake(OutboundClients clients) {
    this.clients = clients;
  }

  /**
   * Validates one endpoint.
   *
   * @param property the subscription property that names it, for the error message
   * @return a future failed with a 400 {@link GraphException} ({@code InvalidRequest}, Graph's
   *     messages) when the endpoint does not pass
   */
  Future<Void> validate(String property, String url) {
    String token = "Validation: Testing client application reachability for subscription Request-Id: "
        + UUID.randomUUID();
    String target = url + (url.contains("?") ? "&" : "?") + "validationToken="
        + URLEncoder.encode(token, StandardCharsets.UTF_8);
    return clients.forUrl(url).postAbs(target)
        .timeout(TIMEOUT_MS)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .send()
        .transform(ar -> {
          if (ar.failed()) {
            Throwable e = ar.cause();
            boolean timedOut = e instanceof TimeoutException || String.valueOf(e.getMessage()).contains("timeout");
            LOG.info("Validation of {} {} failed: {}", property, url, e.toString());
            return Future.failedFuture(new GraphException(400, "InvalidRequest", timedOut
                ? "Subscription validation request timed out. (" + property + " " + url + " did not answer within "
                    + TIMEOUT_MS / 1000 + " s.)"
                : "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation"
                    + " request. (" + property + " " + url + " could not be reached: " + e.getMessage() + ")"));
          }
          int status = ar.result().statusCode();
          String type = String.valueOf(ar.result().getHeader("Content-Type")).toLowerCase(Locale.ROOT);
          String body = ar.result().bodyAsString();
          String problem = status != 200 ? "it answered " + status + ", not 200"
              : !type.startsWith("text/plain") ? "its Content-Type is " + ar.result().getHeader("Content-Type")
                  + ", not text/plain"
              : !token.equals(body) ? "its body is not the decoded validationToken (expected '" + token + "', got '"
                  + abbreviate(body) + "')"
              : null;
          if (problem == null) {
            return Future.succeededFuture();
          }
          LOG.info("Validation of {} {} failed: {}", property, url, problem);
          return Future.failedFuture(new GraphException(400, "InvalidRequest", status != 200
              ? "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation"
                  + " request. (" + property + " " + url + ": " + problem + ".)"
              : "Subscription validation request failed. Response must exactly match validationToken query parameter."
                  + " (" + property + " " + url + ": " + problem + ".)"));
        });
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
