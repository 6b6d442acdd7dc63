package dev.switchboard.launcher;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Graph, as a load generator: signed {@code commsNotifications} POSTed to a bot's calling callback (through the load
 * balancer), one notification per request, as Graph sends them. {@code chains} calls are live at once; each call gets
 * {@code messages} notifications numbered 1.. in {@code sequenceNumber}, each sent only once the previous one was
 * answered 202 (Graph's order per call), the last one {@code deleted} (the call ends and its key is released), then
 * the chain starts a new call. A 503 or a failed connection is sent again (as Graph does) after 20 ms. The rate over
 * all chains is paced to {@code ratePerSecond} (0: as fast as the answers come).
 */
final class NotificationLoad implements KeyedLoad {

  /** One notification as Graph saw it: first sent and answered (epoch µs), attempts, final status (-1: none). */
  record Sent(String key, int seq, long sentMicros, long answeredMicros, int attempts, int status) {

    /** Whether it was taken: a notification answered 202 (queued by its owner), a command 200 (handled). */
    boolean accepted() {
      return status / 100 == 2;
    }
  }

  /** How a notification's sending ended: the last status (-1: no answer) and the attempts it took. */
  private record Answer(int status, int attempts) {
  }

  private static final int MAX_ATTEMPTS = 1500;

  private final Vertx vertx;
  private final HttpClient client;
  private final RequestOptions callback;
  private final String token;
  private final String prefix;
  private final int messages;
  private final int chains;
  private final long intervalNanos;
  private final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger nextKey = new AtomicInteger();
  private final AtomicLong retries = new AtomicLong();
  private volatile boolean stopping;
  private Future<Void> finished;

  NotificationLoad(Vertx vertx, int port, String token, String prefix, int messages, int chains, int ratePerSecond) {
    this.vertx = vertx;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(chains));
    this.callback = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI("/callbacks/calling").setIdleTimeout(30_000).putHeader("Content-Type", "application/json");
    this.token = token;
    this.prefix = prefix;
    this.messages = messages;
    this.chains = chains;
    this.intervalNanos = ratePerSecond <= 0 ? 0 : 1_000_000_000L * chains / ratePerSecond;
  }

  /** Epoch microseconds: the clock the members' reports use too (one machine). */
  static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /** Starts the chains. */
  @Override
  public NotificationLoad start() {
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < chains; i++) {
      Promise<Void> done = Promise.promise();
      all.add(done.future());
      // Staggered so that the chains do not send in lock-step.
      vertx.setTimer(1 + Math.max(intervalNanos, 10_000_000L) / 1_000_000 * i / chains, id -> nextCall(done));
    }
    finished = Future.all(all).mapEmpty();
    return this;
  }

  /** Each chain ends the call it is in (so drains can end) and starts no other; completes when all have. */
  @Override
  public Future<Void> stop() {
    stopping = true;
    return finished.eventually(() -> client.close());
  }

  private void nextCall(Promise<Void> done) {
    if (stopping) {
      done.complete();
      return;
    }
    send(prefix + "-" + nextKey.getAndIncrement(), 1, done);
  }

  private void send(String key, int seq, Promise<Void> done) {
    long sentNanos = System.nanoTime();
    long sentMicros = micros();
    Buffer body = notification(key, seq);
    attempt(body, 1).onComplete(ar -> {
      Answer answer = ar.result();
      sent.add(new Sent(key, seq, sentMicros, micros(), answer.attempts(), answer.status()));
      long wait = intervalNanos - (System.nanoTime() - sentNanos);
      Runnable next = seq == messages ? () -> nextCall(done) : () -> send(key, seq + 1, done);
      if (wait < 1_000_000) {
        next.run();
      } else {
        vertx.setTimer(wait / 1_000_000, id -> next.run());
      }
    });
  }

  /** Sends until an answer other than 503 (or no answer) or {@link #MAX_ATTEMPTS}; never fails. */
  private Future<Answer> attempt(Buffer body, int attempt) {
    return client.request(new RequestOptions(callback).putHeader("Authorization", "Bearer " + token))
        .compose(request -> request.send(body)).compose(response -> response.body().map(b -> response.statusCode()))
        .otherwise(-1).compose(status -> {
          if ((status == 503 || status == -1) && attempt < MAX_ATTEMPTS) {
            retries.incrementAndGet();
            Promise<Answer> again = Promise.promise();
            vertx.setTimer(20, id -> attempt(body, attempt + 1).onComplete(again));
            return again.future();
          }
          return Future.succeededFuture(new Answer(status, attempt));
        });
  }

  private Buffer notification(String key, int seq) {
    return new JsonObject().put("@odata.type", "#microsoft.graph.commsNotifications").put("value", new JsonArray()
        .add(new JsonObject().put("@odata.type", "#microsoft.graph.commsNotification")
            .put("changeType", seq == messages ? "deleted" : seq == 1 ? "created" : "updated")
            .put("resourceUrl", "/communications/calls/" + key)
            .put("resourceData", new JsonObject().put("@odata.type", "#microsoft.graph.call")
                .put("state", "established"))
            .put("sequenceNumber", seq)))
        .toBuffer();
  }

  /** Every notification sent so far (one entry each, once answered). */
  @Override
  public List<Sent> sent() {
    synchronized (sent) {
      return new ArrayList<>(sent);
    }
  }

  /** Requests sent again after a 503 or a failed connection. */
  @Override
  public long retries() {
    return retries.get();
  }

  /** Calls begun so far. */
  int callsStarted() {
    return nextKey.get();
  }
}
