package dev.switchboard.emulator.http;

import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request identity and error rendering shared by every route.
 *
 * <p>{@link #requestIds()} gives each request a {@code request-id} (echoed as a response header,
 * with {@code client-request-id} when the client sent one); {@link #failureHandler()} turns any
 * failure into Graph's error JSON. A client never sees a stack trace: unexpected exceptions are
 * logged here and answered 500 {@code generalException}.
 */
public final class GraphErrors {

  private static final Logger LOG = LoggerFactory.getLogger(GraphErrors.class);
  private static final String REQUEST_ID = "request-id";
  private static final String CLIENT_REQUEST_ID = "client-request-id";
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private GraphErrors() {
  }

  /** Assigns the request id and sets the identity headers; then continues. */
  public static Handler<RoutingContext> requestIds() {
    return ctx -> {
      String id = UUID.randomUUID().toString();
      ctx.put(REQUEST_ID, id);
      ctx.response().putHeader(REQUEST_ID, id);
      String clientId = ctx.request().getHeader(CLIENT_REQUEST_ID);
      if (clientId != null) {
        ctx.response().putHeader(CLIENT_REQUEST_ID, clientId);
      }
      ctx.next();
    };
  }

  /** The request id {@link #requestIds()} assigned to this request. */
  public static String requestId(RoutingContext ctx) {
    String id = ctx.get(REQUEST_ID);
    return id != null ? id : "";
  }

  /** Renders failures as Graph error JSON. Install with {@code router.route().failureHandler(...)}. */
  public static Handler<RoutingContext> failureHandler() {
    return ctx -> {
      if (ctx.response().headWritten()) {
        ctx.response().reset();
        return;
      }
      send(ctx, toGraphException(ctx));
    };
  }

  /** Writes {@code e} as the response. */
  public static void send(RoutingContext ctx, GraphException e) {
    e.headers().forEach((k, v) -> ctx.response().putHeader(k, v));
    ctx.response()
        .setStatusCode(e.status())
        .putHeader("Content-Type", "application/json")
        .end(body(e.code(), e.getMessage(), requestId(ctx), ctx.request().getHeader(CLIENT_REQUEST_ID)).encode());
  }

  /**
   * Graph's error body: {@code {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}}.
   */
  public static JsonObject body(String code, String message, String requestId, String clientRequestId) {
    JsonObject inner = new JsonObject()
        .put("date", DATE.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)))
        .put("request-id", requestId);
    if (clientRequestId != null) {
      inner.put("client-request-id", clientRequestId);
    }
    return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message).put("innerError", inner));
  }

  private static GraphException toGraphException(RoutingContext ctx) {
    Throwable f = ctx.failure();
    if (f instanceof GraphException g) {
      return g;
    }
    if (f instanceof DecodeException) {
      return GraphException.badRequest("Unable to read JSON request payload: " + f.getMessage()
          + ". Send a valid JSON body with Content-Type: application/json.");
    }
    int status = ctx.statusCode();
    if (f == null && status == 413) {
      return new GraphException(413, "invalidRequest", "The request body is too large.");
    }
    if (f == null && status >= 400) {
      return new GraphException(status, status == 404 ? "itemNotFound" : "invalidRequest",
          "The request failed with HTTP status " + status + ".");
    }
    LOG.error("Unexpected failure on {} {} (request-id {})", ctx.request().method(), ctx.request().path(), requestId(ctx), f);
    return new GraphException(500, "generalException",
        "The emulator failed unexpectedly; see its log for request-id " + requestId(ctx) + ".");
  }
}
