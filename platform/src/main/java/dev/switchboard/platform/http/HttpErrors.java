package dev.switchboard.platform.http;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes failures in the platform's one JSON error shape, {@code {"error":{"code":"...","message":"..."}}}. */
public final class HttpErrors {

  private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

  private HttpErrors() {
  }

  /** Writes {@code failure} as a JSON error; anything not a {@link SwitchboardException} is logged and sent as a 500. */
  public static void write(HttpServerResponse response, Throwable failure) {
    SwitchboardException error;
    if (failure instanceof SwitchboardException e) {
      error = e;
    } else {
      LOG.error("Unexpected failure answering a request", failure);
      error = new SwitchboardException(ErrorCode.INTERNAL, "internalError",
          "The server failed to handle the request; the cause is in the server log");
    }
    write(response, error);
  }

  public static void write(HttpServerResponse response, SwitchboardException error) {
    if (response.headWritten()) {
      response.reset();
      return;
    }
    if (error.code() == ErrorCode.UNAUTHORIZED) {
      response.putHeader("WWW-Authenticate", "Bearer");
    }
    response.setStatusCode(error.status())
        .putHeader("Content-Type", "application/json")
        .end(error.toJson().toBuffer());
  }

  /** Makes the router answer its own failures (no route, body too large, handler threw) as JSON errors. */
  public static void install(Router router) {
    router.errorHandler(404, ctx -> write(ctx.response(), new SwitchboardException(ErrorCode.NOT_FOUND, "notFound",
        "Nothing is served at " + ctx.request().method() + " " + ctx.request().path())));
    router.errorHandler(405, ctx -> write(ctx.response(), new SwitchboardException(ErrorCode.METHOD_NOT_ALLOWED,
        ctx.request().method() + " is not allowed on " + ctx.request().path())));
    router.errorHandler(413, ctx -> write(ctx.response(), new SwitchboardException(ErrorCode.PAYLOAD_TOO_LARGE,
        "payloadTooLarge", "The request body is larger than this endpoint accepts")));
    router.errorHandler(500, HttpErrors::writeFailure);
    router.errorHandler(400, HttpErrors::writeFailure);
  }

  private static void writeFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure == null) {
      write(ctx.response(), new SwitchboardException(ErrorCode.forStatus(ctx.statusCode()),
          "Request failed with status " + ctx.statusCode()));
    } else {
      write(ctx.response(), failure);
    }
  }
}
