package dev.switchboard.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A REST response from a plugin.
 *
 * @param status the HTTP status code
 * @param headers response headers; {@code Content-Type} among them when there is a body
 * @param body the body, empty for none
 */
public record ApiResponse(int status, Map<String, String> headers, Buffer body) {

  public ApiResponse {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("HTTP status out of range: " + status);
    }
    headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
    body = Objects.requireNonNull(body, "body");
  }

  /** {@code 200} with a JSON object body. */
  public static ApiResponse ok(JsonObject json) {
    return json(200, json);
  }

  /** {@code 200} with a JSON array body. */
  public static ApiResponse ok(JsonArray json) {
    return of(200, "application/json", json.toBuffer());
  }

  /** {@code 201} with a JSON object body. */
  public static ApiResponse created(JsonObject json) {
    return json(201, json);
  }

  /** {@code 204} with no body. */
  public static ApiResponse noContent() {
    return new ApiResponse(204, Map.of(), Buffer.buffer());
  }

  /** A JSON object body with the given status. */
  public static ApiResponse json(int status, JsonObject json) {
    return of(status, "application/json", json.toBuffer());
  }

  /** A body of the given content type. */
  public static ApiResponse of(int status, String contentType, Buffer body) {
    return new ApiResponse(status, Map.of("Content-Type", contentType), body);
  }

  /** A copy with one more header (replacing one of the same name, compared case-insensitively). */
  public ApiResponse withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>();
    headers.forEach((k, v) -> {
      if (!k.equalsIgnoreCase(name)) {
        copy.put(k, v);
      }
    });
    copy.put(name, value);
    return new ApiResponse(status, copy, body);
  }
}
