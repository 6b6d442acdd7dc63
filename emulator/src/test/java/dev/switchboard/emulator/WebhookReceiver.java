package dev.switchboard.emulator;

import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.emulator.identity.Certificates;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A bot's change-notification endpoints, as a real HTTP(S) server on loopback: it answers Graph's
 * validation handshake (as {@link #handshake} says) and records every notification collection it
 * is posted, answering each as scripted ({@link #answerNext}) or 202 at once.
 */
final class WebhookReceiver implements AutoCloseable {

  /** How the receiver answers {@code ?validationToken=} requests. */
  enum Handshake {
    /** 200 text/plain with the decoded token: what Graph expects. */
    ECHO,
    /** 200 text/plain with another text. */
    WRONG_BODY,
    /** 200 text/plain with the token as it appears, still encoded, in the query. */
    RAW_QUERY,
    /** 200 with the token but as application/json. */
    WRONG_TYPE,
    /** 500. */
    ERROR,
    /** Never answers. */
    SILENT
  }

  /** A validation request. */
  record Validation(String path, String token, String contentType, String body) {
  }

  /** A notification collection posted to {@code path}. */
  record Received(String path, JsonObject envelope, String authorization, long nanos) {
    JsonObject notification() {
      return envelope.getJsonArray("value").getJsonObject(0);
    }
  }

  private record Answer(int status, long delayMs) {
  }

  final List<Validation> validations = new CopyOnWriteArrayList<>();
  final List<Received> received = new CopyOnWriteArrayList<>();
  volatile Handshake handshake = Handshake.ECHO;
  private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
  private volatile Answer always;
  private final Vertx vertx;
  private final HttpServer server;
  private final String base;

  WebhookReceiver(Vertx vertx, boolean tls) {
    this.vertx = vertx;
    HttpServerOptions options = new HttpServerOptions();
    if (tls) {
      KeyPair keys = Certificates.newRsaKeyPair();
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertValue(Buffer.buffer(Certificates.pem(Certificates.selfSigned(keys, "bot", List.of("127.0.0.1"),
              Duration.ofDays(1)))))
          .setKeyValue(Buffer.buffer(Certificates.pem(keys.getPrivate()))));
    }
    server = vertx.createHttpServer(options).requestHandler(this::handle).listen(0, "127.0.0.1").await();
    base = (tls ? "https" : "http") + "://127.0.0.1:" + server.actualPort();
  }

  /** The URL of a path on this receiver, such as {@code /callbacks/notifications}. */
  String url(String path) {
    return base + path;
  }

  /** The next notification gets this answer, after {@code delayMs} real milliseconds. */
  void answerNext(int status, long delayMs) {
    script.add(new Answer(status, delayMs));
  }

  /** Every notification gets this status (null: back to the script, then 202). */
  void answerAlways(Integer status) {
    always = status == null ? null : new Answer(status, 0);
  }

  void clear() {
    validations.clear();
    received.clear();
    script.clear();
    always = null;
    handshake = Handshake.ECHO;
  }

  int mark() {
    return received.size();
  }

  /** The first notification from index {@code from} that matches, waiting up to {@code timeoutMs}. */
  Received await(int from, Predicate<Received> match, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    do {
      for (int i = from; i < received.size(); i++) {
        if (match.test(received.get(i))) {
          return received.get(i);
        }
      }
      EmulatorFixture.sleep(5);
    } while (System.currentTimeMillis() < deadline);
    fail("no matching notification within " + timeoutMs + " ms; received: "
        + received.subList(from, received.size()).stream().map(r -> r.path() + " " + r.envelope().encode()).toList());
    return null;
  }

  static Predicate<Received> about(String subscriptionId) {
    return r -> subscriptionId.equals(r.notification().getString("subscriptionId"));
  }

  private void handle(HttpServerRequest req) {
    String token = req.getParam("validationToken");
    req.body().onSuccess(body -> {
      if (token != null) {
        validations.add(new Validation(req.path(), token, req.getHeader("Content-Type"), body.toString()));
        String rawQuery = req.query().substring(req.query().indexOf("validationToken=") + "validationToken=".length());
        switch (handshake) {
          case ECHO -> req.response().putHeader("Content-Type", "text/plain").end(token);
          case WRONG_BODY -> req.response().putHeader("Content-Type", "text/plain").end("not the token");
          case RAW_QUERY -> req.response().putHeader("Content-Type", "text/plain").end(rawQuery);
          case WRONG_TYPE -> req.response().putHeader("Content-Type", "application/json").end(token);
          case ERROR -> req.response().setStatusCode(500).end();
          case SILENT -> { }
          default -> throw new IllegalStateException();
        }
        return;
      }
      received.add(new Received(req.path(), new JsonObject(body), req.getHeader("Authorization"), System.nanoTime()));
      Answer a = always != null ? always : script.poll();
      if (a == null || a.delayMs() <= 0) {
        req.response().setStatusCode(a == null ? 202 : a.status()).end();
      } else {
        vertx.setTimer(a.delayMs(), t -> req.response().setStatusCode(a.status()).end());
      }
    });
  }

  @Override
  public void close() {
    server.close().await();
  }
}
