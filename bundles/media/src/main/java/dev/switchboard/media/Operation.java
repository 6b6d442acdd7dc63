package dev.switchboard.media;

import dev.switchboard.api.media.MediaStatus;
import dev.switchboard.api.media.OperationStarted;
import dev.switchboard.api.media.OperationKind;
import dev.switchboard.api.media.OperationStatus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One media operation of a call, as the media plugin keeps it: immutable, changed by making a new one.
 *
 * @param graphOperationIds the Graph operations it started (playPrompt, recordResponse)
 * @param cancelRequested whether a cancel asked Graph to stop it (its failure then reads as cancelled)
 * @param download the finished recording waiting to be downloaded, while {@code status} is {@code DOWNLOADING}
 */
record Operation(String id, OperationKind kind, OperationStatus status, String clientContext,
    List<String> graphOperationIds, Instant createdAt, Instant endedAt, boolean cancelRequested,
    PendingDownload download) {

  Operation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(status, "status");
    graphOperationIds = List.copyOf(graphOperationIds);
  }

  static Operation started(String id, OperationKind kind, String clientContext) {
    return new Operation(id, kind, OperationStatus.RUNNING, clientContext, List.of(), Instant.now(), null, false, null);
  }

  boolean running() {
    return status == OperationStatus.RUNNING;
  }

  Operation withGraphOperation(String graphOperationId) {
    List<String> ids = new ArrayList<>(graphOperationIds);
    ids.add(graphOperationId);
    return new Operation(id, kind, status, clientContext, ids, createdAt, endedAt, cancelRequested, download);
  }

  Operation cancelling() {
    return new Operation(id, kind, status, clientContext, graphOperationIds, createdAt, endedAt, true, download);
  }

  Operation downloading(PendingDownload download) {
    return new Operation(id, kind, OperationStatus.DOWNLOADING, clientContext, graphOperationIds, createdAt, null,
        cancelRequested, download);
  }

  Operation ended(OperationStatus status) {
    return new Operation(id, kind, status, clientContext, graphOperationIds, createdAt, Instant.now(),
        cancelRequested, null);
  }

  /** The reply to the command that started it. */
  JsonObject startedReply(String callId) {
    return new OperationStarted(id, callId, kind, status, graphOperationIds).toJson();
  }

  MediaStatus.Operation view() {
    return new MediaStatus.Operation(id, kind, status, clientContext, graphOperationIds, createdAt, endedAt);
  }
}
