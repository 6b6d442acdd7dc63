package dev.switchboard.platform.http;

import dev.switchboard.api.ApiRequest;
import dev.switchboard.api.Caller;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** An {@link ApiRequest} built from a request whose body has been read. */
record RoutedRequest(HttpMethod method, String path, Map<String, String> params, MultiMap queryParams,
    MultiMap headers, Buffer body, Caller caller) implements ApiRequest {

  @Override
  public String pathParam(String name) {
    return params.get(name);
  }

  @Override
  public String queryParam(String name) {
    return queryParams.get(name);
  }

  @Override
  public JsonObject bodyAsJson() {
    if (body.length() == 0) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "missingBody", "This request needs a JSON object body");
    }
    try {
      Object parsed = Json.decodeValue(body);
      if (parsed instanceof JsonObject json) {
        return json;
      }
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidJson", "The body must be a JSON object, not "
          + (parsed == null ? "null" : parsed.getClass().getSimpleName().replace("Json", "a JSON ").toLowerCase()));
    } catch (DecodeException e) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidJson", "The body is not valid JSON: "
          + e.getMessage());
    }
  }
}
