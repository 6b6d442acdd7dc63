package dev.switchboard.emulator;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Objects;

/**
 * A client of a running emulator: its control API ({@code /emulator/...}, docs/emulator.md) and Graph as the
 * registered application, for tests and tools that act as the other side of the call. Trusts the emulator's own
 * TLS certificate only.
 *
 * <p>Every method returns a {@link Future} completed on a Vert.x context; none blocks. A control-API answer of 300
 * or more fails the future with an {@link IllegalStateException} naming the request, the status and the body.
 * Thread-safe; {@link #close()} releases the HTTP client.
 */
public final class EmulatorClient implements AutoCloseable {

  private final GraphEmulator emulator;
  private final WebClient web;

  private EmulatorClient(Vertx vertx, GraphEmulator emulator) {
    this.emulator = emulator;
    String pem = emulator.graphConfig().getString("tlsCertificatePem");
    WebClientOptions options = new WebClientOptions();
    if (pem != null) {
      options.setSsl(true).setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(pem)));
    }
    this.web = WebClient.create(vertx, options);
  }

  /** A client of {@code emulator} on {@code vertx}. */
  public static EmulatorClient of(Vertx vertx, GraphEmulator emulator) {
    return new EmulatorClient(Objects.requireNonNull(vertx, "vertx"), Objects.requireNonNull(emulator, "emulator"));
  }

  /** The HTTP client, trusting the emulator's certificate (for requests this class has no method for). */
  public WebClient web() {
    return web;
  }

  /** A control-API {@code POST} ({@code path} starts with {@code /emulator/}); its JSON answer ({} when empty). */
  public Future<JsonObject> post(String path, JsonObject body) {
    return control(HttpMethod.POST, path, body);
  }

  /**
   * A control-API {@code POST} whose body is a WAV file ({@code Content-Type: audio/wav}), such as what a caller says
   * ({@code /emulator/calls/{id}/speech}); its JSON answer.
   */
  public Future<JsonObject> postWav(String path, Buffer wav) {
    return web.postAbs(emulator.baseUrl() + path).putHeader("Content-Type", "audio/wav").sendBuffer(wav)
        .compose(r -> checked("POST " + path, r))
        .map(EmulatorClient::json);
  }

  /** A control-API {@code GET}; its JSON answer. */
  public Future<JsonObject> get(String path) {
    return control(HttpMethod.GET, path, null);
  }

  /** A control-API {@code DELETE}. */
  public Future<JsonObject> delete(String path) {
    return control(HttpMethod.DELETE, path, null);
  }

  /**
   * What the bot sent ({@code GET /emulator/requests}), oldest first: entries with a larger {@code sequence} than
   * {@code sinceSequence} (0 for all) whose path contains {@code pathPart} ({@code null} for any).
   */
  public Future<JsonArray> requests(String pathPart, long sinceSequence) {
    var request = web.getAbs(emulator.baseUrl() + "/emulator/requests").addQueryParam("since",
        Long.toString(sinceSequence));
    if (pathPart != null) {
      request.addQueryParam("path", pathPart);
    }
    return request.send().compose(r -> checked("GET /emulator/requests", r))
        .map(r -> r.bodyAsJsonObject().getJsonArray("value"));
  }

  /**
   * A Graph request as the registered application (a fresh client-credentials token each time), for what the bot
   * will find (an online meeting); {@code path} starts at {@code /v1.0}. The answer, whatever its status.
   */
  public Future<HttpResponse<Buffer>> asApplication(HttpMethod method, String path, JsonObject body) {
    JsonObject config = emulator.graphConfig();
    return web.postAbs(config.getString("authority") + "oauth2/v2.0/token").sendForm(MultiMap.caseInsensitiveMultiMap()
        .add("client_id", config.getString("clientId")).add("client_secret", config.getString("clientSecret"))
        .add("grant_type", "client_credentials").add("scope", "https://graph.microsoft.com/.default"))
        .compose(token -> {
          var request = web.requestAbs(method, emulator.baseUrl() + path)
              .putHeader("Authorization", "Bearer " + token.bodyAsJsonObject().getString("access_token"));
          return body == null ? request.send() : request.sendJsonObject(body);
        });
  }

  /** Grants the application access policy for everyone, then creates an online meeting of {@code organizerId}. */
  public Future<JsonObject> createMeeting(String organizerId, JsonObject body) {
    String path = "/v1.0/users/" + organizerId + "/onlineMeetings";
    return post("/emulator/access-policies", new JsonObject().put("global", true))
        .compose(granted -> asApplication(HttpMethod.POST, path, body))
        .compose(r -> r.statusCode() == 201 ? Future.succeededFuture(r.bodyAsJsonObject())
            : Future.failedFuture(new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": "
                + r.bodyAsString())));
  }

  private Future<JsonObject> control(HttpMethod method, String path, JsonObject body) {
    var request = web.requestAbs(method, emulator.baseUrl() + path);
    return (body == null ? request.send() : request.sendJsonObject(body))
        .compose(r -> checked(method + " " + path, r))
        .map(EmulatorClient::json);
  }

  private static JsonObject json(HttpResponse<Buffer> r) {
    return r.body() == null || r.body().length() == 0 ? new JsonObject() : r.bodyAsJsonObject();
  }

  private static Future<HttpResponse<Buffer>> checked(String what, HttpResponse<Buffer> response) {
    if (response.statusCode() >= 300) {
      return Future.failedFuture(new IllegalStateException("the emulator answered " + response.statusCode() + " to "
          + what + ": " + response.bodyAsString()));
    }
    return Future.succeededFuture(response);
  }

  @Override
  public void close() {
    web.close();
  }
}
