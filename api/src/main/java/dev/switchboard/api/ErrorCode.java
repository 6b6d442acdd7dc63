package dev.switchboard.api;

/**
 * The kinds of failure the platform and its plugins report, each with the HTTP status it is answered
 * with and a stable identifier that programs can act on.
 */
public enum ErrorCode {
  BAD_REQUEST(400, "badRequest"),
  UNAUTHORIZED(401, "unauthorized"),
  FORBIDDEN(403, "forbidden"),
  NOT_FOUND(404, "notFound"),
  METHOD_NOT_ALLOWED(405, "methodNotAllowed"),
  CONFLICT(409, "conflict"),
  PAYLOAD_TOO_LARGE(413, "payloadTooLarge"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupportedMediaType"),
  UNPROCESSABLE(422, "unprocessable"),
  /** Too many requests or failed attempts; the answer's {@code Retry-After} says when to try again. */
  TOO_MANY_REQUESTS(429, "tooManyRequests"),
  INTERNAL(500, "internalError"),
  UPSTREAM(502, "upstreamError"),
  NOT_READY(503, "notReady"),
  TIMEOUT(504, "timeout");

  private final int status;
  private final String id;

  ErrorCode(int status, String id) {
    this.status = status;
    this.id = id;
  }

  /** The HTTP status this kind of failure is answered with. */
  public int status() {
    return status;
  }

  /** The identifier used in the JSON error shape when no more specific code is given. */
  public String id() {
    return id;
  }

  /** The kind for an HTTP status, {@link #INTERNAL} for one that has none. */
  public static ErrorCode forStatus(int status) {
    for (ErrorCode code : values()) {
      if (code.status == status) {
        return code;
      }
    }
    return INTERNAL;
  }
}
