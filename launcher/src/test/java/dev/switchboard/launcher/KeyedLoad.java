package dev.switchboard.launcher;

import io.vertx.core.Future;
import java.util.List;

/**
 * Keyed traffic for the sequence recorder that {@link DeliveryReports} tallies: Graph's notifications through the
 * balancer ({@link NotificationLoad}) or keyed commands the members send themselves ({@link CommandLoad}). Either way
 * each key gets numbered messages, the next once the previous was answered, the last one ending the key.
 */
interface KeyedLoad {

  /** Starts sending. */
  KeyedLoad start() throws Exception;

  /** Stops starting keys; completes once each key in progress ended. */
  Future<Void> stop();

  /** Every message sent (one entry each, once answered); for commands complete only once {@link #stop} completed. */
  List<NotificationLoad.Sent> sent();

  /** Messages sent again after a failure (a 503, a failed connection, a failed {@code sendToKey}). */
  long retries();
}
