package dev.switchboard.emulator.http;

import java.util.Map;

/**
 * A request the emulator refuses, answered with Graph's error JSON
 * ({@code {"error":{"code":..., "message":..., "innerError":{...}}}}) by {@link GraphErrors#failureHandler()}.
 *
 * <p>Handlers throw it (or fail a routing context with it); they never write error bodies themselves.
 */
public final class GraphException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final transient Map<String, String> headers;

  /**
   * @param status the HTTP status
   * @param code Graph's error code (for example {@code itemNotFound}); a program acts on it
   * @param message what went wrong and what to do about it; a person acts on it
   * @param headers extra response headers (for example {@code Retry-After})
   */
  public GraphException(int status, String code, String message, Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.headers = Map.copyOf(headers);
  }

  public GraphException(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  /** 400 {@code invalidRequest}: the request is malformed or misses a required value. */
  public static GraphException badRequest(String message) {
    return new GraphException(400, "invalidRequest", message);
  }

  /** 404 {@code itemNotFound}. */
  public static GraphException notFound(String message) {
    return new GraphException(404, "itemNotFound", message);
  }

  /** 409 {@code notAllowed}: the action is not valid in the resource's current state. */
  public static GraphException conflict(String message) {
    return new GraphException(409, "notAllowed", message);
  }

  /** 400 {@code notSupported}: the action is not supported for this kind of resource. */
  public static GraphException notSupported(String message) {
    return new GraphException(400, "notSupported", message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
