package dev.switchboard.api;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/** A REST request routed to a plugin, with its body already read. Immutable. */
public interface ApiRequest {

  HttpMethod method();

  /** The path below {@code /api/v1}, e.g. {@code /calls/abc}. */
  String path();

  /** The value of a named segment of the route ({@code :id}), or {@code null}. URL-decoded. */
  String pathParam(String name);

  /** The first value of a query parameter, or {@code null}. */
  String queryParam(String name);

  MultiMap queryParams();

  /** The request headers (case-insensitive names). */
  MultiMap headers();

  /** The raw body; empty when the request had none. */
  Buffer body();

  /**
   * The body parsed as a JSON object.
   *
   * @throws SwitchboardException with {@link ErrorCode#BAD_REQUEST} when the body is missing or is not
   *     a JSON object, with a message that says which
   */
  JsonObject bodyAsJson();

  /**
   * Who is calling, as authenticated by the platform: an API key, an OpenID Connect token, {@link Caller#ANONYMOUS}
   * when the API is open, {@link Caller#PUBLIC} on a public route. The default, for requests not built by the
   * platform (e.g. in a plugin's own tests), is {@link Caller#ANONYMOUS}.
   */
  default Caller caller() {
    return Caller.ANONYMOUS;
  }
}
