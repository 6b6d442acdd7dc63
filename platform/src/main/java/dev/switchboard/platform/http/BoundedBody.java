package dev.switchboard.platform.http;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a request's whole body into memory, up to a limit, whatever its {@code Content-Type}: unlike
 * vertx-web's body handler it never decodes a body as a form, so a jar sent with curl's default
 * {@code application/x-www-form-urlencoded} arrives intact. A body over the limit is answered 413 without being
 * read further.
 */
public final class BoundedBody {

  private static final String KEY = "switchboard.body";

  private BoundedBody() {
  }

  /** A route handler that reads the body (at most {@code limit} bytes) and then calls the next handler. */
  public static Handler<RoutingContext> reader(long limit) {
    return ctx -> {
      HttpServerRequest request = ctx.request();
      String declared = request.getHeader("Content-Length");
      if (declared != null && parseLength(declared) > limit) {
        tooLarge(ctx, limit);
        return;
      }
      Buffer body = Buffer.buffer();
      boolean[] refused = new boolean[1];
      request.handler(chunk -> {
        if (refused[0]) {
          return;
        }
        if ((long) body.length() + chunk.length() > limit) {
          refused[0] = true;
          tooLarge(ctx, limit);
          return;
        }
        body.appendBuffer(chunk);
      });
      request.exceptionHandler(e -> {
        if (!refused[0] && !ctx.response().ended()) {
          refused[0] = true;
          ctx.response().setStatusCode(400).end();
        }
      });
      request.endHandler(v -> {
        if (!refused[0]) {
          ctx.put(KEY, body);
          ctx.next();
        }
      });
      request.resume();
    };
  }

  /** The body read by {@link #reader(long)}; empty if there was none. */
  public static Buffer of(RoutingContext ctx) {
    Buffer body = ctx.get(KEY);
    return body == null ? Buffer.buffer() : body;
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void tooLarge(RoutingContext ctx, long limit) {
    ctx.response().putHeader("Connection", "close");
    HttpErrors.write(ctx.response(), new SwitchboardException(ErrorCode.PAYLOAD_TOO_LARGE, "payloadTooLarge",
        "The request body is larger than the " + limit + " bytes this endpoint accepts"));
  }
}
