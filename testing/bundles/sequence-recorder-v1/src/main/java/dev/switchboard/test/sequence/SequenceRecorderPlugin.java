package dev.switchboard.test.sequence;

import dev.switchboard.api.CallNotifications;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.StateStore;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Test plugin for rolling updates under load: owns calls on {@link CallNotifications#ADDRESS}, counts each call's
 * messages in the (replicated) state store, and reports every message it handled, with the sequence number the load
 * generator put in it, the count the state store gave it, this plugin's version, the member (its process id) and when
 * it was handled (epoch microseconds), to the generator over HTTP. So a test can count lost, duplicated and reordered
 * messages per call, and see the state carried across versions and members. Two kinds of message, one path:
 * <ul>
 *   <li>a Graph notification (through the callback ingress): its {@code sequenceNumber}; a {@code deleted} one is the
 *       call's last;</li>
 *   <li>a {@link KeyedMessage.Command} another plugin sent to the key ({@code testing/bundles/sequence-sender}), body
 *       {@code {"seq": n, "sentAt": epoch µs, "last": bool}}, answered once counted.</li>
 * </ul>
 * Both go to the same keyed address so that they share the key space, the claims and the forwarding the notifications
 * use. The last message of a key removes its state and releases the key.
 *
 * <p>Configuration ({@code plugins.sequence}): {@code reportUrl}, where the reports are POSTed (a JSON array of
 * {@code key, seq, count, version, member, handledAt}) every {@code reportMs} (default 20) and when the plugin
 * stops; a batch that could not be sent is sent again with the next.
 */
public class SequenceRecorderPlugin implements Plugin {

  private final Queue<JsonObject> pending = new ConcurrentLinkedQueue<>();
  private final long member = ProcessHandle.current().pid();
  private PluginContext context;
  private HttpClient client;
  private RequestOptions report;
  private long timer = -1;

  @Override
  public Future<Void> start(PluginContext context) {
    this.context = context;
    String url = context.config().getString("reportUrl");
    if (url == null) {
      throw new IllegalStateException("plugins.sequence.reportUrl is not set: the recorder has nowhere to report");
    }
    URI uri = URI.create(url);
    report = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost()).setPort(uri.getPort())
        .setURI(uri.getRawPath()).setIdleTimeout(10_000).putHeader("Content-Type", "application/json");
    client = context.vertx().createHttpClient();
    timer = context.vertx().setPeriodic(context.config().getLong("reportMs", 20L), id -> flush());
    context.keyedConsumer(CallNotifications.ADDRESS, message -> {
      if (message instanceof KeyedMessage.Notification n) {
        return record(n.key(), n.notification().getInteger("sequenceNumber", -1),
            "deleted".equals(n.notification().getString("changeType")));
      }
      if (message instanceof KeyedMessage.Command c) {
        return record(c.key(), c.body().getInteger("seq", -1), c.body().getBoolean("last", false));
      }
      return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "unexpectedMessage",
          "the sequence recorder takes Graph notifications and commands only, not "
              + message.getClass().getSimpleName()));
    });
    return Future.succeededFuture();
  }

  /** Counts message {@code seq} of {@code key} in the state store and queues its report; the last one ends the key. */
  private Future<JsonObject> record(String key, int seq, boolean last) {
    StateStore store = context.state();
    return store.get(key).compose(previous -> {
      int count = (previous == null ? 0 : previous.getInteger("count")) + 1;
      Future<Void> written = last ? store.remove(key)
          : store.put(key, new JsonObject().put("count", count).put("lastVersion", context.version()));
      return written.map(v -> {
        Instant now = Instant.now();
        pending.add(new JsonObject().put("key", key).put("seq", seq).put("count", count)
            .put("version", context.version()).put("member", member)
            .put("handledAt", now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000));
        if (last) {
          context.releaseKey(CallNotifications.ADDRESS, key);
        }
        return new JsonObject().put("count", count);
      });
    });
  }

  /** Sends what is pending; a batch that fails goes back to the queue for the next flush. */
  private Future<Void> flush() {
    JsonArray batch = new JsonArray();
    for (JsonObject r = pending.poll(); r != null; r = pending.poll()) {
      batch.add(r);
    }
    if (batch.isEmpty()) {
      return Future.succeededFuture();
    }
    return client.request(report).compose(request -> request.send(batch.toBuffer()))
        .compose(response -> response.statusCode() == 204 ? Future.<Void>succeededFuture()
            : Future.failedFuture("the report was answered " + response.statusCode()))
        .recover(failure -> {
          batch.forEach(r -> pending.add((JsonObject) r));
          return Future.failedFuture(failure);
        });
  }

  @Override
  public Future<Void> stop() {
    context.vertx().cancelTimer(timer);
    return flush().otherwiseEmpty().eventually(() -> client.close());
  }
}
