package dev.switchboard.platform;

import dev.switchboard.api.KeyedMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A paced load of keyed messages: {@code keys} keys of {@code messages} ordered messages each (the last one
 * releases the key), sent by {@code chains} concurrent chains at {@code ratePerSecond} overall. Every reply is
 * recorded with the version that handled it and its latency. Used by the hot-swap test and benchmark.
 */
final class KeyedLoad {

  /** One handled message. */
  record Reply(String key, int seq, String version, int count, long sentNanos, long repliedNanos, String failure) {
    double latencyMillis() {
      return (repliedNanos - sentNanos) / 1e6;
    }
  }

  private final Vertx vertx;
  private final String address;
  private final int keys;
  private final int messages;
  private final int chains;
  private final long intervalMillis;
  private final List<Reply> replies = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger nextKey = new AtomicInteger();
  final AtomicInteger keysStarted = new AtomicInteger();
  final AtomicInteger keysDone = new AtomicInteger();

  KeyedLoad(Vertx vertx, String address, int keys, int messages, int chains, int ratePerSecond) {
    this.vertx = vertx;
    this.address = address;
    this.keys = keys;
    this.messages = messages;
    this.chains = chains;
    this.intervalMillis = Math.max(1, Math.round(1000.0 * chains / ratePerSecond));
  }

  /** Starts the chains; the future completes when every key has been sent. */
  Future<Void> run() {
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < chains; i++) {
      Promise<Void> done = Promise.promise();
      all.add(done.future());
      // Staggered so that the chains do not send in lock-step.
      vertx.setTimer(1 + (long) i * intervalMillis / chains, id -> nextKeyOrDone(done));
    }
    return Future.all(all).mapEmpty();
  }

  private void nextKeyOrDone(Promise<Void> done) {
    int k = nextKey.getAndIncrement();
    if (k >= keys) {
      done.complete();
      return;
    }
    keysStarted.incrementAndGet();
    send("key-" + k, 1, done);
  }

  private void send(String key, int seq, Promise<Void> done) {
    JsonObject body = new JsonObject().put("seq", seq).put("last", seq == messages);
    long sent = System.nanoTime();
    DeliveryOptions options = new DeliveryOptions().addHeader(KeyedMessage.KEY_HEADER, key).setSendTimeout(60_000);
    vertx.eventBus().<JsonObject>request(address, body, options).onComplete(ar -> {
      long replied = System.nanoTime();
      if (ar.succeeded()) {
        JsonObject r = ar.result().body();
        replies.add(new Reply(key, seq, r.getString("version"), r.getInteger("count"), sent, replied, null));
      } else {
        replies.add(new Reply(key, seq, null, -1, sent, replied, ar.cause().toString()));
      }
      long wait = Math.max(0, intervalMillis - (replied - sent) / 1_000_000);
      Runnable next = seq == messages ? () -> {
        keysDone.incrementAndGet();
        nextKeyOrDone(done);
      } : () -> send(key, seq + 1, done);
      if (wait == 0) {
        next.run();
      } else {
        vertx.setTimer(wait, id -> next.run());
      }
    });
  }

  List<Reply> replies() {
    synchronized (replies) {
      return new ArrayList<>(replies);
    }
  }

  /** The p-th percentile (0-100) of the latencies of {@code sample}, in milliseconds. */
  static double percentile(List<Reply> sample, double p) {
    if (sample.isEmpty()) {
      return Double.NaN;
    }
    double[] latencies = sample.stream().mapToDouble(Reply::latencyMillis).sorted().toArray();
    int index = (int) Math.ceil(p / 100.0 * latencies.length) - 1;
    return latencies[Math.max(0, Math.min(latencies.length - 1, index))];
  }
}
