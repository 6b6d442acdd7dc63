package dev.switchboard.launcher;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** A blocking client of the admin API for the command line. */
final class AdminClient {

  /** A failed call, with a message for the terminal and the process exit code. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    final int exitCode;

    Failure(String message, int exitCode) {
      super(message);
      this.exitCode = exitCode;
    }
  }

  private final URI base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  AdminClient(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  Object get(String path) throws Failure {
    return send("GET", path, HttpRequest.BodyPublishers.noBody());
  }

  Object post(String path, JsonObject json) throws Failure {
    return send("POST", path, HttpRequest.BodyPublishers.ofString(json.encode()), "application/json");
  }

  Object post(String path) throws Failure {
    return send("POST", path, HttpRequest.BodyPublishers.noBody());
  }

  Object delete(String path) throws Failure {
    return send("DELETE", path, HttpRequest.BodyPublishers.noBody());
  }

  Object upload(String method, String path, Path jar) throws Failure {
    HttpRequest.BodyPublisher body;
    try {
      body = HttpRequest.BodyPublishers.ofFile(jar);
    } catch (java.io.FileNotFoundException e) {
      throw new Failure("no such file: " + jar, 2);
    }
    return send(method, path, body);
  }

  static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private Object send(String method, String path, HttpRequest.BodyPublisher body) throws Failure {
    return send(method, path, body, "application/java-archive");
  }

  private Object send(String method, String path, HttpRequest.BodyPublisher body, String contentType) throws Failure {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofMinutes(2))
        .method(method, body)
        .header("Content-Type", contentType);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new Failure("cannot reach the admin API at " + base + " (is the server running, and are admin.host and "
          + "admin.port or --admin-url right?)", 3);
    } catch (IOException e) {
      throw new Failure("the admin API at " + base + " failed: " + e, 3);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted", 1);
    }
    Object parsed = null;
    if (!response.body().isEmpty()) {
      try {
        parsed = Json.decodeValue(response.body());
      } catch (DecodeException e) {
        throw new Failure("the admin API answered HTTP " + response.statusCode() + " with something that is not JSON: "
            + abbreviate(response.body()), 1);
      }
    }
    if (response.statusCode() >= 400) {
      JsonObject error = parsed instanceof JsonObject json ? json.getJsonObject("error") : null;
      String message = error != null ? error.getString("message") + " [" + error.getString("code") + ", HTTP "
          + response.statusCode() + "]" : "HTTP " + response.statusCode();
      throw new Failure(message, 1);
    }
    return parsed;
  }

  private static String abbreviate(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
