package dev.switchboard.test.sender;

import dev.switchboard.api.CallNotifications;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run of the sequence sender on this member: {@code keys} chains, each sending the commands of one key at a time
 * with {@link PluginContext#sendToKey} to the recorder's keyed address, closed loop (the next command once the previous
 * was answered, i.e. handled by the key's owner), paced so that the chains together send {@code rate} commands/s. A
 * key's first command is sent by member {@code next}'s run (it answers this run's open requests on
 * {@link #OPEN}{@code <name>.<member>}), so the key is claimed there (a key is claimed where it is first sent); the
 * other {@code messages - 1} are sent from here. Each command carries {@code seq}, {@code sentAt} (epoch µs, first
 * attempt) and {@code last}; the last one ends the key (the recorder releases it) and the chain opens a new key. A
 * failed send (e.g. 503 {@code noOwner} while the key moves) is sent again, the same command, after 20 ms.
 */
final class SenderRun {

  /** The event-bus address prefix on which a run opens keys for another member's run. */
  static final String OPEN = "dev.switchboard.test.sender.open.";
  private static final int MAX_ATTEMPTS = 1500;
  private static final long RESEND_PAUSE_MS = 20;

  /** A run's parameters, as the start request gave them. */
  record Settings(String name, int member, int next, int keys, int messages, int rate) {
    Settings {
      if (keys <= 0 || messages <= 0 || rate < 0) {
        throw new IllegalArgumentException("keys " + keys + ", messages " + messages + ", rate " + rate);
      }
    }
  }

  private final PluginContext context;
  private final Settings settings;
  private final long intervalNanos;
  private final List<JsonObject> sent = new ArrayList<>();
  private final AtomicInteger keysOpened = new AtomicInteger();
  private final AtomicLong resends = new AtomicLong();
  private final AtomicLong refusedOpens = new AtomicLong();
  private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
  private volatile boolean stopping;
  private MessageConsumer<Object> opener;
  private Future<Void> finished = Future.succeededFuture();

  SenderRun(PluginContext context, Settings settings) {
    this.context = context;
    this.settings = settings;
    this.intervalNanos = settings.rate() == 0 ? 0 : 1_000_000_000L * settings.keys() / settings.rate();
  }

  /** Serves this run's opener, waits until member {@code next}'s answers, then starts the chains. */
  Future<Void> start() {
    opener = context.serve(OPEN + settings.name() + "." + settings.member(), body -> {
      if (!body.containsKey("key")) {
        return Future.succeededFuture(new JsonObject()); // a ping: this run is here
      }
      if (stopping) {
        return Future.failedFuture(new SwitchboardException(ErrorCode.CONFLICT, "runStopping", "run "
            + settings.name() + " on member " + settings.member() + " is stopping and opens no key"));
      }
      return send(body.getString("key"), 1).map(new JsonObject());
    });
    return opener.completion().compose(v -> awaitNext(System.nanoTime() + 60_000_000_000L)).onSuccess(v -> {
      List<Future<Void>> chains = new ArrayList<>();
      for (int i = 0; i < settings.keys(); i++) {
        Promise<Void> done = Promise.promise();
        chains.add(done.future());
        // Staggered so that the chains do not send in lock-step.
        context.vertx().setTimer(1 + Math.max(intervalNanos, 10_000_000L) / 1_000_000 * i / settings.keys(),
            id -> nextKey(done));
      }
      finished = Future.all(chains).mapEmpty();
    });
  }

  /** Stops opening keys; once each chain ended its key, what was sent ({@link #report}). */
  Future<JsonObject> stop() {
    stopping = true;
    return finished.map(v -> report());
  }

  /** Stops and stops serving the opener (the plugin stops). */
  Future<Void> close() {
    stopping = true;
    return finished.eventually(() -> opener.unregister());
  }

  /**
   * {@code sent}: each command this member sent, once, as {@code key, seq, sentMicros} (first attempt),
   * {@code answeredMicros, attempts, status} (200 handled, else the last failure's HTTP status); {@code keys} this run's
   * chains began, {@code resends}, {@code refusedOpens} (keys not begun: the opening run was stopping)
   * and {@code failures} by error id.
   */
  private JsonObject report() {
    JsonObject byId = new JsonObject();
    failures.forEach((id, n) -> byId.put(id, n.get()));
    synchronized (sent) {
      return new JsonObject().put("sent", new JsonArray(new ArrayList<>(sent))).put("keys", keysOpened.get())
          .put("resends", resends.get()).put("refusedOpens", refusedOpens.get()).put("failures", byId);
    }
  }

  private Future<Void> awaitNext(long deadlineNanos) {
    String next = OPEN + settings.name() + "." + settings.next();
    return context.vertx().eventBus().request(next, new JsonObject(), new DeliveryOptions().setSendTimeout(1000))
        .<Void>mapEmpty().recover(e -> {
          if (System.nanoTime() > deadlineNanos) {
            return Future.failedFuture(new SwitchboardException(ErrorCode.NOT_READY, "nextNotRunning", "run "
                + settings.name() + " of member " + settings.next() + " did not answer within 60 s; start it there"));
          }
          Promise<Void> again = Promise.promise();
          context.vertx().setTimer(50, id -> awaitNext(deadlineNanos).onComplete(again));
          return again.future();
        });
  }

  /** Opens a new key at member {@code next} (its first command), then sends the rest from here. */
  private void nextKey(Promise<Void> done) {
    if (stopping) {
      done.complete();
      return;
    }
    String key = settings.name() + "-" + settings.member() + "-" + keysOpened.getAndIncrement();
    long began = System.nanoTime();
    context.vertx().eventBus().request(OPEN + settings.name() + "." + settings.next(), new JsonObject().put("key", key),
        new DeliveryOptions().setSendTimeout(120_000)).onComplete(opened -> {
          if (opened.failed()) {
            // Nothing of the key was sent (the opener answers once its command was handled or given up on).
            refusedOpens.incrementAndGet();
            context.vertx().setTimer(RESEND_PAUSE_MS, id -> nextKey(done));
          } else {
            pace(began, settings.messages() == 1 ? () -> nextKey(done) : () -> sendFrom(key, 2, done));
          }
        });
  }

  private void sendFrom(String key, int seq, Promise<Void> done) {
    long began = System.nanoTime();
    send(key, seq).onComplete(x -> pace(began, seq == settings.messages() ? () -> nextKey(done)
        : () -> sendFrom(key, seq + 1, done)));
  }

  private void pace(long beganNanos, Runnable next) {
    long wait = intervalNanos - (System.nanoTime() - beganNanos);
    if (wait < 1_000_000) {
      next.run();
    } else {
      context.vertx().setTimer(wait / 1_000_000, id -> next.run());
    }
  }

  /** Sends command {@code seq} of {@code key} until it is handled or {@link #MAX_ATTEMPTS}; records it; never fails. */
  private Future<Void> send(String key, int seq) {
    long sentMicros = micros();
    JsonObject command = new JsonObject().put("seq", seq).put("sentAt", sentMicros)
        .put("last", seq == settings.messages());
    return attempt(key, command, 1).map(outcome -> {
      JsonObject record = new JsonObject().put("key", key).put("seq", seq).put("sentMicros", sentMicros)
          .put("answeredMicros", micros()).put("attempts", outcome[1]).put("status", outcome[0]);
      synchronized (sent) {
        sent.add(record);
      }
      return null;
    });
  }

  /** The final status (200: handled) and the attempts it took. */
  private Future<int[]> attempt(String key, JsonObject command, int attempt) {
    return context.sendToKey(CallNotifications.ADDRESS, key, command).map(reply -> 200).recover(e -> {
      SwitchboardException failure = SwitchboardException.from(e);
      failures.computeIfAbsent(failure.errorId(), id -> new AtomicLong()).incrementAndGet();
      return Future.succeededFuture(failure.status());
    }).compose(status -> {
      if (status == 200 || attempt >= MAX_ATTEMPTS) {
        return Future.succeededFuture(new int[] {status, attempt});
      }
      resends.incrementAndGet();
      Promise<int[]> again = Promise.promise();
      context.vertx().setTimer(RESEND_PAUSE_MS, id -> attempt(key, command, attempt + 1).onComplete(again));
      return again.future();
    });
  }

  private static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }
}
