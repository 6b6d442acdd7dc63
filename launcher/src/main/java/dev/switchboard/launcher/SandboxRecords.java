package dev.switchboard.launcher;

import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.records.QualityReason;
import dev.switchboard.api.records.RecordStored;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The sandbox's call records: listens to {@link RecordStored} events from the records bundle and prints each demo
 * call's record in the transcript (duration, participants, quality verdict and its reasons); {@link #await} waits for
 * the records of the scenario's calls.
 */
final class SandboxRecords implements AutoCloseable {

  private final Transcript transcript;
  private final Map<String, RecordStored> byId = new ConcurrentHashMap<>();
  private final MessageConsumer<JsonObject> consumer;

  SandboxRecords(Vertx vertx, Transcript transcript) {
    this.transcript = transcript;
    CompletableFuture<MessageConsumer<JsonObject>> registered = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      MessageConsumer<JsonObject> c = vertx.eventBus().consumer(RecordStored.TOPIC,
          m -> byId.put(RecordStored.fromJson(m.body()).id(), RecordStored.fromJson(m.body())));
      c.completion().onComplete(ar -> registered.complete(c));
    });
    this.consumer = registered.join();
  }

  /**
   * Waits for the record of each call (by its call chain id, which is the record's id) and prints it.
   *
   * @throws SandboxScenario.StepFailed naming the call whose record did not come within {@code timeout}
   */
  void await(List<String> callIds, Duration timeout) throws Exception {
    for (String call : callIds) {
      CallEvent.Incoming incoming = transcript.findCall(CallEvent.Incoming.class, call, e -> true);
      String recordId = incoming == null ? null : incoming.call().callChainId();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (recordId != null && !byId.containsKey(recordId) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      RecordStored record = recordId == null ? null : byId.get(recordId);
      if (record == null) {
        throw new SandboxScenario.StepFailed("step failed: the call record of " + call + " is stored (nothing within "
            + timeout.toSeconds() + " s)");
      }
      transcript.say(call, describe(record));
    }
  }

  static String describe(RecordStored record) {
    String quality = record.poor() ? "POOR (" + record.reasons().stream().map(SandboxRecords::words)
        .collect(Collectors.joining(", ")) + ")" : "good";
    int n = record.participants().size();
    return String.format("call record: %.1f s, %d participant%s (%s), %d streams, quality %s",
        record.duration().toMillis() / 1000.0, n, n == 1 ? "" : "s", String.join(", ", record.participants()),
        record.streams(), quality);
  }

  private static String words(QualityReason reason) {
    return switch (reason) {
      case ROUND_TRIP -> "round trip over 500 ms";
      case PACKET_LOSS -> "packet loss over 10%";
      case JITTER -> "jitter over 30 ms";
    };
  }

  @Override
  public void close() {
    consumer.unregister();
  }
}
